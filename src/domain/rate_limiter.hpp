#pragma once
/// Fixed-window counters in the database (`rate_limits`), so several servers share them.
/// A bucket refuses once it has counted `max_hits` tries inside its window; the window then
/// ends and the bucket is free again: nothing is locked for ever.
///
/// Thread- and process-safe: a try is checked and counted by one statement, so concurrent
/// tries cannot all see room (50 at once against a limit of 5 get exactly 5 through).

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

  /// Counts one try in `bucket` and answers 0 when it fits the rule, else the seconds until
  /// the bucket accepts again (the refused try is counted too).
  core::Result<int64_t> take(const std::string& bucket, const RateRule& rule);
  /// Gives back one try that take() counted (e.g. a sign-in that turned out right: only
  /// failures should count). Never below zero.
  core::Status give_back(const std::string& bucket);
  core::Status clear(const std::string& bucket);
  /// Clears every bucket whose name starts with `prefix`.
  core::Status clear_prefix(const std::string& prefix);

 private:
  storage::Database& db_;
  const core::Clock& clock_;
};

}  // namespace hqadz::domain
