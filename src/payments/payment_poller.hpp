#pragma once
/// Background upkeep of payments: re-checks stale waiting/confirming payments with the
/// provider (IPNs can be lost), expires abandoned orders, and retries queued fulfilment.
///
/// start()/stop() run `run_once(clock.now())` every `interval` on its own thread; tests call
/// `run_once` directly with a ManualClock (no sleeps). stop() waits for a round in flight.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "payments/payment_service.hpp"

namespace hqadz::payments {

struct PollerSettings {
  std::chrono::milliseconds interval{std::chrono::minutes(1)};
  std::chrono::milliseconds stale_after{std::chrono::minutes(5)};  // updated_at older than this
  std::chrono::milliseconds stuck_after{std::chrono::minutes(10)};  // no provider id after this
  int batch = 50;
};

struct PollRound {
  int checked = 0;
  int changed = 0;
  int expired = 0;
  int fulfilled = 0;
  int errors = 0;
};

class PaymentPoller {
 public:
  PaymentPoller(domain::CommerceService& commerce, PaymentService& payments,
                const core::Clock& clock, PollerSettings settings = {});
  ~PaymentPoller();
  PaymentPoller(const PaymentPoller&) = delete;
  PaymentPoller& operator=(const PaymentPoller&) = delete;

  void start();
  void stop();
  PollRound run_once(core::TimePoint now);

 private:
  domain::CommerceService& commerce_;
  PaymentService& payments_;
  const core::Clock& clock_;
  PollerSettings settings_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool running_ = false;   // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace hqadz::payments
