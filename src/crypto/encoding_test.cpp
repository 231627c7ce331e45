#include "crypto/encoding.hpp"

#include <gtest/gtest.h>

#include "crypto/random.hpp"

namespace hqadz::crypto {

TEST(Encoding, HexRoundTripAndRejects) {
  EXPECT_EQ(to_hex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(from_hex("00FF10"), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(from_hex("0").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

TEST(Encoding, Base64BothAlphabets) {
  EXPECT_EQ(to_base64("\xfb\xff"), "+/8=");
  EXPECT_EQ(to_base64url("\xfb\xff"), "-_8");
  EXPECT_EQ(to_base64url("\xfb\xff", true), "-_8=");
  EXPECT_EQ(from_base64("+/8="), "\xfb\xff");
  EXPECT_EQ(from_base64("-_8="), "\xfb\xff");
  EXPECT_EQ(from_base64("-_8"), "\xfb\xff");
  EXPECT_FALSE(from_base64("-/8=").has_value());
  EXPECT_FALSE(from_base64("a").has_value());
  EXPECT_FALSE(from_base64("ab!c").has_value());
  for (size_t n = 0; n < 40; ++n) {
    auto b = random_bytes(n);
    EXPECT_EQ(from_base64(to_base64(b)), b);
    EXPECT_EQ(from_base64(to_base64url(b)), b);
  }
}

TEST(Encoding, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(Random, BetweenStaysInRange) {
  for (int i = 0; i < 1000; ++i) {
    const auto v = random_between(15, 60);
    ASSERT_GE(v, 15u);
    ASSERT_LE(v, 60u);
  }
  EXPECT_EQ(random_between(7, 7), 7u);
  EXPECT_EQ(random_hex(16).size(), 32u);
  EXPECT_NE(random_hex(16), random_hex(16));
}

}  // namespace hqadz::crypto
