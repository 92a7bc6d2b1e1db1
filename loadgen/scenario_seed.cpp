// The `seed` scenario: the seed project's k6 script (ramping VUs; login, gateway, one op 0
// MESSAGE_CREATE, hold, close, sleep) with its three thresholds.
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <vector>

#include "loadgen/clock.hpp"
#include "loadgen/events.hpp"
#include "loadgen/gateway_client.hpp"
#include "loadgen/rest_client.hpp"
#include "loadgen/scenarios.hpp"
#include "loadgen/setup.hpp"

namespace chat::loadgen {

namespace net = boost::asio;

namespace {

struct Stage {
  double seconds;
  int target;
};

struct SeedRun {
  explicit SeedRun(net::io_context& io) : changed(io) {}
  Event changed;
  Histogram http_req_duration;
  Histogram message_latency;
  Histogram close_latency;              // our close frame -> the server's end of the connection
  std::uint64_t closes_unfinished = 0;  // not ended within 5 s
  std::uint64_t iterations = 0, errors = 0, http_reqs = 0, http_failed = 0;
  std::uint64_t messages_sent = 0, messages_echoed = 0;
  int target = 0;  // VUs the current stage wants
  int active = 0;
  int peak = 0;
  bool stopping = false;      // past the graceful stop: end iterations now
  std::vector<char> running;  // by VU number
  std::map<std::string, int> reasons;
};

// One iteration's socket. The VU coroutine waits on `changed` for READY, the echo and the close.
struct Iteration final : GatewayListener {
  explicit Iteration(net::io_context& io) : changed(io) {}
  void OnReady(GatewayClient&, std::int64_t) override {
    ready = true;
    changed.Notify();
  }
  void OnDispatch(GatewayClient& client, std::string_view type, const GatewayFrame& frame,
                  std::int64_t received_us) override {
    if (type != "MESSAGE_CREATE" || sent_us == 0 || echo_us) return;
    bool mine = false;
    if (frame.has_nonce) {
      mine = frame.nonce == nonce;
    } else {
      mine = frame.has_author_id && frame.author_id == client.user_id();
    }
    if (!mine) return;
    echo_us = received_us - sent_us;
    changed.Notify();
  }
  void OnClosed(GatewayClient&, const std::string& why) override {
    closed = true;
    error = why;
    changed.Notify();
  }
  Event changed;
  std::string nonce;
  std::int64_t sent_us = 0;
  std::int64_t echo_us = 0;
  bool ready = false;
  bool closed = false;
  std::string error;
};

double HoldSeconds(const Options& o) {
  return o.hold_s >= 0 ? o.hold_s : std::max(1.0, 10.0 * o.time_scale);
}
double SleepSeconds(const Options& o) { return o.sleep_s >= 0 ? o.sleep_s : 1.0 * o.time_scale; }

net::awaitable<void> Vu(Context& ctx, std::shared_ptr<SeedRun> run, int vu) {
  const Options& o = ctx.opts;
  RestClient http(ctx.io, ctx.target, ctx.sources.Next(), o.timeout_s);
  const std::string name = o.user_prefix + std::to_string(o.user_start - 1 + vu);
  for (std::uint64_t iter = 0; !run->stopping && vu <= run->target; ++iter) {
    ++run->iterations;
    std::string failure;
    std::string error;
    std::int64_t login_us = 0;
    const std::string token = co_await Login(ctx, http, name, error, &login_us);
    ++run->http_reqs;
    run->http_req_duration.Record(login_us);
    if (token.empty()) {
      ++run->http_failed;
      failure = error.substr(0, 120);
    } else {
      auto it = std::make_shared<Iteration>(ctx.io);
      GatewaySpec spec;
      spec.path = "/ws?token=" + token;
      spec.token = token;
      spec.minimal_identify = true;
      spec.source = ctx.sources.Next();
      spec.timeout_s = o.timeout_s;
      auto client =
          StartGateway(ctx.io, ctx.target, std::move(spec), it, static_cast<std::uint32_t>(vu));
      const auto hold_end = After(HoldSeconds(o));
      while (!it->ready && !it->closed && !run->stopping &&
             std::chrono::steady_clock::now() < hold_end) {
        co_await it->changed.WaitUntil(hold_end);
      }
      if (it->ready && !it->closed) {
        it->nonce = std::to_string(vu) + "-" + std::to_string(iter);
        boost::json::object d{
            {"channel_id", o.channel_id}, {"content", "Load test message"}, {"nonce", it->nonce}};
        it->sent_us = NowUs();
        client->Send(boost::json::serialize(
            boost::json::object{{"op", 0}, {"t", "MESSAGE_CREATE"}, {"d", std::move(d)}}));
        ++run->messages_sent;
      }
      while (!it->closed && !run->stopping && std::chrono::steady_clock::now() < hold_end) {
        co_await it->changed.WaitUntil(hold_end);
      }
      if (it->echo_us) {
        ++run->messages_echoed;
        run->message_latency.Record(it->echo_us);
      }
      if (!it->ready) {
        failure = it->closed ? "gateway: " + it->error.substr(0, 120) : "gateway: no READY";
      } else if (it->closed && !it->error.empty()) {
        failure = "gateway closed early: " + it->error.substr(0, 120);
      } else if (!it->echo_us) {
        failure = "MESSAGE_CREATE not echoed within the hold";
      }
      const std::int64_t close_start = NowUs();
      client->Close();
      const auto close_end = After(5);
      while (!it->closed && std::chrono::steady_clock::now() < close_end) {
        co_await it->changed.WaitUntil(close_end);
      }
      // Not a k6 threshold, but a server that leaves closes hanging also slows its own load
      // down (a VU waits here instead of iterating), which flatters every other figure.
      if (it->closed) {
        run->close_latency.Record(NowUs() - close_start);
      } else {
        ++run->closes_unfinished;
      }
    }
    if (!failure.empty()) {
      ++run->errors;
      ++run->reasons[failure];
    }
    if (run->stopping) break;
    co_await SleepUntil(ctx.io, After(SleepSeconds(o)));
  }
  run->running[static_cast<std::size_t>(vu)] = 0;
  --run->active;
  run->changed.Notify();
}

int TargetAt(const std::vector<Stage>& stages, double t) {
  int from = 0;
  for (const auto& s : stages) {
    if (t < s.seconds) {
      return from + static_cast<int>(std::lround((s.target - from) * (t / s.seconds)));
    }
    t -= s.seconds;
    from = s.target;
  }
  return from;
}

std::string Ms(std::int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
  return buf;
}

}  // namespace

net::awaitable<Report> RunSeed(Context& ctx) {
  const Options& o = ctx.opts;
  Report report("seed");
  const double k = o.time_scale;
  const int peak = o.vus;
  const int first = std::max(1, peak / 5);
  const std::vector<Stage> stages = {
      {60 * k, first}, {180 * k, first}, {60 * k, peak}, {120 * k, peak}, {60 * k, 0}};
  double total_s = 0;
  for (const auto& s : stages) total_s += s.seconds;
  report.Config("vus", peak);
  report.Config("time_scale", k);
  report.Config("stages", "1m->" + std::to_string(first) + ", 3m, 1m->" + std::to_string(peak) +
                              ", 2m, 1m->0 (x" + std::to_string(k) + ")");
  report.Config("hold_s", HoldSeconds(o));
  report.Config("sleep_s", SleepSeconds(o));
  report.Config("target", o.target);

  auto run = std::make_shared<SeedRun>(ctx.io);
  run->running.assign(static_cast<std::size_t>(peak) + 1, 0);
  ctx.progress.Show("seed", [&, run] {
    return "vus " + std::to_string(run->active) + " (target " + std::to_string(run->target) +
           ") | iterations " + std::to_string(run->iterations) + ", errors " +
           std::to_string(run->errors) + " | login p95 " +
           Ms(run->http_req_duration.Percentile(95)) + " | message p95 " +
           Ms(run->message_latency.Percentile(95));
  });
  const auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (t >= total_s) break;
    run->target = TargetAt(stages, t);
    for (int vu = 1; vu <= run->target; ++vu) {
      if (run->running[static_cast<std::size_t>(vu)]) continue;
      run->running[static_cast<std::size_t>(vu)] = 1;
      ++run->active;
      run->peak = std::max(run->peak, run->active);
      net::co_spawn(ctx.io, Vu(ctx, run, vu), net::detached);
    }
    co_await SleepUntil(ctx.io, After(0.05));
  }
  // k6's graceful stop: running iterations may finish within 30 s (scaled, at least one hold).
  run->target = 0;
  const auto grace = After(std::max(30.0 * k, HoldSeconds(o) + 2.0 * o.timeout_s));
  while (run->active > 0 && std::chrono::steady_clock::now() < grace) {
    co_await run->changed.WaitUntil(grace);
  }
  if (run->active > 0) {
    report.Note(std::to_string(run->active) + " VUs interrupted at the graceful stop");
    run->stopping = true;
    const auto hard = After(o.timeout_s + 10);
    while (run->active > 0 && std::chrono::steady_clock::now() < hard) {
      co_await run->changed.WaitUntil(hard);
    }
  }
  ctx.progress.Stop();

  const double error_rate =
      run->iterations ? static_cast<double>(run->errors) / static_cast<double>(run->iterations) : 1;
  const double http_p95 = static_cast<double>(run->http_req_duration.Percentile(95)) / 1000.0;
  const double msg_p95 = static_cast<double>(run->message_latency.Percentile(95)) / 1000.0;
  report.Metric("iterations", static_cast<double>(run->iterations));
  report.Metric("errors", static_cast<double>(run->errors));
  report.Metric("error_rate", error_rate);
  report.Metric("http_reqs", static_cast<double>(run->http_reqs));
  report.Metric("http_req_failed", static_cast<double>(run->http_failed));
  report.Metric("messages_sent", static_cast<double>(run->messages_sent));
  report.Metric("messages_echoed", static_cast<double>(run->messages_echoed));
  report.Metric("closes_unfinished", static_cast<double>(run->closes_unfinished));
  report.Metric("vus_peak", run->peak);
  report.Metric("stages_s", total_s, "s");
  report.Latency("http_req_duration", run->http_req_duration);
  report.Latency("message_latency", run->message_latency);
  report.Latency("close_latency", run->close_latency);
  report.Check("http_req_duration", "p95 < 500 ms", http_p95,
               run->http_req_duration.Count() > 0 && http_p95 < 500);
  report.Check("errors", "rate < 1%", error_rate, run->iterations > 0 && error_rate < 0.01);
  report.Check("message_latency", "p95 < 100 ms", msg_p95,
               run->message_latency.Count() > 0 && msg_p95 < 100);
  int shown = 0;
  for (const auto& [why, count] : run->reasons) {
    if (++shown > 5) break;
    report.Note(std::to_string(count) + " x " + why);
  }
  co_return report;
}

}  // namespace chat::loadgen
