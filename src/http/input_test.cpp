#include "http/input.hpp"

#include <gtest/gtest.h>

namespace hqadz::http {
namespace {

TEST(Input, StringsAreCheckedAndTrimmed) {
  nlohmann::json b = {{"email", "  a@b.c "}, {"n", 5}, {"long", std::string(300, 'x')}};
  EXPECT_EQ(*require_string(b, "email"), "a@b.c");
  auto missing = require_string(b, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "missing_nope");
  EXPECT_EQ(require_string(b, "n").error().code, "invalid_n");
  EXPECT_FALSE(require_string(b, "long").ok());
  EXPECT_FALSE(require_string({{"e", "   "}}, "e").ok());
  EXPECT_FALSE(optional_string(b, "absent")->has_value());
}

TEST(Input, IntegersAreTypedAndBounded) {
  nlohmann::json b = {{"n", 5}, {"s", "5"}, {"f", 1.5}, {"big", 18446744073709551615ULL}};
  EXPECT_EQ(*require_int(b, "n", 1, 10), 5);
  EXPECT_FALSE(require_int(b, "n", 6, 10).ok());
  EXPECT_FALSE(require_int(b, "s", 0, 10).ok());
  EXPECT_FALSE(require_int(b, "f", 0, 10).ok());
  EXPECT_FALSE(require_int(b, "big", 0, INT64_MAX).ok());
  EXPECT_FALSE(require_int(b, "absent", 0, 10).ok());
}

TEST(Input, QueryAndPathParameters) {
  Request r;
  r.query = {{"limit", "20"}, {"bad", "x1"}};
  r.params = {{"id", "12"}};
  EXPECT_EQ(*query_int(r, "limit", 50, 1, 100), 20);
  EXPECT_EQ(*query_int(r, "absent", 50, 1, 100), 50);
  EXPECT_FALSE(query_int(r, "bad", 50, 1, 100).ok());
  EXPECT_FALSE(query_int(r, "limit", 50, 1, 10).ok());
  EXPECT_EQ(*id_param(r), 12);
  r.params["id"] = "0";
  EXPECT_EQ(id_param(r).error().errc, core::Errc::kNotFound);
}

}  // namespace
}  // namespace hqadz::http
