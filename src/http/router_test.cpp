#include "http/router.hpp"

#include <gtest/gtest.h>

namespace hqadz::http {
namespace {

Handler ok() {
  return [](Request&) { return Response::ok({}); };
}

TEST(Router, MatchesParamsAndPrefersLiterals) {
  Router r;
  r.add({"GET", "/api/admin/stock/{id:int}", Access::kAdmin, ok()});
  r.add({"GET", "/api/admin/stock/overview", Access::kAdmin, ok()});
  r.add({"POST", "/api/admin/users/{id:int}/suspend", Access::kAdmin, ok()});

  auto m = r.match("GET", "/api/admin/stock/overview");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.route->pattern, "/api/admin/stock/overview");

  m = r.match("GET", "/api/admin/stock/42");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.params.at("id"), "42");

  m = r.match("POST", "/api/admin/users/7/suspend");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.params.at("id"), "7");
}

TEST(Router, IntParamsRejectNonDigits) {
  Router r;
  r.add({"GET", "/api/adbots/{id:int}", Access::kUser, ok()});
  EXPECT_EQ(r.match("GET", "/api/adbots/abc").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(r.match("GET", "/api/adbots/-1").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(r.match("GET", "/api/adbots/99999999999999999999").outcome,
            Router::Outcome::kNotFound);
}

TEST(Router, WrongMethodListsAllowed) {
  Router r;
  r.add({"GET", "/api/x", Access::kPublic, ok()});
  r.add({"POST", "/api/x", Access::kPublic, ok()});
  auto m = r.match("DELETE", "/api/x");
  ASSERT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  EXPECT_EQ(r.match("HEAD", "/api/x").outcome, Router::Outcome::kFound);
}

TEST(Router, RejectsDuplicatesAndBadPatterns) {
  Router r;
  r.add({"GET", "/api/a/{id}", Access::kPublic, ok()});
  EXPECT_THROW(r.add({"GET", "/api/a/{other}", Access::kPublic, ok()}), std::invalid_argument);
  EXPECT_THROW(r.add({"GET", "api/b", Access::kPublic, ok()}), std::invalid_argument);
  EXPECT_THROW(r.add({"GET", "/api/{x:float}", Access::kPublic, ok()}), std::invalid_argument);
  EXPECT_THROW(r.add({"GET", "/api/c", Access::kPublic, nullptr}), std::invalid_argument);
  EXPECT_THROW(r.add({"GET", "/api/d", Access::kUnspecified, ok()}), std::invalid_argument);
}

TEST(Router, TrailingSlashesAndEmptySegmentsAreTolerated) {
  Router r;
  r.add({"GET", "/api/health", Access::kPublic, ok()});
  EXPECT_EQ(r.match("GET", "/api/health/").outcome, Router::Outcome::kFound);
  EXPECT_EQ(r.match("GET", "/api//health").outcome, Router::Outcome::kFound);
  EXPECT_EQ(r.match("GET", "/api/healthz").outcome, Router::Outcome::kNotFound);
}

}  // namespace
}  // namespace hqadz::http
