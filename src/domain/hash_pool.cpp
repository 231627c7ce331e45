#include "domain/hash_pool.hpp"

namespace hqadz::domain {

core::Result<bool> HashPool::run(const std::function<bool()>& fn) {
  {
    std::unique_lock lock(mutex_);
    if (running_ >= concurrency_ && waiting_ >= max_waiting_) {
      return core::Error{core::Errc::kUnavailable, "busy", "too many sign-ins at once, retry"};
    }
    ++waiting_;
    cv_.wait(lock, [&] { return running_ < concurrency_; });
    --waiting_;
    ++running_;
  }
  bool result = false;
  try {
    result = fn();
  } catch (...) {
    std::lock_guard lock(mutex_);
    --running_;
    cv_.notify_one();
    throw;
  }
  std::lock_guard lock(mutex_);
  --running_;
  cv_.notify_one();
  return result;
}

}  // namespace hqadz::domain
