// bus/redis/redis_bus.hpp — the event bus of a multi-node deployment (REDIS_URL set). Publish
// delivers the event to this node's handlers at once, on the publishing thread (as LocalBus
// does), then queues it for Redis; a subscriber thread delivers the other nodes' events.
//
// Publishing never waits for Redis: one publisher thread owns one connection and drains a
// bounded queue, pipelining PUBLISH commands in batches. A full queue (Redis slow) drops the
// event for the other nodes, and so does a Redis that is down; both count as not shared and
// are logged. We chose the thread over a pool of synchronous connections because a single
// connection keeps one node's events in publish order at every other node, and a request thread
// never blocks on a socket, not even for a short timeout.
//
// The subscriber thread owns a second connection in SUBSCRIBE mode and blocks reading it (a
// dedicated thread, never an I/O thread). Both threads reconnect with exponential backoff, so
// the node starts and serves while Redis is down. Messages that do not decode (garbage, another
// wire version) are logged and dropped. A node skips its own events when they come back.
//
// Thread-safety: every public method may be called from any thread. Handlers run on the
// publishing thread for local events and on the subscriber thread for foreign ones, possibly at
// the same time; they must be thread-safe, must not block and must not publish (local delivery
// holds the lock that numbers this node's events).
// Redis pub/sub ignores SELECT: nodes share events when they share the server and the channel.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include "bus/event_bus.hpp"
#include "bus/redis/redis_connection.hpp"

namespace chat::metrics {
class Registry;
}

namespace chat::bus::redis {

struct RedisBusOptions {
  RedisEndpoint endpoint;
  // Unique per process (no spaces): events tagged with it are this node's own. Redis CLIENT LIST
  // names the connections chat-pub-<node_id> and chat-sub-<node_id>.
  std::string node_id;
  std::string channel = "chat:events";
  std::size_t queue_limit = 10'000;  // events waiting for the publisher; beyond, dropped
  std::size_t batch_limit = 256;     // PUBLISH commands pipelined per round trip
  std::chrono::milliseconds connect_timeout{1'000};
  std::chrono::milliseconds publish_timeout{2'000};  // a slower Redis counts as down
  // An idle publisher PINGs this often, so a lost connection is noticed (and reported by the
  // bus_redis_connected gauge) before the next event rather than by dropping it.
  std::chrono::milliseconds ping_interval{1'000};
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5'000};
};

// Monotonic counters since start, and the current connection state.
struct RedisBusStats {
  std::uint64_t shared = 0;      // this node's events PUBLISHed to Redis
  std::uint64_t not_shared = 0;  // this node's events delivered locally only
  std::uint64_t received = 0;    // other nodes' events delivered here
  std::uint64_t invalid = 0;     // messages on the channel that did not decode
  bool publisher_connected = false;
  bool subscribed = false;
};

class RedisBus final : public EventBus {
 public:
  // Starts both threads; returns without waiting for Redis.
  explicit RedisBus(RedisBusOptions options);
  // Stops both threads; queued events not yet sent are dropped.
  ~RedisBus() override;
  RedisBus(const RedisBus&) = delete;
  RedisBus& operator=(const RedisBus&) = delete;

  void Publish(Event event) override;
  std::uint64_t Subscribe(Handler handler) override;
  void Unsubscribe(std::uint64_t id) override;

  RedisBusStats Stats() const;
  // Waits until the subscription is active (events published afterwards by other nodes reach
  // this one) or the timeout passes; returns whether it is active. For tests and readiness.
  bool WaitSubscribed(std::chrono::milliseconds timeout);
  // bus_redis_* gauges and counters, read at scrape time: the registry must not be rendered
  // after this bus is destroyed.
  void AddMetrics(metrics::Registry& registry) const;

  const std::string& node_id() const { return options_.node_id; }

 private:
  void DeliverLocally(const EventPtr& event);
  void PublisherLoop();
  void SubscriberLoop();
  // Sends a batch on the publisher connection; false when the connection broke.
  bool SendBatch(redisContext* c, std::deque<EventPtr>& batch);
  bool Ping(redisContext* c);  // false when the connection broke
  void NotShared(std::uint64_t count, std::string_view why);
  void Backoff(std::chrono::milliseconds& delay);

  const RedisBusOptions options_;

  std::mutex publish_mutex_;     // orders this node's events (see Publish)
  std::uint64_t published_ = 0;  // guarded by publish_mutex_: origin_seq of the last one

  std::shared_mutex handlers_mutex_;
  std::map<std::uint64_t, Handler> handlers_;  // guarded by handlers_mutex_
  std::uint64_t next_id_ = 1;                  // guarded by handlers_mutex_

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // queue non-empty, subscribed, or stopping
  std::deque<EventPtr> queue_;    // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  bool subscribed_ = false;       // guarded by mutex_
  int subscriber_fd_ = -1;        // guarded by mutex_: shut down to wake a blocked read

  std::atomic<std::uint64_t> shared_{0}, not_shared_{0}, received_{0}, invalid_{0};
  std::atomic<bool> publisher_connected_{false};
  std::atomic<bool> dropping_{false};  // logs once per run of dropped events

  std::thread publisher_;
  std::thread subscriber_;
};

}  // namespace chat::bus::redis
