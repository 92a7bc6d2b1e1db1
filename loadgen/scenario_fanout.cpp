// The `fanout` scenario: one channel, N receivers, S senders at R msg/s; end-to-end latency,
// deliveries/s, lost and duplicated deliveries. Senders, progress and the scenario itself run on
// the main io_context; the receivers there too, or with --threads N on N threads of their own.
#include <atomic>
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "loadgen/clock.hpp"
#include "loadgen/events.hpp"
#include "loadgen/gateway_client.hpp"
#include "loadgen/rest_client.hpp"
#include "loadgen/scenarios.hpp"
#include "loadgen/setup.hpp"
#include "loadgen/target.hpp"

namespace chat::loadgen {

namespace net = boost::asio;

namespace {

// One receiver thread's share of the results (with --threads 1 the only one, on the main
// thread). Its figures are written on that thread only, so the hot path takes no lock but the
// uncontended `latency_mutex`, which the progress line takes once a second; the main thread reads
// the plain ones once the receiver threads have been joined.
struct alignas(64) Shard {
  static constexpr std::uint64_t kNoTarget = ~std::uint64_t{0};

  std::mutex latency_mutex;
  Histogram latency;  // guarded by latency_mutex
  // Seq-cst, like `target`: a shard that reaches its target before it sees it, and the main thread
  // that publishes it, cannot both miss each other (see FanoutState::OnDispatch).
  std::atomic<std::uint64_t> deliveries = 0;
  std::atomic<std::uint64_t> target = kNoTarget;  // this shard's expected deliveries, once draining
  std::uint64_t duplicates = 0;
  std::int64_t last_delivery_us = 0;
  bool target_reached = false;
  int receivers = 0;  // counted by the main thread before any of them starts
};

// Message content is "lg <run> <seq> <send_us>": the run tag filters out other traffic, the
// sequence identifies the message, the send time (same process clock) gives the latency.
// Thread-safety: the listener callbacks run on the receivers' threads. Receiver r is confined to
// one thread, so are its `seen` row and its shard (r % shards); OnReady/OnClosed counters sit
// under `mutex`; the scenario's Event belongs to the main io_context, so Wake() posts there. The
// rest (sender figures, sent_ok, expected) is the main thread's.
struct FanoutState final : GatewayListener, std::enable_shared_from_this<FanoutState> {
  FanoutState(net::io_context& io, int members, int total, int threads)
      : main_io(io),
        changed(io),
        members(members),
        total(total),
        // Rows of whole 64-byte lines: receivers next to each other run on different threads,
        // and all of them mark about the same sequence at once.
        words(((static_cast<std::size_t>(total) + 63) / 64 + 7) / 8 * 8),
        seen(static_cast<std::size_t>(members) * words, 0),
        sent_ok(total, 0) {
    for (int i = 0; i < threads; ++i) shards.push_back(std::make_unique<Shard>());
  }

  void OnReady(GatewayClient&, std::int64_t latency_us) override {
    {
      std::lock_guard lock(mutex);
      ++ready;
      connect.Record(latency_us);
    }
    Wake();
  }

  void OnDispatch(GatewayClient& client, std::string_view type, const GatewayFrame& frame,
                  std::int64_t received_us) override {
    if (type != "MESSAGE_CREATE" || !frame.has_content) return;
    std::string_view text = frame.content;
    if (text.substr(0, prefix.size()) != prefix) return;
    text.remove_prefix(prefix.size());
    int seq = -1;
    std::int64_t sent_us = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
    if (ec != std::errc() || p == text.data() + text.size() || *p != ' ') return;
    auto [q, ec2] = std::from_chars(p + 1, text.data() + text.size(), sent_us);
    if (ec2 != std::errc() || seq < 0 || seq >= total ||
        client.tag >= static_cast<unsigned>(members)) {
      return;
    }
    Shard& shard = *shards[client.tag % shards.size()];
    auto& word = seen[client.tag * words + static_cast<std::size_t>(seq) / 64];
    const std::uint64_t bit = std::uint64_t{1} << (seq % 64);
    if (word & bit) {
      ++shard.duplicates;
      return;
    }
    word |= bit;
    shard.last_delivery_us = received_us;
    {
      std::lock_guard lock(shard.latency_mutex);
      shard.latency.Record(received_us - sent_us);
    }
    // The drain ends when every shard has its expected deliveries: the main thread stores the
    // targets and then sums the counts, each shard counts and then reads its target (all seq-cst),
    // so either the main thread sees the last count or the shard sees its target and wakes it.
    const std::uint64_t delivered = shard.deliveries.fetch_add(1) + 1;
    if (!shard.target_reached && delivered >= shard.target.load()) {
      shard.target_reached = true;
      Wake();
    }
  }

  void OnClosed(GatewayClient& client, const std::string& error) override {
    {
      std::lock_guard lock(mutex);
      ++closed;
      if (!closing.load()) {
        if (client.ready())
          ++dropped;
        else
          ++failed;
        ++reasons[(client.ready() ? "dropped: " : "") +
                  (error.empty() ? std::string("closed") : error)];
      }
    }
    Wake();
  }

  // Wakes the scenario coroutine. Its Event is a timer of the main io_context, touched only on the
  // main thread: from a receiver thread the Notify is posted there (keeping the state alive).
  void Wake() {
    if (main_io.get_executor().running_in_this_thread()) {
      changed.Notify();
    } else {
      net::post(main_io, [self = shared_from_this()] { self->changed.Notify(); });
    }
  }

  struct Counts {
    int ready = 0, failed = 0, dropped = 0, closed = 0;
  };
  Counts counts() {
    std::lock_guard lock(mutex);
    return {ready, failed, dropped, closed};
  }

  // Deliveries so far, all shards; exact once the receiver threads have stopped.
  std::uint64_t Deliveries() const {
    std::uint64_t sum = 0;
    for (const auto& shard : shards) sum += shard->deliveries.load();
    return sum;
  }

  // Every receiver's expected deliveries, `sent` each: starts the drain's wake-ups.
  void SetTargets(std::uint64_t sent) {
    for (auto& shard : shards) {
      shard->target.store(sent * static_cast<std::uint64_t>(shard->receivers));
    }
  }

  // The delivery latencies of all shards (a copy, consistent per shard).
  Histogram Latency() {
    Histogram all;
    for (auto& shard : shards) {
      std::lock_guard lock(shard->latency_mutex);
      all.Merge(shard->latency);
    }
    return all;
  }

  bool Seen(int receiver, int seq) const {
    return seen[static_cast<std::size_t>(receiver) * words + static_cast<std::size_t>(seq) / 64] &
           (std::uint64_t{1} << (seq % 64));
  }

  net::io_context& main_io;
  Event changed;
  std::string prefix;  // "lg <run> ", set before the first receiver starts
  const int members;
  const int total;
  const std::size_t words;
  std::vector<std::uint64_t> seen;  // receiver x seq bitset; row r written by r's thread only
  std::vector<std::unique_ptr<Shard>> shards;
  std::atomic<bool> closing = false;

  // Under `mutex`: what OnReady and OnClosed count.
  std::mutex mutex;
  Histogram connect;
  int ready = 0, failed = 0, dropped = 0, closed = 0;
  std::map<std::string, int> reasons;

  // The main thread's.
  std::vector<char> sent_ok;  // seq -> POST returned 2xx
  Histogram post;
  std::uint64_t expected = 0;
  std::int64_t first_send_us = 0;
  std::int64_t last_send_us = 0;
  std::optional<CpuSample> cpu_at_first_send;  // the measured phase starts at the first send
  int sent = 0, send_errors = 0, senders_running = 0;
  std::string first_send_error;
};

// Where the receivers run: with --threads 1 on the main io_context (no thread of their own),
// else round-robin over N io_contexts, each run by one thread. Owns the sessions, so that the
// teardown order holds: threads joined, then the sessions released on the main thread (a session
// is destroyed on its own thread or once that has stopped), then the io_contexts destroyed (with
// the handlers of sessions that never closed).
class Receivers {
 public:
  Receivers(net::io_context& main_io, int threads) : main_io_(main_io) {
    if (threads <= 1) return;
    for (int i = 0; i < threads; ++i) {
      contexts_.push_back(std::make_unique<net::io_context>(1));
      guards_.push_back(net::make_work_guard(*contexts_.back()));
    }
    for (auto& io : contexts_) threads_.emplace_back([&context = *io] { context.run(); });
  }
  Receivers(const Receivers&) = delete;
  Receivers& operator=(const Receivers&) = delete;
  ~Receivers() {
    Stop();
    clients.clear();
    contexts_.clear();
  }

  net::io_context& For(std::size_t receiver) {
    return contexts_.empty() ? main_io_ : *contexts_[receiver % contexts_.size()];
  }

  // Stops the receiver threads (handlers not yet run never run) and joins them. Idempotent.
  void Stop() {
    guards_.clear();
    for (auto& io : contexts_) io->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  std::vector<std::shared_ptr<GatewayClient>> clients;

 private:
  net::io_context& main_io_;
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
};

// A sender's keep-alive connections: a POST slower than the send interval must not delay the
// next message (that would measure the sender, not the server), so each scheduled send takes an
// idle connection, opening another one up to kMaxConnections.
struct SenderPool {
  static constexpr int kMaxConnections = 16;
  explicit SenderPool(net::io_context& io) : freed(io) {}
  std::vector<std::unique_ptr<RestClient>> clients;
  std::vector<char> busy;
  int in_flight = 0;
  Event freed;
};

net::awaitable<void> Post(std::shared_ptr<FanoutState> st, SenderPool& pool, std::size_t slot,
                          HttpRequest req, int seq) {
  HttpResult res = co_await pool.clients[slot]->Send(req);
  st->post.Record(res.latency_us);
  if (res.ok()) {
    st->sent_ok[static_cast<std::size_t>(seq)] = 1;
    ++st->sent;
  } else {
    ++st->send_errors;
    if (st->first_send_error.empty()) {
      st->first_send_error =
          res.status ? "HTTP " + std::to_string(res.status) + " " + res.body.substr(0, 200)
                     : res.error;
    }
  }
  pool.busy[slot] = 0;
  --pool.in_flight;
  pool.freed.Notify();
}

// Sender `index` of `senders` sends sequences index, index+S, ... each at its slot of an
// open-loop schedule (seq / rate seconds after t0).
net::awaitable<void> Sender(Context& ctx, std::shared_ptr<FanoutState> st, int index, int senders,
                            std::string authorization, std::string channel_id, SteadyTime t0) {
  SenderPool pool(ctx.io);
  for (int seq = index; seq < st->total; seq += senders) {
    const auto when =
        t0 + std::chrono::microseconds(static_cast<std::int64_t>(seq * 1e6 / ctx.opts.rate));
    co_await SleepUntil(ctx.io, when);
    std::size_t slot = pool.clients.size();
    for (;;) {
      for (std::size_t i = 0; i < pool.busy.size(); ++i) {
        if (!pool.busy[i]) {
          slot = i;
          break;
        }
      }
      if (slot < pool.clients.size()) break;
      if (static_cast<int>(pool.clients.size()) < SenderPool::kMaxConnections) {
        pool.clients.push_back(std::make_unique<RestClient>(ctx.io, ctx.target, ctx.sources.Next(),
                                                            ctx.opts.timeout_s));
        pool.busy.push_back(0);
        slot = pool.clients.size() - 1;
        break;
      }
      co_await pool.freed.WaitUntil(After(1));
    }
    HttpRequest req;
    req.method = "POST";
    req.target = ctx.Api("/channels/" + channel_id + "/messages");
    req.content_type = "application/json";
    req.authorization = authorization;
    // Sampled before the clock read, so the /proc read does not count as delivery latency.
    if (!st->cpu_at_first_send) st->cpu_at_first_send = SampleCpu(ctx.opts.server_pid);
    const std::int64_t now = NowUs();
    if (st->first_send_us == 0) st->first_send_us = now;
    st->last_send_us = now;
    const std::string content = st->prefix + std::to_string(seq) + " " + std::to_string(now);
    const std::string nonce =
        st->prefix.substr(3, st->prefix.size() - 4) + "-" + std::to_string(seq);
    req.body = boost::json::serialize(boost::json::object{{"content", content}, {"nonce", nonce}});
    pool.busy[slot] = 1;
    ++pool.in_flight;
    auto post = Post(st, pool, slot, std::move(req), seq);
    net::co_spawn(ctx.io, std::move(post), net::detached);
  }
  while (pool.in_flight > 0) co_await pool.freed.WaitUntil(After(1));
  if (--st->senders_running == 0) st->changed.Notify();
}

std::string Ms(std::int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
  return buf;
}

}  // namespace

net::awaitable<Report> RunFanout(Context& ctx) {
  const Options& o = ctx.opts;
  Report report("fanout");
  const int n = o.members;
  const int s = o.senders;
  const int total = std::max(1, static_cast<int>(std::floor(o.rate * o.duration_s)));
  report.Config("members", n);
  report.Config("senders", s);
  report.Config("rate", o.rate);
  report.Config("duration_s", o.duration_s);
  report.Config("drain_s", o.drain_s);
  report.Config("threads", o.threads);
  report.Config("target", o.target);

  Accounts accounts = co_await PrepareAccounts(ctx, n, true);
  if (!accounts.error.empty()) {
    report.Check("setup", "accounts and channel ready", 0, false);
    report.Note(accounts.error);
    co_return report;
  }
  report.Config("channel_id", accounts.channel_id);

  auto st = std::make_shared<FanoutState>(ctx.io, n, total, o.threads);
  std::mt19937 rng(std::random_device{}());
  st->prefix = "lg " + std::to_string(100000 + rng() % 900000) + " ";
  for (int i = 0; i < n; ++i) {
    ++st->shards[static_cast<std::size_t>(i) % st->shards.size()]->receivers;
  }

  // Every member listens; the first S also send. Receiver i runs on thread i % threads, where
  // shard i % threads counts for it.
  Receivers receivers(ctx.io, o.threads);
  auto& clients = receivers.clients;
  ctx.progress.Show("connect", [&, st] {
    const auto c = st->counts();
    return "receivers " + std::to_string(c.ready) + "/" + std::to_string(n) + " ready, " +
           std::to_string(c.failed) + " failed";
  });
  for (int i = 0; i < n; ++i) {
    for (;;) {
      const auto c = st->counts();
      if (static_cast<int>(clients.size()) - c.ready - c.failed < 256) break;
      co_await st->changed.WaitUntil(After(0.05));
    }
    GatewaySpec spec;
    spec.path = o.gateway_path;
    spec.token = accounts.tokens[static_cast<std::size_t>(i)];
    spec.intents = o.intents;
    spec.source = ctx.sources.Next();
    spec.timeout_s = o.timeout_s;
    clients.push_back(StartGateway(receivers.For(static_cast<std::size_t>(i)), ctx.target,
                                   std::move(spec), st, static_cast<std::uint32_t>(i)));
  }
  const auto ready_deadline = After(o.timeout_s);
  for (;;) {
    const auto c = st->counts();
    if (c.ready + c.failed >= n || std::chrono::steady_clock::now() >= ready_deadline) break;
    co_await st->changed.WaitUntil(ready_deadline);
  }
  const bool all_ready = st->counts().ready == n;
  std::optional<CpuSample> cpu_at_drain_end;
  if (all_ready) {
    std::uint64_t last_deliveries = 0;
    ctx.progress.Show("send", [&, st]() mutable {
      const auto c = st->counts();
      const auto deliveries = st->Deliveries();
      const auto rate = deliveries - last_deliveries;
      last_deliveries = deliveries;
      return "receivers " + std::to_string(c.ready - c.dropped) + " | sent " +
             std::to_string(st->sent) + "/" + std::to_string(total) + ", errors " +
             std::to_string(st->send_errors) + " | " + std::to_string(rate) +
             " deliveries/s | p99 " + Ms(st->Latency().Percentile(99));
    });
    const auto t0 = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    st->senders_running = s;
    for (int j = 0; j < s; ++j) {
      const std::string auth = ctx.Authorization(accounts.tokens[static_cast<std::size_t>(j)]);
      auto sender = Sender(ctx, st, j, s, auth, accounts.channel_id, t0);
      net::co_spawn(ctx.io, std::move(sender), net::detached);
    }
    while (st->senders_running > 0) co_await st->changed.WaitUntil(After(1));
    st->expected = static_cast<std::uint64_t>(st->sent) * static_cast<std::uint64_t>(n);
    // Before the first check below: a shard that completes after it wakes this coroutine. (A
    // shard can pass its target with deliveries of failed POSTs while another stays short; the
    // sum then meets `expected` unseen and the drain runs its full time, in a run that fails.)
    st->SetTargets(static_cast<std::uint64_t>(st->sent));
    ctx.progress.Show("drain", [&, st] {
      return std::to_string(st->Deliveries()) + "/" + std::to_string(st->expected) + " delivered";
    });
    const auto drain_end = After(o.drain_s);
    while (st->Deliveries() < st->expected && std::chrono::steady_clock::now() < drain_end) {
      co_await st->changed.WaitUntil(drain_end);
    }
    cpu_at_drain_end = SampleCpu(o.server_pid);
  }

  st->closing = true;
  for (auto& c : clients) c->Close();  // posted to each receiver's thread
  const auto close_deadline = After(std::min(o.timeout_s, 15));
  while (st->counts().closed < static_cast<int>(clients.size()) &&
         std::chrono::steady_clock::now() < close_deadline) {
    co_await st->changed.WaitUntil(close_deadline);
  }
  ctx.progress.Stop();
  // From here on the receivers' state is this thread's alone (the joins order it after their
  // last writes); the sessions are released when `receivers` goes, at the end of this scope.
  receivers.Stop();
  const auto counts = st->counts();
  const Histogram latency = st->Latency();
  const std::uint64_t deliveries = st->Deliveries();
  std::uint64_t duplicates = 0;
  std::int64_t last_delivery_us = 0;
  for (const auto& shard : st->shards) {
    duplicates += shard->duplicates;
    last_delivery_us = std::max(last_delivery_us, shard->last_delivery_us);
  }

  // Lost: a confirmed message some receiver never saw. Unconfirmed: seen although its POST failed.
  std::uint64_t lost = 0, unconfirmed = 0;
  for (int seq = 0; seq < total; ++seq) {
    for (int r = 0; r < n; ++r) {
      const bool seen = st->Seen(r, seq);
      if (st->sent_ok[static_cast<std::size_t>(seq)] && !seen) ++lost;
      if (!st->sent_ok[static_cast<std::size_t>(seq)] && seen) ++unconfirmed;
    }
  }
  const double window_s = last_delivery_us > st->first_send_us
                              ? static_cast<double>(last_delivery_us - st->first_send_us) / 1e6
                              : 0;
  report.Metric("receivers_ready", counts.ready);
  report.Metric("receivers_dropped", counts.dropped);
  report.Metric("messages_planned", all_ready ? total : 0);
  report.Metric("messages_sent", st->sent);
  report.Metric("send_errors", st->send_errors);
  const double send_window_s = static_cast<double>(st->last_send_us - st->first_send_us) / 1e6;
  report.Metric("send_rate_achieved",
                send_window_s > 0 ? (st->sent + st->send_errors - 1) / send_window_s : 0, "/s");
  report.Metric("deliveries_expected", static_cast<double>(st->expected));
  report.Metric("deliveries", static_cast<double>(deliveries));
  report.Metric("deliveries_per_s", window_s > 0 ? deliveries / window_s : 0, "/s");
  report.Metric("lost", static_cast<double>(lost));
  report.Metric("duplicated", static_cast<double>(duplicates));
  report.Metric("unconfirmed_deliveries", static_cast<double>(unconfirmed));
  if (st->cpu_at_first_send && cpu_at_drain_end) {
    // Per delivery, the cost of the whole path (POST, store, fan-out) spread over its receivers.
    // getrusage(RUSAGE_SELF) counts every thread of this process, the receivers' included.
    const double delivered = static_cast<double>(deliveries);
    const auto& from = *st->cpu_at_first_send;
    const auto& to = *cpu_at_drain_end;
    if (from.server_ms && to.server_ms) {
      const auto server_ms = static_cast<double>(*to.server_ms - *from.server_ms);
      report.Metric("server_cpu_ms", server_ms, "ms");
      if (delivered > 0) {
        report.Metric("server_cpu_us_per_delivery", server_ms * 1000 / delivered, "us");
      }
    } else if (o.server_pid) {
      report.Note("cannot read /proc/" + std::to_string(o.server_pid) + "/stat");
    }
    const double self_ms = to.self_ms - from.self_ms;
    report.Metric("loadgen_cpu_ms", self_ms, "ms");
    if (delivered > 0) {
      report.Metric("loadgen_cpu_us_per_delivery", self_ms * 1000 / delivered, "us");
    }
  }
  report.Latency("delivery", latency);
  report.Latency("post_message", st->post);
  {
    std::lock_guard lock(st->mutex);
    report.Latency("connect_to_ready", st->connect);
  }
  report.Check("receivers ready", "= " + std::to_string(n), counts.ready, all_ready);
  report.Check("sends succeeded", "errors = 0", st->send_errors, all_ready && st->send_errors == 0);
  report.Check("lost deliveries", "= 0", static_cast<double>(lost), all_ready && lost == 0);
  report.Check("duplicated deliveries", "= 0", static_cast<double>(duplicates), duplicates == 0);
  if (!st->first_send_error.empty()) report.Note("first send error: " + st->first_send_error);
  {
    std::lock_guard lock(st->mutex);
    int shown = 0;
    for (const auto& [why, count] : st->reasons) {
      if (++shown > 5) break;
      report.Note(std::to_string(count) + " x " + why);
    }
  }
  co_return report;
}

}  // namespace chat::loadgen
