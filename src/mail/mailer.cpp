#include "mail/mailer.hpp"

#include "common/log.hpp"

namespace chat::mail {

namespace {
constexpr const char* kTarget = "mail";
}

MailQueue::MailQueue(std::unique_ptr<Mailer> mailer, std::size_t capacity)
    : mailer_(std::move(mailer)), capacity_(capacity), thread_([this] { Loop(); }) {}

MailQueue::~MailQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool MailQueue::Enqueue(Mail mail) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(mail));
  }
  wake_.notify_one();
  return true;
}

void MailQueue::Loop() {
  for (;;) {
    Mail mail;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was sent
      mail = std::move(queue_.front());
      queue_.pop_front();
    }
    if (auto sent = mailer_->Send(mail); !sent) {
      log::Warn(kTarget, "mail not sent", {{"error", sent.error().message}});
    } else {
      log::Info(kTarget, "mail sent", {{"subject", mail.subject}});
    }
  }
}

}  // namespace chat::mail
