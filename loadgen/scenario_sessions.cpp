// The `sessions` scenario: many idle gateway sessions; connect->READY latency, failures, memory.
#include <unistd.h>
#include <boost/asio.hpp>

#include <cstdio>
#include <map>
#include <vector>

#include "loadgen/clock.hpp"
#include "loadgen/events.hpp"
#include "loadgen/gateway_client.hpp"
#include "loadgen/scenarios.hpp"
#include "loadgen/setup.hpp"

namespace chat::loadgen {

namespace net = boost::asio;

namespace {

struct SessionsState final : GatewayListener {
  explicit SessionsState(net::io_context& io) : changed(io) {}

  void OnReady(GatewayClient&, std::int64_t latency_us) override {
    ++ready;
    --connecting;
    connect.Record(latency_us);
    changed.Notify();
  }
  void OnDispatch(GatewayClient&, std::string_view, const GatewayFrame&, std::int64_t) override {}
  void OnClosed(GatewayClient& client, const std::string& error) override {
    ++closed;
    if (!client.ready()) {
      --connecting;
      if (!closing) ++reasons[error.empty() ? "closed before READY" : error];
    } else if (!closing) {
      ++dropped;
      ++reasons["dropped: " + (error.empty() ? std::string("closed") : error)];
    }
    changed.Notify();
  }

  Event changed;
  Histogram connect;
  int ready = 0;
  int connecting = 0;
  int closed = 0;
  int dropped = 0;
  bool closing = false;
  std::map<std::string, int> reasons;
};

std::string Ms(std::int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
  return buf;
}

}  // namespace

net::awaitable<Report> RunSessions(Context& ctx) {
  const Options& o = ctx.opts;
  Report report("sessions");
  const int n = o.sessions;
  const int users = o.users > 0 ? std::min(o.users, n) : n;
  report.Config("sessions", n);
  report.Config("users", users);
  report.Config("duration_s", o.duration_s);
  report.Config("connect_rate", o.connect_rate);
  report.Config("source_addrs", ctx.sources.size());
  report.Config("target", o.target);

  Accounts accounts = co_await PrepareAccounts(ctx, users, false);
  if (!accounts.error.empty()) {
    report.Check("setup", "accounts ready", 0, false);
    report.Note(accounts.error);
    co_return report;
  }

  std::optional<std::int64_t> rss_before;
  if (o.server_pid) rss_before = ReadRssKiB(o.server_pid);
  const auto self_before = ReadRssKiB(static_cast<int>(::getpid()));

  auto st = std::make_shared<SessionsState>(ctx.io);
  std::vector<std::shared_ptr<GatewayClient>> clients;
  clients.reserve(static_cast<std::size_t>(n));
  int last_ready = 0;
  ctx.progress.Show("connect", [&, st]() mutable {
    const int rate = st->ready - last_ready;
    last_ready = st->ready;
    return "sessions " + std::to_string(st->ready) + "/" + std::to_string(n) + " ready, " +
           std::to_string(static_cast<int>(clients.size()) - st->ready - st->connecting) +
           " failed | " + std::to_string(rate) + "/s | p99 " + Ms(st->connect.Percentile(99));
  });

  const std::int64_t t0 = NowUs();
  int started = 0;
  while (started < n) {
    const double elapsed = static_cast<double>(NowUs() - t0) / 1e6;
    const int allowed = std::min<int>(n, static_cast<int>(elapsed * o.connect_rate) + 1);
    while (started < allowed && st->connecting < o.connect_inflight) {
      GatewaySpec spec;
      spec.path = o.gateway_path;
      spec.token = accounts.tokens[static_cast<std::size_t>(started % users)];
      spec.intents = o.intents;
      spec.source = ctx.sources.Next();
      spec.timeout_s = o.timeout_s;
      ++st->connecting;
      clients.push_back(StartGateway(ctx.io, ctx.target, std::move(spec), st,
                                     static_cast<std::uint32_t>(started)));
      ++started;
    }
    co_await st->changed.WaitUntil(After(0.005));
  }
  const auto ready_deadline = After(o.timeout_s);
  while (st->connecting > 0 && std::chrono::steady_clock::now() < ready_deadline) {
    co_await st->changed.WaitUntil(ready_deadline);
  }
  const double connect_s = static_cast<double>(NowUs() - t0) / 1e6;
  const int never_ready = st->connecting;  // still waiting at the deadline
  if (never_ready > 0)
    st->reasons["no READY within " + std::to_string(o.timeout_s) + " s"] += never_ready;

  ctx.progress.Show("hold", [&, st] {
    return "sessions " + std::to_string(st->ready - st->dropped) + " open, " +
           std::to_string(st->dropped) + " dropped";
  });
  const auto hold_end = After(o.duration_s);
  while (std::chrono::steady_clock::now() < hold_end) co_await SleepUntil(ctx.io, hold_end);

  std::optional<std::int64_t> rss_after;
  if (o.server_pid) rss_after = ReadRssKiB(o.server_pid);
  const auto self_after = ReadRssKiB(static_cast<int>(::getpid()));
  const int open_at_end = st->ready - st->dropped;

  st->closing = true;
  ctx.progress.Show("close", [&, st] { return std::to_string(st->closed) + " closed"; });
  for (auto& c : clients) c->Close();
  const auto close_deadline = After(std::min(o.timeout_s, 15));
  while (st->closed < started && std::chrono::steady_clock::now() < close_deadline) {
    co_await st->changed.WaitUntil(close_deadline);
  }
  ctx.progress.Stop();

  const int failed = n - st->ready;
  report.Metric("sessions_requested", n);
  report.Metric("sessions_ready", st->ready);
  report.Metric("sessions_failed", failed);
  report.Metric("sessions_dropped", st->dropped);
  report.Metric("sessions_open_at_end", open_at_end);
  report.Metric("connect_phase_s", connect_s, "s");
  report.Metric("ready_per_s", connect_s > 0 ? st->ready / connect_s : 0, "/s");
  report.Metric("hold_s", o.duration_s, "s");
  if (rss_before && rss_after) {
    report.Metric("server_rss_before_kib", static_cast<double>(*rss_before), "KiB");
    report.Metric("server_rss_after_kib", static_cast<double>(*rss_after), "KiB");
    if (open_at_end > 0) {
      report.Metric("server_rss_per_session_kib",
                    static_cast<double>(*rss_after - *rss_before) / open_at_end, "KiB");
    }
  } else if (o.server_pid) {
    report.Note("cannot read /proc/" + std::to_string(o.server_pid) + "/status");
  }
  if (self_before && self_after && open_at_end > 0) {
    report.Metric("loadgen_rss_per_session_kib",
                  static_cast<double>(*self_after - *self_before) / open_at_end, "KiB");
  }
  report.Latency("connect_to_ready", st->connect);
  report.Check("sessions ready", "= " + std::to_string(n), st->ready, st->ready == n);
  report.Check("sessions dropped while idle", "= 0", st->dropped, st->dropped == 0);
  int shown = 0;
  for (const auto& [why, count] : st->reasons) {
    if (++shown > 5) break;
    report.Note(std::to_string(count) + " x " + why);
  }
  co_return report;
}

}  // namespace chat::loadgen
