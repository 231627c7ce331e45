#include "domain/mail_queue.hpp"

#include <spdlog/spdlog.h>

namespace hqadz::domain {

MailQueue::MailQueue(Mailer& mailer, size_t capacity) : mailer_(mailer), capacity_(capacity) {}

MailQueue::~MailQueue() { stop(); }

void MailQueue::start() {
  std::lock_guard lock(mutex_);
  if (running_) {
    return;
  }
  running_ = true;
  stopping_ = false;
  worker_ = std::thread([this] { run(); });
}

void MailQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) {
      return;
    }
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
  std::lock_guard lock(mutex_);
  running_ = false;
}

void MailQueue::enqueue(Mail mail) {
  if (!mailer_.enabled()) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (running_ && !stopping_) {
      if (queue_.size() >= capacity_) {
        spdlog::warn("mail queue full: dropping mail '{}'", mail.subject);
        return;
      }
      queue_.push_back(std::move(mail));
      cv_.notify_one();
      return;
    }
  }
  if (auto st = mailer_.send(mail); !st.ok()) {
    spdlog::warn("mail '{}' not sent: {}", mail.subject, st.error().message);
  }
}

void MailQueue::run() {
  while (true) {
    Mail mail;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping and drained
      }
      mail = std::move(queue_.front());
      queue_.pop_front();
    }
    if (auto st = mailer_.send(mail); !st.ok()) {
      spdlog::warn("mail '{}' not sent: {}", mail.subject, st.error().message);
    }
  }
}

}  // namespace hqadz::domain
