#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace hqadz::core {

TEST(Iso8601, FormatsUtcWithMillis) {
  EXPECT_EQ(format_iso8601(from_unix_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(from_unix_ms(1'795'789'506'123)), "2026-11-27T14:25:06.123Z");
  EXPECT_EQ(format_iso8601(from_unix_ms(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(Iso8601, RoundTrips) {
  for (int64_t ms : {0LL, 951'782'400'000LL, 1'795'789'506'123LL, 4'102'444'799'999LL}) {
    auto parsed = parse_iso8601(format_iso8601(from_unix_ms(ms)));
    ASSERT_TRUE(parsed.has_value()) << ms;
    EXPECT_EQ(to_unix_ms(*parsed), ms);
  }
}

TEST(Iso8601, RejectsGarbage) {
  for (const char* s : {"", "2026-11-27", "2026-13-01T00:00:00Z", "2026-11-27T24:00:00Z",
                        "2026-11-27T00:00:00", "2026-11-27T00:00:00+02:00", "abcd-ef-ghTij:kl:mnZ",
                        "2026-11-27T00:00:00.Z"}) {
    EXPECT_FALSE(parse_iso8601(s).has_value()) << s;
  }
  EXPECT_TRUE(parse_iso8601("2026-11-27T00:00:00+00:00").has_value());
}

TEST(ManualClock, AdvancesOnlyWhenTold) {
  ManualClock clock;
  const auto t0 = clock.now();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(std::chrono::seconds(5));
  EXPECT_EQ(clock.now() - t0, std::chrono::seconds(5));
}

}  // namespace hqadz::core
