#pragma once
/// Time is injected (STYLE rule 9): every component that needs "now" takes a Clock&.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hqadz::core {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

/// Thread-safe source of wall-clock time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// A clock tests move by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{std::chrono::seconds{1'700'000'000}})
      : ms_(to_ms(start)) {}
  TimePoint now() const override { return TimePoint{Millis{ms_.load()}}; }
  void advance(Millis d) { ms_ += d.count(); }
  void set(TimePoint t) { ms_ = to_ms(t); }

 private:
  static int64_t to_ms(TimePoint t) {
    return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
  }
  std::atomic<int64_t> ms_;
};

/// Milliseconds since the Unix epoch: how the database stores every instant.
int64_t to_unix_ms(TimePoint t);
TimePoint from_unix_ms(int64_t ms);

/// ISO-8601 UTC with milliseconds, e.g. "2026-11-27T14:35:06.123Z".
std::string format_iso8601(TimePoint t);
/// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" and "+00:00"; nullopt for anything else.
std::optional<TimePoint> parse_iso8601(std::string_view s);

}  // namespace hqadz::core
