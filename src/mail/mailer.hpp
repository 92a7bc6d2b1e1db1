// mail/mailer.hpp — sending one plain-text mail, and a queue that sends them on a thread of its
// own, so that a slow or absent mail server never holds a request or a database thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.hpp"

namespace chat::mail {

struct Mail {
  std::string to;  // one address
  std::string subject;
  std::string text;  // plain text, lines separated by '\n'
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Blocks until the mail server accepted the mail or refused it. Thread-safe.
  [[nodiscard]] virtual Result<void> Send(const Mail& mail) = 0;
};

// Sends queued mails one at a time on its own thread; a failure is logged, not retried. Holds at
// most `capacity` of them: past that, Enqueue refuses (a flood must not grow memory). The
// destructor keeps sending what is queued for at most `drain` (a mail server that is down must not
// hold a shutdown), drops the rest with a log line, and joins. Thread-safe.
class MailQueue {
 public:
  // Makes the mail on the queue's thread, which may block (look an account up, say); nullopt: none.
  using Compose = std::function<std::optional<Mail>()>;

  MailQueue(std::unique_ptr<Mailer> mailer, std::size_t capacity = 1000,
            std::chrono::milliseconds drain = std::chrono::seconds(5));
  ~MailQueue();
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  // False when the queue is full (the mail is dropped).
  bool Enqueue(Compose compose);

 private:
  void Loop();

  std::unique_ptr<Mailer> mailer_;
  const std::size_t capacity_;
  const std::chrono::milliseconds drain_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Compose> queue_;                      // guarded by mutex_
  bool stopping_ = false;                          // guarded by mutex_
  std::chrono::steady_clock::time_point stop_by_;  // guarded by mutex_, once stopping_
  std::thread thread_;
};

}  // namespace chat::mail
