#include "domain/rate_limiter.hpp"

namespace hqadz::domain {

core::Result<int64_t> RateLimiter::blocked_for(const std::string& bucket, const RateRule& rule) {
  const int64_t now = core::to_unix_ms(clock_.now());
  return db_.read([&](storage::Tx& tx) -> core::Result<int64_t> {
    long long start = 0;
    int hits = 0;
    soci::indicator ind = soci::i_null;
    tx.sql() << "SELECT window_start, hits FROM rate_limits WHERE bucket = :b",
        soci::into(start, ind), soci::into(hits), soci::use(bucket);
    if (!tx.sql().got_data() || ind == soci::i_null) {
      return int64_t{0};
    }
    const int64_t window_end = start + rule.window.count() * 1000;
    if (now >= window_end || hits < rule.max_hits) {
      return int64_t{0};
    }
    return (window_end - now + 999) / 1000;
  });
}

core::Status RateLimiter::hit(const std::string& bucket, const RateRule& rule) {
  const long long now = core::to_unix_ms(clock_.now());
  const long long cutoff = now - rule.window.count() * 1000;
  return db_.write([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (:b, :now, 1) "
                "ON CONFLICT (bucket) DO UPDATE SET "
                "hits = CASE WHEN rate_limits.window_start <= :cut1 THEN 1 "
                "ELSE rate_limits.hits + 1 END, "
                "window_start = CASE WHEN rate_limits.window_start <= :cut2 THEN :now2 "
                "ELSE rate_limits.window_start END",
        soci::use(bucket, "b"), soci::use(now, "now"), soci::use(cutoff, "cut1"),
        soci::use(cutoff, "cut2"), soci::use(now, "now2");
    return core::ok_status();
  });
}

core::Status RateLimiter::clear(const std::string& bucket) {
  return db_.write([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "DELETE FROM rate_limits WHERE bucket = :b", soci::use(bucket);
    return core::ok_status();
  });
}

}  // namespace hqadz::domain
