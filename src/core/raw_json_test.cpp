#include "core/raw_json.hpp"

#include <gtest/gtest.h>

namespace hqadz::core {
namespace {

TEST(RawJson, KeepsNumberAndStringTokensAsWritten) {
  auto v = parse_raw_json(R"( { "a" : 1e-7 , "b":"x\/y\u00e9", "c":[6, 0.0000635 ,true,null] } )");
  ASSERT_TRUE(v);
  EXPECT_EQ(write_raw_json(*v), R"({"a":1e-7,"b":"x\/y\u00e9","c":[6,0.0000635,true,null]})");
  EXPECT_EQ(v->find("a")->token, "1e-7");
  EXPECT_EQ(*v->find("b")->string_value(), "x/y\xC3\xA9");
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(RawJson, ScalarTextAcceptsStringOrNumber) {
  auto v = parse_raw_json(R"({"id":"4492847470","n":4492847470})");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v->find("id")->scalar_text(), "4492847470");
  EXPECT_EQ(*v->find("n")->scalar_text(), "4492847470");
}

TEST(RawJson, RefusesMalformedInput) {
  for (const char* bad :
       {"", "{", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":1,\"a\":2}", "[1 2]", "tru",
        "{\"a\":\"\x01\"}", "\"\xC0\xAF\""}) {
    EXPECT_FALSE(parse_raw_json(bad).has_value()) << bad;
  }
}

TEST(RawJson, DepthIsBounded) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(parse_raw_json(deep).has_value());
  EXPECT_TRUE(parse_raw_json(deep, {.max_depth = 200}).has_value());
}

}  // namespace
}  // namespace hqadz::core
