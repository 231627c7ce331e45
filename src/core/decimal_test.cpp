#include "core/decimal.hpp"

#include <gtest/gtest.h>

namespace hqadz::core {
namespace {

std::string norm(const char* s) {
  auto d = Decimal::parse(s);
  return d ? d->to_string() : "<none>";
}

TEST(Decimal, ParsesPlainAndExponentForms) {
  EXPECT_EQ(norm("55"), "55");
  EXPECT_EQ(norm("55.00"), "55");
  EXPECT_EQ(norm("0.0000635"), "0.0000635");
  EXPECT_EQ(norm("1e-7"), "0.0000001");
  EXPECT_EQ(norm("1.5E3"), "1500");
  EXPECT_EQ(norm("007.10"), "7.1");
  EXPECT_EQ(norm("0"), "0");
  EXPECT_EQ(norm("0.000"), "0");
  EXPECT_EQ(norm("3.21"), "3.21");
}

TEST(Decimal, RefusesWhatIsNotMoney) {
  for (const char* bad : {"", "-1", "1.", ".5", "abc", "1e", "1e-19", "0.0000000000000000001",
                          "123456789012345678901", "NaN", "1,5", " 1"}) {
    EXPECT_FALSE(Decimal::parse(bad).has_value()) << bad;
  }
}

TEST(Decimal, ComparesExactly) {
  auto d = [](const char* s) { return *Decimal::parse(s); };
  EXPECT_EQ(d("3.21"), d("3.210"));
  EXPECT_LT(d("0.1"), d("0.10000001"));
  EXPECT_GT(d("10"), d("9.999999999"));
  EXPECT_LT(d("0"), d("0.000001"));
  EXPECT_EQ(d("0"), d("0.00"));
  EXPECT_EQ(d("30").to_fixed(2), "30.00");
  EXPECT_EQ(d("0.0000635").to_fixed(2), "0.00");
  EXPECT_DOUBLE_EQ(d("899").to_double(), 899.0);
}

}  // namespace
}  // namespace hqadz::core

TEST(Decimal, TimesIsExact) {
  EXPECT_EQ(hqadz::core::Decimal::parse("0.0005")->times(995).to_string(), "0.4975");
  EXPECT_EQ(hqadz::core::Decimal::parse("0.0005")->times(1000).to_string(), "0.5");
  EXPECT_EQ(hqadz::core::Decimal::parse("1e-8")->times(1000).to_string(), "0.00001");
  EXPECT_EQ(hqadz::core::Decimal::parse("99999999999999999999.5")->times(1000).to_string(),
            "99999999999999999999500");
  EXPECT_TRUE(hqadz::core::Decimal::parse("0")->times(7).is_zero());
  // 0.4975 paid of 0.5 due is exactly 99.5%: not below.
  EXPECT_FALSE(hqadz::core::Decimal::parse("0.4975")->times(1000) <
               hqadz::core::Decimal::parse("0.5")->times(995));
  EXPECT_TRUE(hqadz::core::Decimal::parse("0.49749")->times(1000) <
              hqadz::core::Decimal::parse("0.5")->times(995));
}
