"""Attachments through the real server (issue 7 points 1 and 8): multipart message uploads
(payload_json + files[n]), the unauthenticated download URL with HEAD and byte ranges, the
ATTACH_FILES right, size limits, malformed forms, filename sanitizing, removal with the message
(single, bulk, edit), and pins' pinned_at — on SQLite and on PostgreSQL. Multipart bodies are
built by hand here, as discord.js and curl send them."""
import datetime
import json
import os
import struct
import unittest
import uuid
from urllib.parse import urlsplit

from harness import Server

SECRET = "integration-test-secret-0123456789abcdef"
PASSWORDS = {"admin": "Admin@12345", "testuser1": "TestUser1@123", "testuser2": "TestUser2@123"}
GENERAL = "1"
ATTACH_FILES = 1 << 15

# A PNG header claiming 3x2 pixels: enough for type and size detection.
PNG = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + struct.pack(">II", 3, 2) +
       b"\x08\x02\x00\x00\x00" + b"\x00" * 4 + bytes(range(256)))
# A GIF header claiming 5x7 pixels.
GIF = b"GIF89a" + struct.pack("<HH", 5, 7) + b"\x00" * 20
ZIP = b"PK\x03\x04" + os.urandom(64)


def form(fields=(), files=(), boundary=None):
    """(body, content_type) for multipart/form-data. fields: (name, str|bytes);
    files: (name, filename, content_type, bytes) or with a raw Content-Disposition tail."""
    boundary = boundary or "----chatformboundary" + uuid.uuid4().hex
    out = b""
    for name, value in fields:
        data = value if isinstance(value, bytes) else value.encode()
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                .encode() + data + b"\r\n")
    for name, filename, ctype, data in files:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode() + data + b"\r\n")
    out += f"--{boundary}--\r\n".encode()
    return out, "multipart/form-data; boundary=" + boundary


class AttachmentsSuite:
    BACKEND = "sqlite"

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.BACKEND, env={"JWT_SECRET": SECRET})
        seeded = cls.server.run_command("seed")
        if seeded.returncode != 0:
            raise RuntimeError("seed failed: " + seeded.stdout + seeded.stderr)
        cls.server.start()
        cls.tokens = {}
        cls.ids = {}
        for name, password in PASSWORDS.items():
            r = cls.server.request("POST", "/api/v1/auth/login",
                                   {"username": name, "password": password})
            assert r.status == 200, r
            cls.tokens[name] = r.json()["access_token"]
            cls.ids[name] = cls.server.request("GET", "/api/v10/users/@me",
                                               token=cls.tokens[name]).json()["id"]

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"chat-server exited with {code}:\n{cls.server.read_log()[-4000:]}")

    # -- helpers ----------------------------------------------------------------------------
    def req(self, method, path, body=None, who="testuser1", **kw):
        token = self.tokens[who] if who else None
        return self.server.request(method, "/api/v10" + path, body, token=token, **kw)

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, f"{resp!r}")

    def assertDiscordError(self, resp, status, code=None):
        self.assertEqual(resp.status, status, f"{resp!r}")
        body = resp.json()
        self.assertIsInstance(body.get("code"), int, body)
        self.assertIsInstance(body.get("message"), str, body)
        if code is not None:
            self.assertEqual(body["code"], code, body)
        return body

    def post_form(self, fields=(), files=(), channel=GENERAL, who="testuser1", boundary=None):
        body, ctype = form(fields, files, boundary)
        return self.req("POST", f"/channels/{channel}/messages", body, who,
                        headers={"Content-Type": ctype})

    def upload(self, files, payload=None, channel=GENERAL, who="testuser1"):
        fields = [("payload_json", json.dumps(payload))] if payload is not None else []
        r = self.post_form(fields, files, channel, who)
        self.assertStatus(r, 200)
        return r.json()

    def fetch(self, url, method="GET", headers=None):
        parts = urlsplit(url)
        path = parts.path + ("?" + parts.query if parts.query else "")
        return self.server.request(method, path, headers=headers)

    def file_path(self, attachment):
        return os.path.join(self.server.data_dir, "attachments", attachment["id"],
                            attachment["filename"])

    def new_channel(self):
        r = self.req("POST", "/guilds/1/channels", {"name": "files-" + uuid.uuid4().hex[:6]},
                     "admin")
        self.assertStatus(r, 201)
        return r.json()["id"]

    # -- upload -----------------------------------------------------------------------------
    def test_upload_one_file_with_payload_json(self):
        m = self.upload([("files[0]", "pixel.png", "image/png", PNG)],
                        {"content": "a picture",
                         "attachments": [{"id": 0, "description": "three by two"}]})
        self.assertEqual(m["content"], "a picture")
        self.assertEqual(len(m["attachments"]), 1)
        a = m["attachments"][0]
        for field in ("id", "filename", "content_type", "size", "url", "proxy_url"):
            self.assertIn(field, a)
        self.assertIsInstance(a["id"], str)
        self.assertEqual(a["filename"], "pixel.png")
        self.assertEqual(a["description"], "three by two")
        self.assertEqual(a["content_type"], "image/png")
        self.assertEqual(a["size"], len(PNG))
        self.assertEqual((a["width"], a["height"]), (3, 2))
        self.assertIn(f"/attachments/{GENERAL}/{a['id']}/pixel.png?", a["url"])
        self.assertTrue(os.path.isfile(self.file_path(a)))

    def test_retried_uploads_with_an_enforced_nonce_make_one_message(self):
        # Large uploads are the ones clients retry: each copy here writes 8 MiB of files, so the
        # first is still writing them when the others arrive.
        nonce = uuid.uuid4().hex[:20]
        files = [(f"files[{k}]", f"part{k}.bin", "application/octet-stream", os.urandom(1 << 20))
                 for k in range(8)]
        body, ctype = form([("payload_json", json.dumps(
            {"content": "uploaded once", "nonce": nonce, "enforce_nonce": True}))], files)
        answers = self.server.race(
            "POST", f"/api/v10/channels/{GENERAL}/messages", body,
            {"Authorization": "Bearer " + self.tokens["testuser1"], "Content-Type": ctype},
            attempts=6)
        self.assertEqual([r.status for r in answers], [200] * 6, answers)
        first = answers[0].json()
        self.assertEqual({r.json()["id"] for r in answers}, {first["id"]})
        self.assertEqual(len(first["attachments"]), 8)
        listed = self.req("GET", f"/channels/{GENERAL}/messages?limit=50").json()
        self.assertEqual([m["id"] for m in listed if m.get("nonce") == nonce], [first["id"]])

    def test_upload_several_files_in_files_n_order(self):
        m = self.upload([("files[1]", "b.gif", "image/gif", GIF),
                         ("files[0]", "a.txt", "application/octet-stream", b"hello\n"),
                         ("files[2]", "c.zip", "application/zip", ZIP)],
                        {"content": "three",
                         "attachments": [{"id": 0}, {"id": 1, "filename": "renamed.gif"},
                                         {"id": 2}]})
        names = [a["filename"] for a in m["attachments"]]
        self.assertEqual(names, ["a.txt", "renamed.gif", "c.zip"])
        types = [a["content_type"] for a in m["attachments"]]
        self.assertEqual(types, ["text/plain; charset=utf-8", "image/gif", "application/zip"])
        self.assertEqual((m["attachments"][1]["width"], m["attachments"][1]["height"]), (5, 7))
        self.assertNotIn("width", m["attachments"][0])
        self.assertEqual(len({a["url"] for a in m["attachments"]}), 3)

    def test_empty_content_is_allowed_with_a_file(self):
        m = self.upload([("files[0]", "only.txt", "text/plain", b"just a file")],
                        {"content": ""})
        self.assertEqual(m["content"], "")
        self.assertEqual(len(m["attachments"]), 1)
        # Without payload_json, a plain content field and an old-style `file` part work too.
        r = self.post_form([("content", "plain field")],
                           [("file", "old.txt", "text/plain", b"old client")])
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["content"], "plain field")
        self.assertEqual(r.json()["attachments"][0]["filename"], "old.txt")
        # No file and no content is still an empty message.
        r = self.post_form([("payload_json", json.dumps({"content": ""}))])
        self.assertDiscordError(r, 400, 50006)

    def test_download_gives_identical_bytes_and_headers(self):
        data = os.urandom(5000)
        m = self.upload([("files[0]", "blob.bin", "application/octet-stream", data)],
                        {"content": "binary"})
        a = m["attachments"][0]
        self.assertEqual(a["content_type"], "application/octet-stream")
        r = self.fetch(a["url"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body, data)
        self.assertEqual(r.headers["content-type"], "application/octet-stream")
        self.assertEqual(r.headers["content-length"], str(len(data)))
        self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        self.assertEqual(r.headers["accept-ranges"], "bytes")
        self.assertIn("cache-control", r.headers)
        self.assertEqual(r.headers["content-disposition"], 'attachment; filename="blob.bin"')

        png = self.upload([("files[0]", "p.png", "image/png", PNG)], {"content": "img"})
        r = self.fetch(png["attachments"][0]["url"])
        self.assertEqual(r.body, PNG)
        self.assertEqual(r.headers["content-type"], "image/png")
        self.assertTrue(r.headers["content-disposition"].startswith("inline;"))

    def test_head_answers_headers_without_body(self):
        m = self.upload([("files[0]", "h.png", "image/png", PNG)], {"content": "head"})
        r = self.fetch(m["attachments"][0]["url"], method="HEAD")
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.headers["content-length"], str(len(PNG)))
        self.assertEqual(r.headers["content-type"], "image/png")

    def test_range_requests(self):
        data = bytes(range(256)) * 4
        m = self.upload([("files[0]", "r.bin", "application/octet-stream", data)],
                        {"content": "ranges"})
        url = m["attachments"][0]["url"]
        size = len(data)
        r = self.fetch(url, headers={"Range": "bytes=0-9"})
        self.assertStatus(r, 206)
        self.assertEqual(r.body, data[0:10])
        self.assertEqual(r.headers["content-range"], f"bytes 0-9/{size}")
        r = self.fetch(url, headers={"Range": "bytes=1000-"})
        self.assertStatus(r, 206)
        self.assertEqual(r.body, data[1000:])
        r = self.fetch(url, headers={"Range": "bytes=-5"})
        self.assertStatus(r, 206)
        self.assertEqual(r.body, data[-5:])
        self.assertEqual(r.headers["content-range"], f"bytes {size - 5}-{size - 1}/{size}")
        r = self.fetch(url, headers={"Range": "bytes=100-99999"})
        self.assertStatus(r, 206)
        self.assertEqual(r.body, data[100:])
        r = self.fetch(url, headers={"Range": f"bytes={size}-"})
        self.assertStatus(r, 416)
        self.assertEqual(r.headers["content-range"], f"bytes */{size}")
        # A malformed or multi-range header is ignored: the whole file comes back.
        r = self.fetch(url, headers={"Range": "bytes=0-1,5-6"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body, data)

    def test_wrong_key_filename_or_channel_is_404(self):
        m = self.upload([("files[0]", "secret.txt", "text/plain", b"secret")], {"content": "k"})
        a = m["attachments"][0]
        url = a["url"]
        base, key = url.split("?key=")
        self.assertStatus(self.fetch(url), 200)
        self.assertStatus(self.fetch(base + "?key=" + "A" * len(key)), 404)
        self.assertStatus(self.fetch(base), 404)
        self.assertStatus(self.fetch(base.replace("secret.txt", "other.txt") + "?key=" + key),
                          404)
        self.assertStatus(self.fetch(url.replace(f"/attachments/{GENERAL}/",
                                                 "/attachments/2/")), 404)
        self.assertStatus(self.server.request("GET", "/attachments/1/99999999/x.txt?key=abc"),
                          404)

    def test_attachments_show_in_get_and_history(self):
        m = self.upload([("files[0]", "seen.txt", "text/plain", b"seen")], {"content": "see"})
        r = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}", who="testuser2")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["attachments"], m["attachments"])
        r = self.req("GET", f"/channels/{GENERAL}/messages?limit=20", who="testuser2")
        self.assertStatus(r, 200)
        by_id = {x["id"]: x for x in r.json()}
        self.assertEqual(by_id[m["id"]]["attachments"], m["attachments"])
        for other in r.json():
            self.assertIsInstance(other["attachments"], list)

    def test_attach_files_denied_by_an_overwrite(self):
        channel = self.new_channel()
        r = self.req("PUT", f"/channels/{channel}/permissions/{self.ids['testuser1']}",
                     {"type": 1, "allow": "0", "deny": str(ATTACH_FILES)}, "admin")
        self.assertStatus(r, 204)
        r = self.post_form([("payload_json", json.dumps({"content": "nope"}))],
                           [("files[0]", "x.txt", "text/plain", b"x")], channel=channel)
        self.assertDiscordError(r, 403, 50013)
        # Text alone is still fine, and another member may attach.
        r = self.post_form([("payload_json", json.dumps({"content": "text only"}))],
                           channel=channel)
        self.assertStatus(r, 200)
        self.upload([("files[0]", "y.txt", "text/plain", b"y")], {"content": "ok"},
                    channel=channel, who="testuser2")

    def test_malformed_multipart_is_400(self):
        path = f"/channels/{GENERAL}/messages"
        r = self.req("POST", path, b"--x\r\n", headers={"Content-Type": "multipart/form-data"})
        self.assertDiscordError(r, 400)
        body, ctype = form([("payload_json", '{"content": "hi"}')])
        truncated = body[:-len(b"--\r\n") - 20]
        r = self.req("POST", path, truncated, headers={"Content-Type": ctype})
        self.assertDiscordError(r, 400, 50035)
        no_close = body.replace(b"--\r\n", b"\r\n")
        r = self.req("POST", path, no_close[:-2], headers={"Content-Type": ctype})
        self.assertDiscordError(r, 400)
        r = self.post_form([("payload_json", "{not json")])
        self.assertDiscordError(r, 400, 50109)
        huge = form([("payload_json", '{"content": "x"}')])[0]
        boundary = huge.split(b"\r\n", 1)[0][2:].decode()
        huge = huge.replace(b'name="payload_json"\r\n',
                            b'name="payload_json"\r\nX-Pad: ' + b"p" * 20000 + b"\r\n")
        r = self.req("POST", path, huge,
                     headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        self.assertDiscordError(r, 400, 50035)
        files = [(f"files[{i}]", f"f{i}.txt", "text/plain", b"x") for i in range(11)]
        r = self.post_form([("payload_json", '{"content": "many"}')], files)
        self.assertDiscordError(r, 400, 50035)

    def test_filenames_are_sanitized(self):
        m = self.upload([("files[0]", "../../etc/passwd", "text/plain", b"p"),
                         ("files[1]", "x.txt", "text/plain", b"q"),
                         ("files[2]", "...", "text/plain", b"r")],
                        {"content": "names",
                         "attachments": [{"id": 1, "filename": "..\\evil\u0007 name\u0001.txt"}]})
        names = [a["filename"] for a in m["attachments"]]
        self.assertEqual(names, ["passwd", "evil_name.txt", "unknown"])
        for a in m["attachments"]:
            path = os.path.realpath(self.file_path(a))
            root = os.path.realpath(os.path.join(self.server.data_dir, "attachments"))
            self.assertTrue(path.startswith(root + os.sep), path)
            self.assertTrue(os.path.isfile(path))
            self.assertStatus(self.fetch(a["url"]), 200)

    def test_deleting_the_message_removes_files(self):
        m = self.upload([("files[0]", "gone.txt", "text/plain", b"bye")], {"content": "del"})
        a = m["attachments"][0]
        self.assertTrue(os.path.isfile(self.file_path(a)))
        self.assertStatus(self.req("DELETE", f"/channels/{GENERAL}/messages/{m['id']}"), 204)
        self.assertFalse(os.path.exists(os.path.dirname(self.file_path(a))))
        self.assertStatus(self.fetch(a["url"]), 404)

    def test_bulk_delete_removes_files(self):
        first = self.upload([("files[0]", "b1.txt", "text/plain", b"1")], {"content": "b1"})
        second = self.upload([("files[0]", "b2.txt", "text/plain", b"2")], {"content": "b2"})
        r = self.req("POST", f"/channels/{GENERAL}/messages/bulk-delete",
                     {"messages": [first["id"], second["id"]]}, "admin")
        self.assertStatus(r, 204)
        for m in (first, second):
            a = m["attachments"][0]
            self.assertFalse(os.path.exists(self.file_path(a)))
            self.assertStatus(self.fetch(a["url"]), 404)

    def test_edit_keeps_only_the_listed_attachments(self):
        m = self.upload([("files[0]", "keep.txt", "text/plain", b"keep"),
                         ("files[1]", "drop.txt", "text/plain", b"drop")], {"content": "two"})
        keep, drop = m["attachments"]
        path = f"/channels/{GENERAL}/messages/{m['id']}"
        r = self.req("PATCH", path, {"content": "edited"})
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json()["attachments"]), 2)
        r = self.req("PATCH", path, {"attachments": [{"id": keep["id"]}]})
        self.assertStatus(r, 200)
        self.assertEqual([a["id"] for a in r.json()["attachments"]], [keep["id"]])
        self.assertStatus(self.fetch(drop["url"]), 404)
        self.assertFalse(os.path.exists(self.file_path(drop)))
        self.assertStatus(self.fetch(keep["url"]), 200)
        # Removing the last attachment of a message with content left is fine; of an otherwise
        # empty message it is not.
        empty = self.upload([("files[0]", "sole.txt", "text/plain", b"s")], {"content": ""})
        r = self.req("PATCH", f"/channels/{GENERAL}/messages/{empty['id']}", {"attachments": []})
        self.assertDiscordError(r, 400, 50006)

    def test_edit_adds_files_sent_as_multipart(self):
        m = self.upload([("files[0]", "first.txt", "text/plain", b"first")], {"content": "grow"})
        first = m["attachments"][0]
        body, ctype = form([("payload_json", json.dumps(
            {"content": "grown", "attachments": [{"id": first["id"]}, {"id": 0}]}))],
            [("files[0]", "second.txt", "text/plain", b"second")])
        r = self.req("PATCH", f"/channels/{GENERAL}/messages/{m['id']}", body,
                     headers={"Content-Type": ctype})
        self.assertStatus(r, 200)
        edited = r.json()
        self.assertEqual(edited["content"], "grown")
        self.assertEqual([a["filename"] for a in edited["attachments"]],
                         ["first.txt", "second.txt"])
        self.assertEqual(self.fetch(edited["attachments"][1]["url"]).body, b"second")
        self.assertEqual(self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}")
                         .json()["attachments"], edited["attachments"])

    def test_pins_carry_pinned_at(self):
        channel = self.new_channel()
        older = self.req("POST", f"/channels/{channel}/messages", {"content": "older"}).json()
        newer = self.req("POST", f"/channels/{channel}/messages", {"content": "newer"}).json()
        before = datetime.datetime.now(datetime.timezone.utc)
        # Pinned newest message first: the pin list is ordered by pin time, not message time.
        for m in (newer, older):
            r = self.req("PUT", f"/channels/{channel}/messages/pins/{m['id']}", who="admin")
            self.assertStatus(r, 204)
        r = self.req("GET", f"/channels/{channel}/messages/pins")
        self.assertStatus(r, 200)
        items = r.json()["items"]
        self.assertEqual([i["message"]["id"] for i in items], [older["id"], newer["id"]])
        for item in items:
            at = datetime.datetime.fromisoformat(item["pinned_at"])
            sent = datetime.datetime.fromisoformat(item["message"]["timestamp"])
            self.assertGreaterEqual(at, sent)
            self.assertLess(abs((at - before).total_seconds()), 60)
        legacy = self.req("GET", f"/channels/{channel}/pins").json()
        self.assertEqual([x["id"] for x in legacy], [older["id"], newer["id"]])


class SqliteAttachments(AttachmentsSuite, unittest.TestCase):
    BACKEND = "sqlite"


class PostgresAttachments(AttachmentsSuite, unittest.TestCase):
    BACKEND = "postgres"


class UploadLimit(unittest.TestCase):
    """A server with a 4 KiB upload limit: bigger uploads are a Discord 413, never a 5xx."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("sqlite", env={"JWT_SECRET": SECRET, "MAX_UPLOAD_BYTES": "4096"})
        seeded = cls.server.run_command("seed")
        if seeded.returncode != 0:
            raise RuntimeError("seed failed: " + seeded.stdout + seeded.stderr)
        cls.server.start()
        r = cls.server.request("POST", "/api/v1/auth/login",
                               {"username": "testuser1", "password": PASSWORDS["testuser1"]})
        cls.token = r.json()["access_token"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def post(self, data):
        body, ctype = form([("payload_json", '{"content": "big"}')],
                           [("files[0]", "big.bin", "application/octet-stream", data)])
        return self.server.request("POST", f"/api/v10/channels/{GENERAL}/messages", body,
                                   token=self.token, headers={"Content-Type": ctype})

    def test_oversize_upload_is_413_json(self):
        r = self.post(os.urandom(10000))
        self.assertEqual(r.status, 413, r)
        body = r.json()
        self.assertEqual(body["code"], 40005)
        self.assertIsInstance(body["message"], str)

    def test_upload_under_the_limit_works(self):
        r = self.post(os.urandom(1000))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["attachments"][0]["size"], 1000)


class OrphanSweep(unittest.TestCase):
    """Deleting a channel drops its attachment rows by cascade; the files go at the next start."""

    def test_files_of_a_deleted_channel_are_removed_at_restart(self):
        server = Server("sqlite", env={"JWT_SECRET": SECRET})
        seeded = server.run_command("seed")
        self.assertEqual(seeded.returncode, 0, seeded.stdout + seeded.stderr)
        server.start()
        try:
            admin = server.request("POST", "/api/v1/auth/login",
                                   {"username": "admin", "password": PASSWORDS["admin"]})
            token = admin.json()["access_token"]
            r = server.request("POST", "/api/v10/guilds/1/channels", {"name": "doomed"},
                               token=token)
            self.assertEqual(r.status, 201, r)
            channel = r.json()["id"]
            body, ctype = form([("payload_json", '{"content": "x"}')],
                               [("files[0]", "kept.txt", "text/plain", b"kept"),
                                ("files[1]", "doomed.txt", "text/plain", b"doomed")])
            kept = server.request("POST", f"/api/v10/channels/{GENERAL}/messages", body,
                                  token=token, headers={"Content-Type": ctype}).json()
            doomed = server.request("POST", f"/api/v10/channels/{channel}/messages", body,
                                    token=token, headers={"Content-Type": ctype}).json()
            root = os.path.join(server.data_dir, "attachments")
            doomed_dirs = [os.path.join(root, a["id"]) for a in doomed["attachments"]]
            kept_dirs = [os.path.join(root, a["id"]) for a in kept["attachments"]]
            r = server.request("DELETE", f"/api/v10/channels/{channel}", token=token)
            self.assertEqual(r.status, 200, r)
        finally:
            self.assertEqual(server.stop(), 0)
        server.start()
        try:
            # The sweep runs before the first request is served.
            url = urlsplit(kept["attachments"][0]["url"])
            r = server.request("GET", url.path + "?" + url.query)
            self.assertEqual(r.status, 200, r)
            for d in doomed_dirs:
                self.assertFalse(os.path.exists(d), d)
            for d in kept_dirs:
                self.assertTrue(os.path.isdir(d), d)
        finally:
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
