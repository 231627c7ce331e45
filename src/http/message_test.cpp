#include "http/message.hpp"

#include <gtest/gtest.h>

namespace hqadz::http {
namespace {

TEST(Message, ErrorBodyHasCodeAndMessage) {
  auto r = Response::error(core::Error::invalid("missing_email", "email is required"));
  EXPECT_EQ(r.status, 400);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "missing_email");
  EXPECT_EQ(j["error"]["message"], "email is required");
}

TEST(Message, JsonWithInvalidUtf8DoesNotThrow) {
  auto r = Response::ok({{"x", std::string("\xff\xfe")}});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(nlohmann::json::parse(r.body, nullptr, false).is_discarded());
}

TEST(Message, StatusMapping) {
  EXPECT_EQ(status_for(core::Errc::kUnauthenticated), 401);
  EXPECT_EQ(status_for(core::Errc::kRateLimited), 429);
  EXPECT_EQ(status_for(core::Errc::kBadGateway), 502);
}

TEST(Message, UrlDecode) {
  EXPECT_EQ(url_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(url_decode("a%20b+c", true), "a b c");
  EXPECT_FALSE(url_decode("%", false).has_value());
  EXPECT_FALSE(url_decode("%4", false).has_value());
  EXPECT_FALSE(url_decode("%zz", false).has_value());
}

TEST(Message, ParseQuery) {
  auto q = parse_query("limit=10&before=5&empty=&flag&x=%41");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->at("limit"), "10");
  EXPECT_EQ(q->at("empty"), "");
  EXPECT_EQ(q->at("flag"), "");
  EXPECT_EQ(q->at("x"), "A");
  EXPECT_FALSE(parse_query("a=%").has_value());
}

TEST(Message, HeadersAreCaseInsensitive) {
  Headers h{{"Content-Type", "text/plain"}};
  EXPECT_EQ(find_header(h, "content-type"), "text/plain");
  EXPECT_FALSE(find_header(h, "accept").has_value());
}

}  // namespace
}  // namespace hqadz::http
