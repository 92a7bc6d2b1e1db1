"""Traces (OTEL_EXPORTER_OTLP_ENDPOINT): every HTTP request the sampler keeps (OTEL_TRACES_SAMPLER;
by default those whose caller sampled them, and every root) becomes a server span, exported as
OTLP/HTTP JSON to <endpoint>/v1/traces and continuing the caller's W3C traceparent. The collector
is OtlpSink, an HTTP server in this process that keeps every span it is sent."""
import json
import os
import queue
import subprocess
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import BIN, ServerTestCase


class OtlpSink:
    """Accepts POST /v1/traces; spans() yields (resource attributes, span) as they arrive."""

    def __init__(self):
        sink = self
        self.received = queue.Queue()
        self.paths = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                sink.paths.append((self.path, self.headers["Content-Type"]))
                for rs in json.loads(body)["resourceSpans"]:
                    resource = {a["key"]: a["value"] for a in rs["resource"]["attributes"]}
                    for ss in rs["scopeSpans"]:
                        for span in ss["spans"]:
                            sink.received.put((resource, span))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def find(self, match, timeout=20):
        """The first span for which match(span) holds; spans the server sends meanwhile (other
        requests) are passed over."""
        while True:
            resource, span = self.received.get(timeout=timeout)
            if match(span):
                return resource, span

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def attrs(span):
    out = {}
    for a in span["attributes"]:
        (kind, value), = a["value"].items()
        out[a["key"]] = int(value) if kind == "intValue" else value
    return out


class WithSink:
    SAMPLER_ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.sink = OtlpSink()
        cls.ENV = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{cls.sink.port}/",
                   "OTEL_SERVICE_NAME": "chat-test", **cls.SAMPLER_ENV}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.sink.close()

    def traced(self, trace, flags):
        r = self.req("GET", "/api/v10/gateway",
                     headers={"traceparent": f"00-{trace}-{os.urandom(8).hex()}-{flags}"})
        self.assertStatus(r, 200)

    def assertDroppedThenKept(self, dropped, kept):
        """Spans leave in the order their requests ended: once `kept`'s span is in, `dropped`'s
        would have been seen before it had it been exported."""
        seen = []
        self.sink.find(lambda s: seen.append(s["traceId"]) or s["traceId"] == kept)
        self.assertNotIn(dropped, seen)


class Tracing(WithSink, ServerTestCase):
    def test_a_caller_that_did_not_sample_its_trace_gets_no_span(self):
        dropped, kept = os.urandom(16).hex(), os.urandom(16).hex()
        self.traced(dropped, "00")
        self.traced(kept, "01")
        self.assertDroppedThenKept(dropped, kept)

    def test_a_request_continues_the_callers_trace(self):
        trace, parent = os.urandom(16).hex(), os.urandom(8).hex()
        r = self.req("GET", "/api/v10/users/@me",
                     headers={"traceparent": f"00-{trace}-{parent}-01"})
        self.assertStatus(r, 401)
        resource, span = self.sink.find(lambda s: s["traceId"] == trace)
        self.assertEqual(resource["service.name"], {"stringValue": "chat-test"})
        self.assertEqual(span["parentSpanId"], parent)
        self.assertRegex(span["spanId"], r"^[0-9a-f]{16}$")
        self.assertNotEqual(span["spanId"], "0" * 16)
        self.assertEqual(span["name"], "GET /users/@me")
        self.assertEqual(span["kind"], 2)  # SERVER
        a = attrs(span)
        self.assertEqual(a["http.request.method"], "GET")
        self.assertEqual(a["http.route"], "/users/@me")
        self.assertEqual(a["url.path"], "/api/v10/users/@me")
        self.assertEqual(a["http.response.status_code"], 401)
        self.assertEqual(span["status"], {"code": 0})
        self.assertIn(("/v1/traces", "application/json"), self.sink.paths)
        metrics = self.req("GET", "/metrics").body.decode()
        self.assertRegex(metrics, r"(?m)^otlp_spans_exported_total [1-9]")

    def test_a_request_without_traceparent_starts_a_trace(self):
        r = self.req("GET", "/api/v10/gateway?probe=" + os.urandom(4).hex())
        self.assertStatus(r, 200)
        path = r"/api/v10/gateway"
        _, span = self.sink.find(lambda s: attrs(s).get("url.path") == path)
        self.assertRegex(span["traceId"], r"^[0-9a-f]{32}$")
        self.assertNotEqual(span["traceId"], "0" * 32)
        self.assertNotIn("parentSpanId", span)
        self.assertEqual(span["name"], "GET /gateway")

    def test_a_malformed_traceparent_is_ignored(self):
        bad = "00-" + "0" * 32 + "-" + os.urandom(8).hex() + "-01"  # all-zero trace id
        r = self.req("GET", "/api/v10/no/such/route", headers={"traceparent": bad})
        self.assertStatus(r, 404)
        _, span = self.sink.find(lambda s: attrs(s).get("url.path") == "/api/v10/no/such/route")
        self.assertNotEqual(span["traceId"], "0" * 32)
        self.assertNotIn("parentSpanId", span)
        self.assertEqual(span["name"], "GET")  # no route matched
        self.assertEqual(attrs(span)["http.response.status_code"], 404)


class RatioSampler(WithSink, ServerTestCase):
    # Not parent-based: the trace id alone decides, whatever the caller's flag says.
    SAMPLER_ENV = {"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5"}

    def test_the_trace_id_decides(self):
        low, high = "ab" * 8 + "00" * 8, "ab" * 8 + "ff" * 8  # last 8 bytes under and over 1/2
        self.traced(high, "01")
        self.traced(low, "00")
        self.assertDroppedThenKept(high, low)

    def test_a_bad_sampler_setting_stops_start_up(self):
        for env in ({"OTEL_TRACES_SAMPLER_ARG": "1.5"}, {"OTEL_TRACES_SAMPLER": "sometimes"}):
            r = subprocess.run([BIN, "migrate", "status"], capture_output=True, text=True,
                               timeout=30, cwd=self.server.data_dir,
                               env={**self.server.env(), **env})
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn(next(iter(env)), r.stderr)


if __name__ == "__main__":
    unittest.main()
