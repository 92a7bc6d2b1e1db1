// gateway/outbox.hpp — the bounded queue of frames waiting to be written to one connection.
// Push() may be called from any thread (bus publishers, the connection's own coroutines); it
// never blocks beyond a short lock and never waits for the socket. The connection's single writer
// drains it with Take(). A consumer that falls behind (too many frames or bytes queued) is not
// allowed to grow memory: the queue is dropped and the connection asked to close with 4000, which
// keeps its session resumable — the replay buffer still holds what was dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gateway/protocol.hpp"
#include "gateway/replay_buffer.hpp"

namespace chat::gateway {

// A frame to write: either a numbered dispatch (its head is built by the writer) or a complete
// non-dispatch frame in `text`.
struct OutFrame {
  std::string text;
  Dispatch dispatch;  // dispatch.event is null for a text frame

  std::size_t Bytes() const {
    return dispatch.event ? dispatch.Payload().size() + 48 : text.size();
  }
};

struct OutboxLimits {
  std::size_t max_frames = 1024;  // live backlog; a replay may exceed it
  std::size_t max_bytes = 4u << 20;
};

class Outbox {
 public:
  // `wake` is called (under the outbox lock, so it must only post) when the writer is waiting
  // and there is something new to do.
  Outbox(OutboxLimits limits, std::function<void()> wake)
      : limits_(limits), wake_(std::move(wake)) {}
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // False when the frame was not queued: the connection is closing, or this frame overflowed the
  // queue (which then closes the connection with 4000). `bounded` false skips the limits: a
  // RESUME's replay is already bounded by the replay buffer, and refusing it would only make the
  // client resume again, forever.
  bool Push(OutFrame frame, bool bounded = true);
  // Ask the writer to close with `code` once the frames queued before it are written. Later
  // pushes are refused. The first close wins.
  void Close(CloseCode code);

  // Writer side: moves the queued frames into `out` (cleared first) and reports a requested
  // close. When there is nothing to do, returns false and the next Push/Close calls wake.
  bool Take(std::vector<OutFrame>& out, std::optional<CloseCode>& close);

  // Resumes the writer if it waits, so that it sees what changed outside the outbox (the
  // connection stopping).
  void Nudge();

  bool closing() const;
  bool overflowed() const;

 private:
  void WakeLocked();

  const OutboxLimits limits_;
  const std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::vector<OutFrame> queue_;     // guarded by mutex_
  std::size_t bytes_ = 0;           // guarded by mutex_
  std::optional<CloseCode> close_;  // guarded by mutex_
  bool overflowed_ = false;         // guarded by mutex_
  bool writer_waiting_ = false;     // guarded by mutex_
};

}  // namespace chat::gateway
