#include "mail/mailer.hpp"

#include "common/log.hpp"

namespace chat::mail {

namespace {
constexpr const char* kTarget = "mail";
}

MailQueue::MailQueue(std::unique_ptr<Mailer> mailer, std::size_t capacity,
                     std::chrono::milliseconds drain)
    : mailer_(std::move(mailer)), capacity_(capacity), drain_(drain), thread_([this] { Loop(); }) {}

MailQueue::~MailQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stop_by_ = std::chrono::steady_clock::now() + drain_;
  }
  wake_.notify_one();
  thread_.join();
}

bool MailQueue::Enqueue(Compose compose) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(compose));
  }
  wake_.notify_one();
  return true;
}

void MailQueue::Loop() {
  for (;;) {
    Compose compose;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was sent
      if (stopping_ && std::chrono::steady_clock::now() >= stop_by_) {
        log::Warn(kTarget, "shutting down: mails not sent", {{"count", queue_.size()}});
        return;
      }
      compose = std::move(queue_.front());
      queue_.pop_front();
    }
    std::optional<Mail> made = compose();
    if (!made) continue;
    const Mail& mail = *made;
    if (auto sent = mailer_->Send(mail); !sent) {
      log::Warn(kTarget, "mail not sent", {{"error", sent.error().message}});
    } else {
      log::Info(kTarget, "mail sent", {{"subject", mail.subject}});
    }
  }
}

}  // namespace chat::mail
