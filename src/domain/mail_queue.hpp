#pragma once
/// Sends mail off the caller's thread: a webhook or a fulfilment answers at once and the SMTP
/// round trip happens behind it. In memory (a crash loses unsent mail; the in-app
/// notification, written in the same transaction as the event, is the record).
///
/// Thread-safe. start()/stop(): stop() refuses new mail, sends what is queued (bounded by
/// the mailer's own timeouts) and joins.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "domain/mailer.hpp"

namespace hqadz::domain {

class MailQueue {
 public:
  explicit MailQueue(Mailer& mailer, size_t capacity = 1000);
  ~MailQueue();
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  bool enabled() const { return mailer_.enabled(); }
  void start();
  void stop();
  /// Queues `mail` (dropped, with a log line, when email is off, stopped or the queue is full).
  /// Before start() mail is sent on the caller's thread.
  void enqueue(Mail mail);

 private:
  void run();

  Mailer& mailer_;
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Mail> queue_;  // guarded by mutex_
  bool running_ = false;    // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::thread worker_;
};

}  // namespace hqadz::domain
