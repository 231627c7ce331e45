#pragma once
/// Bounds argon2id work: at most `concurrency` hashes at once (each takes its memory cost) and
/// at most `max_waiting` callers queued; beyond that callers get kUnavailable at once instead
/// of piling up. This is what keeps sign-in from being a way to exhaust memory.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

#include "core/result.hpp"

namespace hqadz::domain {

class HashPool {
 public:
  HashPool(size_t concurrency, size_t max_waiting)
      : concurrency_(concurrency), max_waiting_(max_waiting) {}

  /// Runs `fn` when a slot is free; kUnavailable ("busy") when the queue is full.
  core::Result<bool> run(const std::function<bool()>& fn);

 private:
  const size_t concurrency_;
  const size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable cv_;
  size_t running_ = 0;  // guarded by mutex_
  size_t waiting_ = 0;  // guarded by mutex_
};

}  // namespace hqadz::domain
