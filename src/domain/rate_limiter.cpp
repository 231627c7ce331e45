#include "domain/rate_limiter.hpp"

namespace hqadz::domain {

core::Result<int64_t> RateLimiter::take(const std::string& bucket, const RateRule& rule) {
  const long long now = core::to_unix_ms(clock_.now());
  const long long window_ms = rule.window.count() * 1000;
  const long long cutoff = now - window_ms;
  return db_.write([&](storage::Tx& tx) -> core::Result<int64_t> {
    // Check and count in one statement: the row lock (PostgreSQL) or the write lock (SQLite)
    // orders concurrent tries, and each one sees the count the one before it left.
    long long start = 0;
    long long hits = 0;
    tx.sql() << "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (:b, :now, 1) "
                "ON CONFLICT (bucket) DO UPDATE SET "
                "hits = CASE WHEN rate_limits.window_start <= :cut1 THEN 1 "
                "ELSE rate_limits.hits + 1 END, "
                "window_start = CASE WHEN rate_limits.window_start <= :cut2 THEN :now2 "
                "ELSE rate_limits.window_start END "
                "RETURNING window_start, hits",
        soci::use(bucket, "b"), soci::use(now, "now"), soci::use(cutoff, "cut1"),
        soci::use(cutoff, "cut2"), soci::use(now, "now2"), soci::into(start), soci::into(hits);
    if (hits <= rule.max_hits) {
      return int64_t{0};
    }
    const long long window_end = start + window_ms;
    return std::max<int64_t>(1, (window_end - now + 999) / 1000);
  });
}

core::Status RateLimiter::give_back(const std::string& bucket) {
  return db_.write([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "UPDATE rate_limits SET hits = hits - 1 WHERE bucket = :b AND hits > 0",
        soci::use(bucket);
    return core::ok_status();
  });
}

core::Status RateLimiter::clear(const std::string& bucket) {
  return db_.write([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "DELETE FROM rate_limits WHERE bucket = :b", soci::use(bucket);
    return core::ok_status();
  });
}

core::Status RateLimiter::clear_prefix(const std::string& prefix) {
  // substr, not LIKE: a bucket name may hold '%' or '_' (an email, an address).
  const long long n = static_cast<long long>(prefix.size());
  return db_.write([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "DELETE FROM rate_limits WHERE substr(bucket, 1, :n) = :p", soci::use(n),
        soci::use(prefix);
    return core::ok_status();
  });
}

}  // namespace hqadz::domain
