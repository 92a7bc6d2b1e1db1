// mail/mailer.hpp — sending one plain-text mail, and a queue that sends them on a thread of its
// own, so that a slow or absent mail server never holds a request or a database thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
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
// most `capacity` mails: past that, Enqueue refuses (a flood must not grow memory). The destructor
// sends what is queued, then joins. Thread-safe.
class MailQueue {
 public:
  MailQueue(std::unique_ptr<Mailer> mailer, std::size_t capacity = 1000);
  ~MailQueue();
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  // False when the queue is full (the mail is dropped).
  bool Enqueue(Mail mail);

 private:
  void Loop();

  std::unique_ptr<Mailer> mailer_;
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Mail> queue_;  // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::thread thread_;
};

}  // namespace chat::mail
