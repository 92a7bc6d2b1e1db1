#include "gateway/gateway.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <thread>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "bus/event_bus.hpp"
#include "bus/handoff_store.hpp"
#include "common/blocking_pool.hpp"
#include "common/log.hpp"
#include "common/net.hpp"
#include "domain/permissions.hpp"
#include "domain/snowflake.hpp"
#include "gateway/coalescing_stream.hpp"
#include "gateway/delivery_log.hpp"
#include "gateway/member_chunks.hpp"
#include "gateway/presence.hpp"
#include "gateway/protocol.hpp"
#include "gateway/rate_limiter.hpp"
#include "gateway/ready_builder.hpp"
#include "gateway/session.hpp"
#include "gateway/session_record.hpp"
#include "gateway/session_registry.hpp"
#include "gateway/voice_states.hpp"
#include "gateway/writer_wakes.hpp"
#include "gateway/zlib_stream.hpp"
#include "http/error_response.hpp"
#include "http/upgrade.hpp"
#include "service/access_service.hpp"
#include "service/auth_service.hpp"
#include "service/message_service.hpp"
#include "service/session_revocations.hpp"
#include "store/store.hpp"

namespace chat::gateway {
namespace {

constexpr std::string_view kTarget = "gateway";
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
// Client payloads over 4096 bytes are closed with 4002 by us; Beast only steps in (1009) for
// messages far beyond that, so the buffer never grows past this.
constexpr std::size_t kReadMessageMax = 64 * 1024;

// Frames go through the coalescing layer: a burst of dispatches leaves in one socket write.
using Ws = websocket::stream<CoalescingStream>;
using SteadyClock = std::chrono::steady_clock;

std::int64_t NowMs() { return domain::SnowflakeGenerator::SystemClockMs(); }

std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             SteadyClock::now().time_since_epoch())
      .count();
}

std::string NewSessionId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = kHex[bits & 0xF];
  }
  return id;
}

// Members of `guild` other than `exclude`, for a guild-wide event.
Result<std::vector<domain::Snowflake>> GuildRecipients(const GatewayDeps& deps,
                                                       domain::Snowflake guild,
                                                       domain::Snowflake exclude) {
  auto members = service::AccessService(deps.store, deps.viewers).GuildMembers(guild);
  if (members) std::erase(*members, exclude);
  return members;
}

// Whether `user` may take the voice state: a member of the guild, and for a join a voice
// channel of that guild they may view and connect to (the REST routes' own permission checks).
bool MayTakeVoiceState(store::Store& store, domain::Snowflake user, const VoiceState& state) {
  service::AccessService access(store);
  if (!state.channel_id) return access.Guild(user, state.guild_id).has_value();
  auto channel = access.RequireChannel(user, *state.channel_id,
                                       domain::perm::kViewChannel | domain::perm::kConnect);
  return channel && channel->channel.guild_id == state.guild_id &&
         domain::IsVoiceLike(channel->channel.type);
}

// VOICE_STATE_UPDATE to every member of the state's guild. Blocks on the store.
void PublishVoiceStateNow(const GatewayDeps& deps, const VoiceState& state) {
  auto recipients = GuildRecipients(deps, state.guild_id, 0);
  if (!recipients) {
    log::Warn(kTarget, "voice state not published", {{"error", recipients.error().message}});
    return;
  }
  bus::Event e;
  e.type = "VOICE_STATE_UPDATE";
  e.guild_id = state.guild_id;
  e.intent = bus::Intent::kGuildVoiceStates;
  e.recipients = std::move(*recipients);
  e.payload = boost::json::serialize(VoiceStateJson(state));
  deps.bus.Publish(std::move(e));
}

// PRESENCE_UPDATE of `user`, as others see them now, to the members of each of their guilds.
// Blocks on the store (and the presence directory).
void PublishPresenceNow(const GatewayDeps& deps, domain::Snowflake user) {
  auto publish = [&]() -> std::optional<Error> {
    const Presence shown = deps.presence.Visible(user).value_or(Presence{"invisible", "[]"});
    auto guilds = deps.store.ListUserGuildIds(user);
    if (!guilds) return guilds.error();
    for (const auto guild : *guilds) {
      bus::Event e;
      e.type = "PRESENCE_UPDATE";
      e.guild_id = guild;
      e.intent = bus::Intent::kGuildPresences;
      auto recipients = GuildRecipients(deps, guild, user);
      if (!recipients) return recipients.error();
      e.recipients = std::move(*recipients);
      e.payload = boost::json::serialize(PresenceJson(user, guild, shown));
      deps.bus.Publish(std::move(e));
    }
    return std::nullopt;
  };
  if (auto failed = publish()) {
    log::Warn(kTarget, "presence not published", {{"error", failed->message}});
  }
}

void LogException(std::string_view what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log::Error(kTarget, what, {{"error", ex.what()}});
  }
}

// The thread-confined state of one WebSocket connection (its io_context has one thread). Lives in
// Handle()'s frame; the writer and the heartbeat watchdog are callback chains on that thread (no
// coroutine frames of their own: an idle connection is mostly these few hundred bytes), and
// Handle() waits for both to end.
struct Connection {
  Connection(Ws& socket, net::any_io_executor ex, OutboxLimits limits)
      : ws(socket),
        wake(std::make_shared<WriterWake>()),
        heartbeat(ex),
        done(ex),
        outbox(std::make_shared<Outbox>(limits, [wakes = &WriterWakes::Of(ex), w = wake] {
          // Runs under the outbox lock on any thread: only queues. The outbox calls this once
          // per wait of the writer, so exactly one writer chain runs.
          wakes->Wake(w);
        })) {}
  // Also when Handle() unwinds with an exception: a wake queued later must find nothing.
  ~Connection() { wake->resume = nullptr; }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Ws& ws;
  std::shared_ptr<WriterWake> wake;
  net::steady_timer heartbeat;
  net::steady_timer done;  // Handle() waits on it for the writer and the watchdog
  std::shared_ptr<Outbox> outbox;
  std::shared_ptr<Session> session;
  std::unique_ptr<ZlibStream> zlib;  // compress=zlib-stream only
  // IDENTIFY's `compress` without transport compression: each frame deflated on its own.
  bool compress_payloads = false;
  ConnectParams params;
  CommandRateLimiter limiter;
  SteadyClock::time_point last_heartbeat = SteadyClock::now();
  int running = 0;  // writer + watchdog still running
  bool stopping = false;
  // The writer's state between its steps.
  std::vector<OutFrame> batch;
  std::optional<CloseCode> close;
  std::string head;
  std::string compressed;

  void Send(std::string text) { outbox->Push(OutFrame{std::move(text), {}}); }
};

}  // namespace

struct Gateway::Impl final : http::UpgradeHandler {
  Impl(GatewayDeps d, GatewayOptions o)
      : deps(d),
        options(std::move(o)),
        delivered(options.handoff_log_max, options.handoff_log_max_bytes,
                  options.resume_window.count(), NowMs()),
        presence(d.presence) {
    subscription = deps.bus.Subscribe([this](const bus::EventPtr& e) {
      // One delivery at a time: events published concurrently on several threads still reach
      // every session in the same relative order. Delivery only queues, so this is short.
      std::lock_guard lock(deliver_mutex);
      if (auto ended = service::ParseSessionsEnded(*e)) {
        // For the gateway, not for clients: the sessions close with 4004 instead.
        registry.RevokeBelow(ended->user_id, ended->token_version);
      } else {
        registry.Deliver(e);
      }
      // Logged either way: a session handed off meanwhile must learn of its end (TakeOver).
      if (deps.handoff) delivered.Append(e, NowMs());
    });
    voice.Share(presence.directory());
    if (options.presence_beat.count() > 0) {
      // Two threads: the pulse must never wait behind a sweep's publishing, or a busy node would
      // miss its pulses and be taken for dead.
      pulse_thread = std::thread([this] { Every([this] { presence.Pulse(); }); });
      beat_thread = std::thread([this] { Every([this] { SweepOnce(); }); });
    }
  }
  ~Impl() override {
    if (beat_thread.joinable()) {
      {
        std::lock_guard lock(beat_mutex);
        beat_stop = true;
      }
      beat_cv.notify_all();
      beat_thread.join();
      pulse_thread.join();
    }
    deps.bus.Unsubscribe(subscription);
  }

  // Presence and voice bookkeeping: inline when this node keeps them in memory (a single node),
  // on the database pool when they live in Redis (the calls block). A hop per session start and
  // end would otherwise cost a single node's pool 20,000 hops when 10,000 sessions expire.
  template <class F>
  net::awaitable<std::invoke_result_t<F&>> Bookkeep(F fn) {
    if (presence.directory() == nullptr) co_return fn();
    co_return co_await deps.db.Run(std::move(fn));
  }

  // Runs `work` now and every `presence_beat` until destruction.
  template <class Work>
  void Every(Work work) {
    std::unique_lock lock(beat_mutex);
    while (!beat_stop) {
      lock.unlock();
      work();
      lock.lock();
      beat_cv.wait_for(lock, options.presence_beat, [this] { return beat_stop; });
    }
  }

  // Takes off the users and voice states of dead nodes and publishes their going, and sets this
  // node's entries right when the directory needs it. Blocks on the directory and the store.
  void SweepOnce() {
    auto swept = presence.Sweep();
    for (const auto user : swept.users) PublishPresenceNow(deps, user);
    for (const auto& text : swept.voice_left) {
      if (auto state = DecodeVoiceState(text)) {
        state->channel_id.reset();
        PublishVoiceStateNow(deps, *state);
      }
    }
    for (const auto& state : voice.Resync(swept.resynced)) PublishVoiceStateNow(deps, state);
    CatchUpEndedSessions();
  }

  // The stored token versions against this node's: an end of sessions whose SESSIONS_ENDED the
  // bus lost (Redis down) is applied here, one beat late, rather than never.
  void CatchUpEndedSessions() {
    auto versions = deps.store.ListTokenVersions();
    if (!versions) return;
    auto& known = deps.auth.revocations();
    for (const auto& entry : *versions) {
      if (entry.second <= known.VersionOf(entry.first)) continue;
      known.Load(std::span(&entry, 1));
      registry.RevokeBelow(entry.first, entry.second);
    }
  }

  net::awaitable<void> Handle(tcp::socket socket, http::UpgradeRequest request) override;
  void Shutdown() override;
  std::size_t Active() const override { return active.load(); }

  // Writes what the outbox holds, frame after frame, then waits for more; ends on close/error.
  void WriteNext(Connection& c);
  void WriteFailed(Connection& c);
  void ArmWatchdog(Connection& c);
  static void Stopped(Connection& c);
  net::awaitable<void> Expire(std::shared_ptr<Session> session);
  net::awaitable<void> OnCommand(Connection& c, Command& command);
  net::awaitable<void> OnIdentify(Connection& c, Identify& identify);
  net::awaitable<void> OnResume(Connection& c, Resume& resume);
  // Shutdown with a hand-off store: every started session is written there for another node,
  // then the connections get op 7. `active` counts it, so the server waits for it.
  net::awaitable<void> HandOff();
  // The session `id` of `user` left by a node that shut down, registered here and caught up with
  // what this node delivered since; nullptr when there is none or it cannot be resumed complete.
  net::awaitable<std::shared_ptr<Session>> TakeOver(domain::Snowflake user, const std::string& id);
  void SendReconnect();
  net::awaitable<void> OnClientMessage(Connection& c, ClientMessage& message);
  net::awaitable<Result<service::Principal>> Authenticate(const std::string& token);
  // Removes a started session; the user's last one going publishes them offline.
  net::awaitable<void> EndSession(const std::shared_ptr<Session>& session);
  // PRESENCE_UPDATE of `user` (as others see them now) to the members of each of their guilds.
  net::awaitable<void> PublishPresence(domain::Snowflake user);
  net::awaitable<void> OnVoiceState(Connection& c, VoiceStateUpdate& update);
  // VOICE_STATE_UPDATE to every member of the state's guild.
  net::awaitable<void> PublishVoiceState(const VoiceState& state);

  GatewayDeps deps;
  GatewayOptions options;
  std::mutex deliver_mutex;
  SessionRegistry registry;
  DeliveryLog delivered;  // guarded by deliver_mutex; kept only with a hand-off store
  PresenceTracker& presence;
  VoiceStates voice;
  std::uint64_t subscription = 0;
  std::atomic<std::size_t> active{0};
  std::atomic<bool> shutting_down{false};
  std::mutex live_mutex;
  std::unordered_set<std::shared_ptr<Outbox>> live;  // guarded by live_mutex
  // An executor of one of the server's io_contexts, for the shutdown hand-off (set by the first
  // connection: with none ever, there is no session to hand off). Shutdown() takes it: this
  // object outlives the io_contexts, and nothing here may keep one's executor.
  std::optional<net::any_io_executor> executor;  // guarded by live_mutex
  std::mutex beat_mutex;
  std::condition_variable beat_cv;
  bool beat_stop = false;  // guarded by beat_mutex
  std::thread beat_thread;
  std::thread pulse_thread;
};

Gateway::Gateway(GatewayDeps deps, GatewayOptions options)
    : impl_(std::make_unique<Impl>(deps, std::move(options))) {}

Gateway::~Gateway() = default;

http::UpgradeHandler* Gateway::handler() { return impl_.get(); }

void Gateway::Impl::Shutdown() {
  if (shutting_down.exchange(true)) return;
  std::optional<net::any_io_executor> ex;
  {
    // Moved out, never kept (see `executor`).
    std::lock_guard lock(live_mutex);
    ex = std::move(executor);
    executor.reset();
  }
  if (deps.handoff && ex) {
    ++active;  // before Shutdown returns: the server's drain must wait for the hand-off
    net::co_spawn(*ex, HandOff(),
                  [](std::exception_ptr e) { LogException("gateway hand-off failed", e); });
    return;
  }
  SendReconnect();
}

void Gateway::Impl::SendReconnect() {
  std::vector<std::shared_ptr<Outbox>> snapshot;
  {
    std::lock_guard lock(live_mutex);
    snapshot.assign(live.begin(), live.end());
  }
  // Op 7 asks the client to reconnect and resume (on another node, or this one once back);
  // 4000 is a close code Discord clients resume after.
  for (auto& o : snapshot) {
    o->Push(OutFrame{ReconnectFrame(), {}});
    o->Close(CloseCode::kUnknownError);
  }
}

net::awaitable<void> Gateway::Impl::Handle(tcp::socket socket, http::UpgradeRequest request) {
  ++active;
  struct Leave {
    std::atomic<std::size_t>& n;
    ~Leave() { --n; }
  } leave{active};

  Ws ws(std::move(socket));
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(5);
  timeouts.idle_timeout = websocket::stream_base::none();  // heartbeats are the liveness check
  timeouts.keep_alive_pings = false;
  ws.set_option(timeouts);
  ws.read_message_max(kReadMessageMax);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(bhttp::field::server, "chat-server"); }));
  {
    auto [ec] = co_await ws.async_accept(request, kTuple);
    if (ec) co_return;
  }
  auto target_result = ParseConnectTarget(request.target());
  request = {};  // the headers are not needed any more; keep the idle session small

  const auto ex = ws.get_executor();
  Connection c(ws, ex, options.outbox);
  {
    std::lock_guard lock(live_mutex);
    live.insert(c.outbox);
    if (!executor && !shutting_down) executor = ex;
  }
  c.running = 2;
  c.wake->resume = [this, &c] { WriteNext(c); };
  WriteNext(c);
  ArmWatchdog(c);

  if (auto* code = std::get_if<CloseCode>(&target_result)) {
    c.outbox->Close(*code);
  } else {
    c.params = std::move(std::get<ConnectParams>(target_result));
    if (c.params.zlib_stream) {
      // Set before the writer's first frame (it runs only after this coroutine suspends).
      c.zlib = std::make_unique<ZlibStream>();
    }
    c.Send(HelloFrame(static_cast<std::uint32_t>(options.heartbeat_interval.count())));
    if (shutting_down) {
      c.outbox->Push(OutFrame{ReconnectFrame(), {}});
      c.outbox->Close(CloseCode::kUnknownError);
    }
  }

  // Client payloads are read in small pieces into `message`, which is emptied after each one:
  // an idle connection holds no read buffer (a dynamic buffer would keep a prepared 4 KiB).
  std::array<char, 256> chunk;
  std::string message;
  bool client_left = false;
  for (;;) {
    std::string().swap(message);  // a payload's buffer is not kept while the client is quiet
    bool oversized = false;
    boost::system::error_code ec;
    do {
      auto [rec, n] = co_await ws.async_read_some(net::buffer(chunk), kTuple);
      ec = rec;
      if (ec) break;
      if (message.size() + n > kMaxClientPayloadBytes) {
        oversized = true;  // read the rest of it, then close with 4002
      } else {
        message.append(chunk.data(), n);
      }
    } while (!ws.is_message_done());
    if (ec) {
      // The client closing with 1000/1001 ends its session (Discord's rule); any other way of
      // leaving keeps it resumable. reason() is what the client's close frame said, also when
      // it hung up before our echo went out (then ec is a socket error, not `closed`).
      if (!c.outbox->closing()) {
        const auto code = ws.reason().code;
        client_left =
            code == websocket::close_code::normal || code == websocket::close_code::going_away;
      }
      break;
    }
    if (c.outbox->closing()) continue;  // we are closing: drain until the close handshake ends
    if (!ws.got_text() || oversized) {
      c.outbox->Close(CloseCode::kDecodeError);  // no ETF here; 4096 bytes at most
      continue;
    }
    if (!c.limiter.Allow(SteadyMs())) {
      c.outbox->Close(CloseCode::kRateLimited);
      continue;
    }
    auto parsed = ParseCommand(message);
    if (auto* code = std::get_if<CloseCode>(&parsed)) {
      c.outbox->Close(*code);
      continue;
    }
    try {
      co_await OnCommand(c, std::get<Command>(parsed));
    } catch (const std::exception& e) {
      // A bug or an exhausted resource in one command must not skip the ending below: the
      // writer's and the watchdog's callbacks hold `c`. Close as Discord does, resumably.
      log::Error(kTarget, "gateway command failed", {{"error", e.what()}});
      c.outbox->Close(CloseCode::kUnknownError);
    }
  }

  c.stopping = true;
  c.outbox->Nudge();  // a waiting writer sees `stopping` and ends
  c.heartbeat.cancel();
  if (c.session) {
    c.session->Detach(c.outbox.get());
    if (client_left || c.session->revoked()) {
      try {
        co_await EndSession(c.session);
      } catch (const std::exception& e) {
        log::Error(kTarget, "gateway session end failed", {{"error", e.what()}});
      }
    } else {
      net::co_spawn(ex, Expire(c.session),
                    [](std::exception_ptr e) { LogException("gateway session expiry failed", e); });
    }
  }
  {
    std::lock_guard lock(live_mutex);
    live.erase(c.outbox);
  }
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws).close(ignored);
  while (c.running > 0) {
    c.done.expires_at(SteadyClock::time_point::max());
    co_await c.done.async_wait(kTuple);
  }
}

void Gateway::Impl::Stopped(Connection& c) {
  --c.running;
  c.done.cancel();
}

void Gateway::Impl::WriteFailed(Connection& c) {
  // The reader sees the dead socket too and tears the connection down.
  boost::system::error_code ignored;
  beast::get_lowest_layer(c.ws).close(ignored);
  Stopped(c);
}

void Gateway::Impl::WriteNext(Connection& c) {
  auto& stream = c.ws.next_layer();
  for (;;) {
    if (c.stopping) return Stopped(c);
    if (stream.failed()) return WriteFailed(c);
    if (stream.buffered() >= CoalescingStream::kMaxPending) {
      // The client reads slower than we write: wait for the socket rather than buffer more. The
      // outbox bounds what queues meanwhile.
      stream.AsyncDrain([this, &c](boost::system::error_code) { WriteNext(c); });
      return;
    }
    // Nothing to write: the outbox resumes the writer through `c.wake` on the next push.
    if (!c.outbox->Take(c.batch, c.close)) return;
    // The whole batch is framed here and leaves in one socket write. A dispatch's payload bytes
    // are the event's own, shared by every recipient: only the small head is per session.
    for (const auto& f : c.batch) {
      std::array<std::string_view, 3> parts{f.text, {}, {}};
      std::size_t n = 1;
      if (f.dispatch.event) {
        c.head = DispatchHead(f.dispatch.event->type, f.dispatch.seq);
        parts = {c.head, f.dispatch.Payload(), "}"};
        n = 3;
      }
      const std::span<const std::string_view> message(parts.data(), n);
      if (c.zlib || c.compress_payloads) {
        const bool ok = c.zlib ? c.zlib->Compress(message, c.compressed)
                               : CompressMessage(message, c.compressed);
        if (!ok) {
          log::Warn(kTarget, "zlib compression failed");
          return WriteFailed(c);
        }
        const std::string_view compressed = c.compressed;
        stream.AppendFrame(/*binary=*/true, std::span(&compressed, 1));
      } else {
        stream.AppendFrame(/*binary=*/false, message);
      }
    }
    stream.Flush();
    // Drop the event references, and keep none of the batch's buffers: an idle connection holds
    // no memory for writing, the next batch allocates anew.
    std::vector<OutFrame>().swap(c.batch);
    std::string().swap(c.head);
    std::string().swap(c.compressed);
    if (c.close) {
      const websocket::close_reason reason(static_cast<std::uint16_t>(*c.close));
      c.ws.async_close(reason, [this, &c](boost::system::error_code ec) {
        if (ec) return WriteFailed(c);
        Stopped(c);
      });
      return;
    }
  }
}

void Gateway::Impl::ArmWatchdog(Connection& c) {
  const auto timeout = std::chrono::duration_cast<SteadyClock::duration>(
      options.heartbeat_interval * options.heartbeat_grace);
  const auto now = SteadyClock::now();
  // After a missed heartbeat the deadline is past: look again one period on.
  c.heartbeat.expires_at(std::max(c.last_heartbeat + timeout, now + timeout));
  c.heartbeat.async_wait([this, &c, timeout](boost::system::error_code) {
    if (c.stopping) return Stopped(c);
    const auto now = SteadyClock::now();
    if (c.ws.next_layer().StalledFor(now) >= timeout) {
      // The socket took nothing for a whole period: the client stopped reading. Neither our
      // frames nor a close frame can reach it, and what waits for it (up to the outbox's limit)
      // would be held forever. Dropping the socket ends the reader, the writer and so the
      // connection; the session stays resumable.
      boost::system::error_code ignored;
      beast::get_lowest_layer(c.ws).close(ignored);
      return Stopped(c);
    }
    // The first close wins: one the outbox already has keeps its code.
    if (now >= c.last_heartbeat + timeout) c.outbox->Close(CloseCode::kSessionTimedOut);
    ArmWatchdog(c);
  });
}

net::awaitable<void> Gateway::Impl::Expire(std::shared_ptr<Session> session) {
  net::steady_timer timer(co_await net::this_coro::executor, options.resume_window);
  co_await timer.async_wait(kTuple);
  if (!registry.RemoveIfExpired(*session, NowMs(), options.resume_window.count())) co_return;
  const auto& session_id = session->info().id;
  const auto left_voice = co_await Bookkeep([&] { return voice.TakeSession(session_id); });
  for (const auto& left : left_voice) co_await PublishVoiceState(left);
  const auto user = session->info().user_id;
  if (co_await Bookkeep([&] { return presence.SessionEnded(user); })) {
    co_await PublishPresence(user);
  }
}

net::awaitable<void> Gateway::Impl::EndSession(const std::shared_ptr<Session>& session) {
  if (!registry.Remove(*session)) co_return;
  const auto& session_id = session->info().id;
  const auto left_voice = co_await Bookkeep([&] { return voice.TakeSession(session_id); });
  for (const auto& left : left_voice) co_await PublishVoiceState(left);
  const auto user = session->info().user_id;
  if (co_await Bookkeep([&] { return presence.SessionEnded(user); })) {
    co_await PublishPresence(user);
  }
}

net::awaitable<void> Gateway::Impl::OnVoiceState(Connection& c, VoiceStateUpdate& update) {
  auto guild_id = domain::ParseSnowflake(update.guild_id);
  std::optional<domain::Snowflake> channel_id;
  if (update.channel_id) channel_id = domain::ParseSnowflake(*update.channel_id);
  if (!guild_id || (update.channel_id && !channel_id)) co_return;  // nothing to join
  VoiceState state{*guild_id,        c.session->info().user_id, channel_id, c.session->info().id,
                   update.self_mute, update.self_deaf};
  auto& store = deps.store;
  const auto user = state.user_id;
  // A channel one may not join is ignored, as Discord does: no state, no error.
  const bool changed = co_await deps.db.Run(
      [&] { return MayTakeVoiceState(store, user, state) && voice.Set(state); });
  if (!changed) co_return;
  co_await PublishVoiceState(state);
}

net::awaitable<void> Gateway::Impl::PublishVoiceState(const VoiceState& state) {
  co_await deps.db.Run([&] { PublishVoiceStateNow(deps, state); });
}

net::awaitable<void> Gateway::Impl::PublishPresence(domain::Snowflake user) {
  co_await deps.db.Run([&] { PublishPresenceNow(deps, user); });
}

net::awaitable<Result<service::Principal>> Gateway::Impl::Authenticate(const std::string& token) {
  if (token.empty()) co_return Error::Unauthorized();
  auto& auth = deps.auth;
  // Access tokens (bare or "Bearer …") are an HMAC check; only bot tokens need the store.
  if (!service::AuthService::IsBotToken(token)) co_return auth.Authenticate(token);
  auto& store = deps.store;
  co_return co_await deps.db.Run([&]() -> Result<service::Principal> {
    auto principal = auth.Authenticate(token);
    if (!principal) return principal;
    // The stored version, not this node's copy, which may not have heard of a reset yet: a
    // session opened with the new token must not look older than the reset that made it.
    auto bot = store.GetUser(principal->user_id);
    if (!bot) return bot.error();
    principal->token_version = bot->token_version;
    return principal;
  });
}

net::awaitable<void> Gateway::Impl::OnCommand(Connection& c, Command& command) {
  if (auto* hb = std::get_if<Heartbeat>(&command)) {
    c.last_heartbeat = SteadyClock::now();
    if (c.session && hb->seq) c.session->Acknowledge(*hb->seq);
    c.Send(HeartbeatAckFrame());
    co_return;
  }
  if (auto* identify = std::get_if<Identify>(&command)) {
    co_await OnIdentify(c, *identify);
    co_return;
  }
  if (auto* resume = std::get_if<Resume>(&command)) {
    co_await OnResume(c, *resume);
    co_return;
  }
  if (!c.session) {
    c.outbox->Close(CloseCode::kNotAuthenticated);
    co_return;
  }
  if (auto* message = std::get_if<ClientMessage>(&command)) {
    co_await OnClientMessage(c, *message);
    co_return;
  }
  if (auto* update = std::get_if<PresenceUpdate>(&command)) {
    const auto user = c.session->info().user_id;
    co_await Bookkeep([&] {
      presence.Update(user, update->presence);
      return true;
    });
    co_await PublishPresence(user);
    co_return;
  }
  if (auto* voice_update = std::get_if<VoiceStateUpdate>(&command)) {
    co_await OnVoiceState(c, *voice_update);
    co_return;
  }
  if (auto* members = std::get_if<RequestGuildMembers>(&command)) {
    auto& store = deps.store;
    const auto requester = c.session->info().user_id;
    auto chunks =
        co_await deps.db.Run([&] { return BuildMemberChunks(store, requester, *members); });
    if (!chunks) {
      log::Warn(kTarget, "member chunks failed", {{"error", chunks.error().message}});
      co_return;
    }
    for (const auto& chunk : *chunks) c.session->Deliver(chunk);
  }
}

net::awaitable<void> Gateway::Impl::OnIdentify(Connection& c, Identify& identify) {
  if (c.session) {
    c.outbox->Close(CloseCode::kAlreadyAuthenticated);
    co_return;
  }
  std::string token = identify.token.empty() && c.params.token ? *c.params.token : identify.token;
  auto principal = co_await Authenticate(token);
  if (!principal) {
    c.outbox->Close(CloseCode::kAuthenticationFailed);
    co_return;
  }
  auto intents = ResolveIntents(identify.intents, principal->bot);
  if (auto* code = std::get_if<CloseCode>(&intents)) {
    c.outbox->Close(*code);
    co_return;
  }
  // Some clients ask for both; transport compression already covers every frame.
  c.compress_payloads = identify.compress && !c.zlib;
  SessionInfo info{NewSessionId(), principal->user_id, principal->bot,
                   std::get<std::uint64_t>(intents)};
  info.token_version = principal->token_version;
  if (identify.shard) {
    info.shard_id = identify.shard->first;
    info.shard_count = identify.shard->second;
  }
  auto session = std::make_shared<Session>(std::move(info), options.replay, &NowMs);
  // Registered before READY is built: every event committed from here on reaches the session
  // (held back until READY is numbered 1), so nothing falls between READY and delivery.
  registry.Add(session);
  // The user's sessions may have ended while the token was checked (a bot's check reads the
  // store); an end learned from here on reaches the registered session.
  if (principal->token_version < deps.auth.revocations().VersionOf(principal->user_id)) {
    session->Revoke();
  }

  ReadyInput input;
  input.user_id = principal->user_id;
  input.session_id = session->info().id;
  input.resume_gateway_url = options.resume_url ? options.resume_url() : std::string();
  input.version = c.params.version;
  input.large_threshold = identify.large_threshold;
  input.presences_intent =
      (session->info().intents >> static_cast<int>(bus::Intent::kGuildPresences)) & 1;
  input.shard = identify.shard;
  input.presences = &presence;
  input.voice = &voice;
  auto& store = deps.store;
  auto burst = co_await deps.db.Run([&] { return BuildReady(store, input, NowMs()); });
  if (!burst) {
    registry.Remove(*session);
    const bool gone = burst.error().code == Errc::kNotFound;
    if (!gone) {
      log::Warn(kTarget, "READY could not be built", {{"error", burst.error().message}});
    }
    c.outbox->Close(gone ? CloseCode::kAuthenticationFailed : CloseCode::kUnknownError);
    co_return;
  }
  if (c.outbox->closing()) {  // shut down or timed out while loading
    registry.Remove(*session);
    co_return;
  }
  c.params.token.reset();  // no secret stays in an idle connection
  // A first session anywhere brings the user online; a later one that states a presence changes
  // it. Recorded before READY goes out: a client holding READY is online on every node.
  const auto user = principal->user_id;
  const bool stated = identify.presence.has_value();
  const bool came_online = co_await Bookkeep([&] {
    return presence.SessionStarted(user, identify.presence.value_or(Presence{}), stated);
  });
  if (!session->Start(*burst, c.outbox)) {
    registry.Remove(*session);
    if (co_await Bookkeep([&] { return presence.SessionEnded(user); })) {
      co_await PublishPresence(user);
    }
    if (session->revoked()) {  // the user's sessions were ended while READY loaded
      c.outbox->Close(CloseCode::kAuthenticationFailed);
      co_return;
    }
    log::Warn(kTarget, "events outran READY; the client must identify again");
    c.outbox->Close(CloseCode::kUnknownError);
    co_return;
  }
  c.session = session;
  if (came_online || stated) co_await PublishPresence(user);
}

net::awaitable<void> Gateway::Impl::OnResume(Connection& c, Resume& resume) {
  if (c.session) {
    c.outbox->Close(CloseCode::kAlreadyAuthenticated);
    co_return;
  }
  auto principal = co_await Authenticate(resume.token);
  if (!principal) {
    c.outbox->Close(CloseCode::kAuthenticationFailed);
    co_return;
  }
  auto session = registry.Find(resume.session_id);
  if (!session && deps.handoff && !shutting_down) {
    session = co_await TakeOver(principal->user_id, resume.session_id);
  }
  if (!session || session->info().user_id != principal->user_id) {
    c.Send(InvalidSessionFrame(false));
    co_return;
  }
  auto resumed = LocalDispatch("RESUMED", "{}");
  switch (session->Resume(resume.seq, c.outbox, resumed)) {
    case Session::ResumeOutcome::kResumed:
      c.session = std::move(session);
      break;
    case Session::ResumeOutcome::kGone:
      c.Send(InvalidSessionFrame(false));
      co_await EndSession(session);
      break;
    case Session::ResumeOutcome::kSeqAhead:
      // A seq we never sent: the client's state cannot be trusted; it must identify anew.
      c.Send(InvalidSessionFrame(false));
      c.outbox->Close(CloseCode::kInvalidSeq);
      co_await EndSession(session);
      break;
  }
}

net::awaitable<void> Gateway::Impl::HandOff() {
  struct Leave {
    std::atomic<std::size_t>& n;
    ~Leave() { --n; }
  } leave{active};
  auto& store = *deps.handoff;
  std::size_t handed = 0;
  auto stored = co_await deps.db.Run([&]() -> Result<void> {
    struct Exported {
      std::shared_ptr<Session> session;
      Session::State state;
    };
    std::vector<Exported> exported;
    HandoffPoint point;
    {
      // No delivery runs meanwhile: the clock says exactly what every exported session has.
      std::lock_guard lock(deliver_mutex);
      point = HandoffPoint{delivered.clock(), NowMs()};
      for (auto& session : registry.TakeAll()) {
        auto state = session->Export();
        if (state) exported.push_back({std::move(session), std::move(*state)});
      }
    }
    std::vector<std::pair<std::string, std::string>> records;
    records.reserve(exported.size());
    for (auto& [session, state] : exported) {
      const auto& info = session->info();
      SessionRecord r{info,
                      state.seq,
                      RecordReplay(state.replay),
                      point,
                      presence.Current(info.user_id).value_or(Presence{}),
                      voice.OfSession(info.id)};
      records.emplace_back(SessionRecordKey(info.user_id, info.id), EncodeSessionRecord(r));
    }
    handed = records.size();
    return store.Put(records, options.resume_window);
  });
  if (stored) {
    log::Info(kTarget, "sessions handed off for another node to resume", {{"sessions", handed}});
  } else {
    log::Warn(kTarget, "sessions could not be handed off; their clients will identify again",
              {{"sessions", handed}, {"error", stored.error().message}});
  }
  // Only now: a client told to reconnect must find its session in the store.
  SendReconnect();
}

net::awaitable<std::shared_ptr<Session>> Gateway::Impl::TakeOver(domain::Snowflake user,
                                                                 const std::string& id) {
  auto& store = *deps.handoff;
  const std::string key = SessionRecordKey(user, id);
  auto taken = co_await deps.db.Run([&] { return store.Take(key); });
  if (!taken) {
    log::Warn(kTarget, "the hand-off store is unavailable", {{"error", taken.error().message}});
    co_return nullptr;
  }
  if (!*taken) co_return nullptr;
  auto record = DecodeSessionRecord(**taken);
  if (!record || record->info.user_id != user || record->info.id != id) {
    log::Warn(kTarget, "dropped an invalid session record",
              {{"error", record ? std::string("user or id mismatch") : record.error().message}});
    co_return nullptr;
  }
  if (record->info.token_version < deps.auth.revocations().VersionOf(user)) {
    co_return nullptr;  // the user's sessions ended before this one was handed over
  }
  auto session = std::make_shared<Session>(record->info, options.replay, &NowMs);
  std::optional<std::size_t> caught_up;
  {
    // No delivery runs meanwhile: the session gets what was delivered here since its old node
    // let go, then everything delivered after it is registered — each event once.
    std::lock_guard lock(deliver_mutex);
    if (auto missed = delivered.Missed(record->point)) {
      session->Restore(Session::State{record->seq, RestoreReplay(record->replay)},
                       delivered.Ahead(record->point.clock));
      caught_up = 0;
      for (const auto& e : *missed) {
        if (std::find(e->recipients.begin(), e->recipients.end(), user) == e->recipients.end()) {
          continue;
        }
        if (auto ended = service::ParseSessionsEnded(*e)) {
          if (ended->token_version > record->info.token_version) session->Revoke();
          continue;
        }
        session->Deliver(e);
        ++*caught_up;
      }
      if (session->revoked()) {
        log::Info(kTarget, "a handed-off session was ended meanwhile", {{"session", id}});
        co_return nullptr;
      }
      registry.Add(session);
    }
  }
  if (!caught_up) {
    log::Info(kTarget, "a handed-off session is too far behind to resume", {{"session", id}});
    co_return nullptr;
  }
  // The session's voice states come along: put here, they are this node's, and the old node's
  // death takes nothing with it.
  co_await Bookkeep([&] {
    presence.SessionStarted(user, record->presence);
    for (const auto& state : record->voice) voice.Set(state, /*unless_taken=*/true);
    return true;
  });
  log::Info(kTarget, "took over a session from another node",
            {{"session", id}, {"caught_up", *caught_up}});
  co_return session;
}

net::awaitable<void> Gateway::Impl::OnClientMessage(Connection& c, ClientMessage& message) {
  Result<void> outcome = Error::Validation("This server does not accept messages over the gateway");
  auto channel_id = domain::ParseSnowflake(message.channel_id);
  if (!channel_id) {
    outcome = Error::NotFound("Unknown Channel", 10003);
  } else if (deps.messages) {
    service::MessageInput input;
    input.content = message.content;
    input.nonce = message.nonce;
    auto& messages = *deps.messages;
    const auto author = c.session->info().user_id;
    auto created = co_await deps.db.Run([&]() -> Result<void> {
      auto r = messages.Create(author, *channel_id, input);
      if (!r) return r.error();
      return {};
    });
    outcome = std::move(created);
  }
  // Success needs no answer: the MESSAGE_CREATE event reaches this session like every other
  // viewer's. A failure comes back as a dispatch the connection survives.
  if (outcome) co_return;
  const auto response = http::ErrorResponse(outcome.error());
  boost::system::error_code ec;
  auto body = boost::json::parse(response.body, ec);
  boost::json::object d{{"op", "MESSAGE_CREATE"},
                        {"channel_id", message.channel_id},
                        {"status", response.status},
                        {"error", ec ? boost::json::value(response.body) : std::move(body)}};
  if (message.nonce) d["nonce"] = *message.nonce;
  c.session->Deliver(LocalDispatch("MESSAGE_CREATE_FAILED", boost::json::serialize(d)));
}

}  // namespace chat::gateway

namespace chat {

std::shared_ptr<http::UpgradeHandler> MakeGateway(gateway::GatewayDeps deps,
                                                  std::chrono::milliseconds heartbeat_interval,
                                                  std::chrono::milliseconds presence_beat,
                                                  std::function<std::string()> resume_url) {
  gateway::GatewayOptions options;
  options.presence_beat = presence_beat;
  if (heartbeat_interval.count() > 0) options.heartbeat_interval = heartbeat_interval;
  options.resume_url = std::move(resume_url);
  auto g = std::make_shared<gateway::Gateway>(deps, std::move(options));
  http::UpgradeHandler* handler = g->handler();
  return std::shared_ptr<http::UpgradeHandler>(std::move(g), handler);
}

}  // namespace chat
