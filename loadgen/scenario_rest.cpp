// The `rest` scenario: message POSTs and 50-message history GETs at concurrency C.
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <string>
#include <variant>

#include "loadgen/clock.hpp"
#include "loadgen/events.hpp"
#include "loadgen/rest_client.hpp"
#include "loadgen/scenarios.hpp"
#include "loadgen/setup.hpp"
#include "loadgen/target.hpp"

namespace chat::loadgen {

namespace net = boost::asio;

namespace {

constexpr int kPage = 50;  // messages per history GET

struct RestState {
  explicit RestState(net::io_context& io) : changed(io) {}
  Event changed;
  Histogram post, get, all;
  std::uint64_t requests = 0, posts = 0, gets = 0, non_2xx = 0, errors = 0;
  std::map<int, std::uint64_t> statuses;
  std::string first_failure;
  int running = 0;
};

net::awaitable<void> Worker(Context& ctx, std::shared_ptr<RestState> st, int index,
                            std::string authorization, std::string channel_id, SteadyTime end) {
  RestClient client(ctx.io, ctx.target, ctx.sources.Next(), ctx.opts.timeout_s);
  const int percent = ctx.opts.history_percent;
  // Spreads exactly `percent` % GETs evenly over the sequence, each worker at its own phase.
  for (std::int64_t k = index; std::chrono::steady_clock::now() < end; ++k) {
    const bool is_get = (k + 1) * percent / 100 != k * percent / 100;
    HttpRequest req;
    req.authorization = authorization;
    if (is_get) {
      req.target = ctx.Api("/channels/" + channel_id + "/messages?limit=" + std::to_string(kPage));
    } else {
      req.method = "POST";
      req.target = ctx.Api("/channels/" + channel_id + "/messages");
      req.content_type = "application/json";
      req.body =
          "{\"content\":\"loadgen rest " + std::to_string(index) + " " + std::to_string(k) + "\"}";
    }
    HttpResult res = co_await client.Send(req);
    ++st->requests;
    (is_get ? st->gets : st->posts)++;
    (is_get ? st->get : st->post).Record(res.latency_us);
    st->all.Record(res.latency_us);
    ++st->statuses[res.status];
    if (res.status == 0) {
      ++st->errors;
    } else if (!res.ok()) {
      ++st->non_2xx;
    }
    if (!res.ok() && st->first_failure.empty()) {
      st->first_failure =
          (is_get ? "GET: " : "POST: ") +
          (res.status ? "HTTP " + std::to_string(res.status) + " " + res.body.substr(0, 200)
                      : res.error);
    }
  }
  if (--st->running == 0) st->changed.Notify();
}

// Posts until the channel holds a whole history page, so that every measured GET reads 50
// messages (a freshly seeded #general has three). Returns how many it posted, or an error.
net::awaitable<std::variant<int, std::string>> FillOnePage(Context& ctx, const std::string& auth,
                                                           const std::string& channel_id) {
  RestClient client(ctx.io, ctx.target, ctx.sources.Next(), ctx.opts.timeout_s);
  HttpRequest get;
  get.authorization = auth;
  get.target = ctx.Api("/channels/" + channel_id + "/messages?limit=" + std::to_string(kPage));
  HttpResult page = co_await client.Send(get);
  if (!page.ok()) {
    co_return "history GET: " + (page.status ? "HTTP " + std::to_string(page.status) : page.error);
  }
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(page.body, ec);
  if (ec || !v.is_array()) co_return std::string("history GET: not a JSON array");
  const int held = static_cast<int>(v.as_array().size());
  for (int i = held; i < kPage; ++i) {
    HttpRequest post;
    post.authorization = auth;
    post.method = "POST";
    post.target = ctx.Api("/channels/" + channel_id + "/messages");
    post.content_type = "application/json";
    post.body = "{\"content\":\"loadgen rest page " + std::to_string(i) + "\"}";
    HttpResult res = co_await client.Send(post);
    if (!res.ok()) {
      co_return "filling the page: " +
          (res.status ? "HTTP " + std::to_string(res.status) + " " + res.body.substr(0, 200)
                      : res.error);
    }
  }
  co_return std::max(0, kPage - held);
}

std::string Ms(std::int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
  return buf;
}

}  // namespace

net::awaitable<Report> RunRest(Context& ctx) {
  const Options& o = ctx.opts;
  Report report("rest");
  const int c = o.concurrency;
  const int users = o.users > 0 ? std::min(o.users, c) : c;
  report.Config("concurrency", c);
  report.Config("users", users);
  report.Config("duration_s", o.duration_s);
  report.Config("history_percent", o.history_percent);
  report.Config("target", o.target);

  Accounts accounts = co_await PrepareAccounts(ctx, users, true);
  if (!accounts.error.empty()) {
    report.Check("setup", "accounts and channel ready", 0, false);
    report.Note(accounts.error);
    co_return report;
  }
  report.Config("channel_id", accounts.channel_id);
  if (o.history_percent > 0) {
    auto filled =
        co_await FillOnePage(ctx, ctx.Authorization(accounts.tokens.front()), accounts.channel_id);
    if (const auto* error = std::get_if<std::string>(&filled)) {
      report.Check("setup", "a full history page in the channel", 0, false);
      report.Note(*error);
      co_return report;
    }
    report.Metric("prefilled_messages", std::get<int>(filled));
  }

  auto st = std::make_shared<RestState>(ctx.io);
  std::uint64_t last = 0;
  ctx.progress.Show("rest", [&, st] {
    const auto rate = st->requests - last;
    last = st->requests;
    return "clients " + std::to_string(st->running) + " | " + std::to_string(rate) + " req/s | " +
           std::to_string(st->non_2xx + st->errors) + " failed | p99 " + Ms(st->all.Percentile(99));
  });
  const CpuSample cpu_at_start = SampleCpu(o.server_pid);
  const std::int64_t t0 = NowUs();
  const auto end = After(o.duration_s);
  st->running = c;
  for (int w = 0; w < c; ++w) {
    const std::string auth =
        ctx.Authorization(accounts.tokens[static_cast<std::size_t>(w % users)]);
    auto worker = Worker(ctx, st, w, auth, accounts.channel_id, end);
    net::co_spawn(ctx.io, std::move(worker), net::detached);
  }
  while (st->running > 0) co_await st->changed.WaitUntil(After(1));
  const double elapsed = static_cast<double>(NowUs() - t0) / 1e6;
  const CpuSample cpu_at_end = SampleCpu(o.server_pid);
  ctx.progress.Stop();

  report.Metric("requests", static_cast<double>(st->requests));
  report.Metric("requests_per_s", elapsed > 0 ? st->requests / elapsed : 0, "/s");
  report.Metric("posts", static_cast<double>(st->posts));
  report.Metric("history_gets", static_cast<double>(st->gets));
  report.Metric("non_2xx", static_cast<double>(st->non_2xx));
  report.Metric("transport_errors", static_cast<double>(st->errors));
  report.Metric("elapsed_s", elapsed, "s");
  // Per request made (the `requests` figure): what a request costs, free of latency noise.
  const double requests = static_cast<double>(st->requests);
  if (cpu_at_start.server_ms && cpu_at_end.server_ms) {
    const auto server_ms = static_cast<double>(*cpu_at_end.server_ms - *cpu_at_start.server_ms);
    report.Metric("server_cpu_ms", server_ms, "ms");
    if (requests > 0) report.Metric("server_cpu_us_per_request", server_ms * 1000 / requests, "us");
  } else if (o.server_pid) {
    report.Note("cannot read /proc/" + std::to_string(o.server_pid) + "/stat");
  }
  const double self_ms = cpu_at_end.self_ms - cpu_at_start.self_ms;
  report.Metric("loadgen_cpu_ms", self_ms, "ms");
  if (requests > 0) report.Metric("loadgen_cpu_us_per_request", self_ms * 1000 / requests, "us");
  report.Latency("all", st->all);
  report.Latency("post_message", st->post);
  report.Latency("get_history_50", st->get);
  report.Check("requests made", "> 0", static_cast<double>(st->requests), st->requests > 0);
  report.Check("non-2xx responses", "= 0", static_cast<double>(st->non_2xx), st->non_2xx == 0);
  report.Check("transport errors", "= 0", static_cast<double>(st->errors), st->errors == 0);
  for (const auto& [status, count] : st->statuses) {
    if (status < 200 || status >= 300) {
      report.Note(std::to_string(count) + " x " +
                  (status ? "HTTP " + std::to_string(status) : std::string("no response")));
    }
  }
  if (!st->first_failure.empty()) report.Note("first failure: " + st->first_failure);
  co_return report;
}

}  // namespace chat::loadgen
