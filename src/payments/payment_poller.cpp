#include "payments/payment_poller.hpp"

#include <spdlog/spdlog.h>

#include "core/logging.hpp"

namespace hqadz::payments {

PaymentPoller::PaymentPoller(domain::CommerceService& commerce, PaymentService& payments,
                             const core::Clock& clock, PollerSettings settings)
    : commerce_(commerce), payments_(payments), clock_(clock), settings_(settings) {}

PaymentPoller::~PaymentPoller() { stop(); }

void PaymentPoller::start() {
  std::lock_guard lock(mutex_);
  if (running_) {
    return;
  }
  running_ = true;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (cv_.wait_for(lock, settings_.interval, [&] { return stopping_; })) {
        break;
      }
      lock.unlock();
      run_once(clock_.now());
      lock.lock();
    }
  });
}

void PaymentPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) {
      return;
    }
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  running_ = false;
}

PollRound PaymentPoller::run_once(core::TimePoint now) {
  PollRound round;
  const int64_t now_ms = core::to_unix_ms(now);
  if (payments_.provider().automatic()) {
    auto stale = commerce_.stale_payments(payments_.provider().name(),
                                          now_ms - settings_.stale_after.count(), settings_.batch);
    if (!stale.ok()) {
      ++round.errors;
    } else {
      for (const auto& s : *stale) {
        auto op = commerce_.get_order(s.order_id, std::nullopt);
        if (!op.ok() || !op->payment) {
          continue;
        }
        ++round.checked;
        auto r = payments_.refresh(*op->payment);
        if (!r.ok()) {
          ++round.errors;
          spdlog::info("poll of payment {}: {}", core::escape_for_log(s.provider_payment_id, 64),
                       core::escape_for_log(r.error().message));
          (void)commerce_.touch_payment(s.payment_id);  // next round, not this one again
          continue;
        }
        if (r->outcome != "duplicate" && r->outcome != "stale_status" && r->outcome != "unchanged") {
          ++round.changed;
        }
      }
    }
  }
  if (auto e = commerce_.expire_abandoned(now_ms, settings_.stuck_after); e.ok()) {
    round.expired = *e;
  } else {
    ++round.errors;
  }
  // A safety net for the on_stock_added hook (e.g. stock freed by a rolled-back fulfilment).
  if (auto f = commerce_.fulfil_queued(); f.ok()) {
    round.fulfilled = *f;
  } else {
    ++round.errors;
  }
  return round;
}

}  // namespace hqadz::payments
