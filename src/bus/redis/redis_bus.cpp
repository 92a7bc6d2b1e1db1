#include "bus/redis/redis_bus.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <vector>

#include "bus/redis/event_codec.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"

namespace chat::bus::redis {
namespace {

constexpr std::string_view kTarget = "chat_server::bus";

// How many invalid messages are logged one by one before only every thousandth is.
constexpr std::uint64_t kInvalidLogBurst = 10;

bool IsMessage(const redisReply& r) {
  return r.type == REDIS_REPLY_ARRAY && r.elements >= 3 &&
         r.element[0]->type == REDIS_REPLY_STRING &&
         std::string_view(r.element[0]->str, r.element[0]->len) == "message" &&
         r.element[2]->type == REDIS_REPLY_STRING;
}

}  // namespace

RedisBus::RedisBus(RedisBusOptions options) : options_(std::move(options)) {
  log::Info(kTarget, "redis event bus starting",
            {{"redis", options_.endpoint.Describe()},
             {"channel", options_.channel},
             {"node", options_.node_id}});
  publisher_ = std::thread([this] { PublisherLoop(); });
  subscriber_ = std::thread([this] { SubscriberLoop(); });
}

RedisBus::~RedisBus() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    // The subscriber blocks in read(); shutting the socket down makes that read return.
    if (subscriber_fd_ >= 0) ::shutdown(subscriber_fd_, SHUT_RDWR);
  }
  wake_.notify_all();
  publisher_.join();
  subscriber_.join();
}

void RedisBus::Publish(Event event) {
  event.origin = options_.node_id;
  EventPtr shared;
  bool queued = false;
  const bool connected = publisher_connected_.load();
  {
    // Numbering, local delivery and queueing happen as one step: this node's sessions and every
    // other node then see this node's events in the same order, and origin_seq n delivered
    // means 1..n-1 were delivered before it (what a session hand-off relies on).
    std::lock_guard order(publish_mutex_);
    event.origin_seq = ++published_;
    shared = std::make_shared<const Event>(std::move(event));
    DeliverLocally(shared);
    if (connected) {
      std::lock_guard lock(mutex_);
      if (queue_.size() < options_.queue_limit) {
        queue_.push_back(shared);
        queued = true;
      }
    }
  }
  if (!connected) {
    NotShared(1, "redis is unreachable");
    return;
  }
  if (!queued) {
    NotShared(1, "publish queue full");
    return;
  }
  wake_.notify_all();
}

std::uint64_t RedisBus::Subscribe(Handler handler) {
  std::unique_lock lock(handlers_mutex_);
  const auto id = next_id_++;
  handlers_.emplace(id, std::move(handler));
  return id;
}

void RedisBus::Unsubscribe(std::uint64_t id) {
  std::unique_lock lock(handlers_mutex_);
  handlers_.erase(id);
}

RedisBusStats RedisBus::Stats() const {
  RedisBusStats s;
  s.shared = shared_.load();
  s.not_shared = not_shared_.load();
  s.received = received_.load();
  s.invalid = invalid_.load();
  s.publisher_connected = publisher_connected_.load();
  std::lock_guard lock(mutex_);
  s.subscribed = subscribed_;
  return s;
}

bool RedisBus::WaitSubscribed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto up = [this] { return subscribed_ && publisher_connected_.load(); };
  wake_.wait_for(lock, timeout, [&] { return stopping_ || up(); });
  return up();
}

void RedisBus::AddMetrics(metrics::Registry& registry) const {
  auto counter = [&](std::string name, std::string help, const std::atomic<std::uint64_t>& v) {
    registry.AddGauge({std::move(name), std::move(help), "counter", "",
                       [&v] { return static_cast<double>(v.load()); }});
  };
  counter("bus_redis_shared_total", "Events of this node published to Redis.", shared_);
  counter("bus_redis_not_shared_total",
          "Events of this node delivered locally only (Redis down or publish queue full).",
          not_shared_);
  counter("bus_redis_received_total", "Events of other nodes delivered here.", received_);
  counter("bus_redis_invalid_total", "Messages on the channel that did not decode.", invalid_);
  registry.AddGauge({"bus_redis_connected",
                     "1 when both the publisher and the subscriber are connected to Redis.",
                     "gauge", "", [this] {
                       auto s = Stats();
                       return s.publisher_connected && s.subscribed ? 1.0 : 0.0;
                     }});
}

void RedisBus::DeliverLocally(const EventPtr& event) {
  std::shared_lock lock(handlers_mutex_);
  for (const auto& [id, handler] : handlers_) handler(event);
}

void RedisBus::NotShared(std::uint64_t count, std::string_view why) {
  const auto total = not_shared_.fetch_add(count) + count;
  if (!dropping_.exchange(true)) {
    log::Warn(kTarget, "events are delivered on this node only",
              {{"reason", why}, {"not_shared_total", total}});
  }
}

void RedisBus::Backoff(std::chrono::milliseconds& delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping_; });
  delay = std::min(delay * 2, options_.max_backoff);
}

void RedisBus::PublisherLoop() {
  ContextPtr conn;
  auto delay = options_.min_backoff;
  bool reported = false;  // the current outage has been logged
  while (true) {
    if (!conn) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) break;
      }
      auto connected = Connect(options_.endpoint, options_.connect_timeout,
                               options_.publish_timeout, "chat-pub-" + options_.node_id);
      if (!connected) {
        if (!reported) {
          log::Warn(kTarget, "redis publisher cannot connect; retrying",
                    {{"error", connected.error().message}});
          reported = true;
        }
        Backoff(delay);
        continue;
      }
      conn = std::move(*connected);
      {
        std::lock_guard lock(mutex_);
        publisher_connected_ = true;
      }
      wake_.notify_all();
      log::Info(kTarget, "redis publisher connected", {{"redis", options_.endpoint.Describe()}});
      reported = false;
      delay = options_.min_backoff;
    }

    std::deque<EventPtr> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.ping_interval, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      const auto n = std::min(queue_.size(), options_.batch_limit);
      batch.insert(batch.end(), std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    if (batch.empty() ? Ping(conn.get()) : SendBatch(conn.get(), batch)) continue;

    log::Warn(kTarget, "redis publisher lost its connection; retrying",
              {{"error", ContextError(conn.get())}});
    reported = true;
    conn.reset();
    std::deque<EventPtr> stale;
    {
      std::lock_guard lock(mutex_);
      publisher_connected_ = false;
      stale.swap(queue_);
    }
    if (!stale.empty()) NotShared(stale.size(), "redis connection lost");
  }
  std::lock_guard lock(mutex_);
  publisher_connected_ = false;
}

bool RedisBus::Ping(redisContext* c) {
  const char* argv[] = {"PING"};
  const size_t lens[] = {4};
  ReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(c, 1, argv, lens)));
  return reply != nullptr;
}

bool RedisBus::SendBatch(redisContext* c, std::deque<EventPtr>& batch) {
  std::size_t appended = 0;
  for (const auto& event : batch) {
    const std::string text = EncodeEvent(*event, options_.node_id);
    const char* argv[] = {"PUBLISH", options_.channel.data(), text.data()};
    const size_t lens[] = {7, options_.channel.size(), text.size()};
    if (redisAppendCommandArgv(c, 3, argv, lens) != REDIS_OK) break;
    ++appended;
  }
  std::size_t sent = 0;
  for (; sent < appended; ++sent) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK) break;
    ReplyPtr reply(static_cast<redisReply*>(raw));
    if (reply->type == REDIS_REPLY_ERROR) {
      // The command failed but the connection is fine (an ACL, say): this event stays local.
      log::Warn(kTarget, "redis refused PUBLISH", {{"error", std::string(reply->str, reply->len)}});
      NotShared(1, "redis refused PUBLISH");
      continue;
    }
    shared_.fetch_add(1);
  }
  if (sent == batch.size()) {
    if (dropping_.exchange(false)) {
      log::Info(kTarget, "events are shared with the other nodes again",
                {{"not_shared_total", not_shared_.load()}});
    }
    return true;
  }
  NotShared(batch.size() - sent, "redis connection lost");
  return false;
}

void RedisBus::SubscriberLoop() {
  auto delay = options_.min_backoff;
  bool reported = false;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto connected = Connect(options_.endpoint, options_.connect_timeout, std::nullopt,
                             "chat-sub-" + options_.node_id);
    if (!connected) {
      if (!reported) {
        log::Warn(kTarget, "redis subscriber cannot connect; retrying",
                  {{"error", connected.error().message}});
        reported = true;
      }
      Backoff(delay);
      continue;
    }
    ContextPtr conn = std::move(*connected);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      subscriber_fd_ = conn->fd;
    }
    const char* argv[] = {"SUBSCRIBE", options_.channel.data()};
    const size_t lens[] = {9, options_.channel.size()};
    ReplyPtr confirm(static_cast<redisReply*>(redisCommandArgv(conn.get(), 2, argv, lens)));
    if (confirm && confirm->type != REDIS_REPLY_ERROR) {
      {
        std::lock_guard lock(mutex_);
        subscribed_ = true;
      }
      wake_.notify_all();
      log::Info(kTarget, "redis subscriber listening", {{"channel", options_.channel}});
      reported = false;
      delay = options_.min_backoff;
      while (true) {
        void* raw = nullptr;
        if (redisGetReply(conn.get(), &raw) != REDIS_OK) break;
        ReplyPtr reply(static_cast<redisReply*>(raw));
        if (!IsMessage(*reply)) continue;  // subscribe confirmations, pings
        const auto* data = reply->element[2];
        auto decoded = DecodeEvent(std::string_view(data->str, data->len));
        if (!decoded) {
          const auto n = invalid_.fetch_add(1) + 1;
          if (n <= kInvalidLogBurst || n % 1000 == 0) {
            log::Warn(kTarget, "dropped an invalid message from redis",
                      {{"error", decoded.error().message}, {"invalid_total", n}});
          }
          continue;
        }
        if (decoded->node_id == options_.node_id) continue;  // delivered when published
        received_.fetch_add(1);
        DeliverLocally(std::make_shared<const Event>(std::move(decoded->event)));
      }
    }
    bool stopping;
    {
      std::lock_guard lock(mutex_);
      subscriber_fd_ = -1;
      subscribed_ = false;
      stopping = stopping_;
    }
    if (stopping) return;
    const std::string error = confirm && confirm->type == REDIS_REPLY_ERROR
                                  ? std::string(confirm->str, confirm->len)
                                  : ContextError(conn.get());
    log::Warn(kTarget, "redis subscriber lost its connection; retrying", {{"error", error}});
    reported = true;
    conn.reset();
    Backoff(delay);
  }
}

}  // namespace chat::bus::redis
