#pragma once
/// Fixed-window counters in the database (`rate_limits`), so several servers share them.
/// A bucket is blocked once it has `max_hits` hits inside its window; the window then ends and
/// the bucket is free again: nothing is locked for ever.

#include <chrono>
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace hqadz::domain {

struct RateRule {
  int max_hits = 5;
  std::chrono::seconds window{15 * 60};
};

class RateLimiter {
 public:
  RateLimiter(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  /// Seconds until `bucket` accepts again; 0 when it accepts now. Counts nothing.
  core::Result<int64_t> blocked_for(const std::string& bucket, const RateRule& rule);
  /// Counts one hit.
  core::Status hit(const std::string& bucket, const RateRule& rule);
  core::Status clear(const std::string& bucket);

 private:
  storage::Database& db_;
  const core::Clock& clock_;
};

}  // namespace hqadz::domain
