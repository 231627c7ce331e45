#include "api/system_routes.hpp"

#include <gtest/gtest.h>

#include "storage/testing/test_database.hpp"

namespace hqadz::api {
namespace {

using namespace std::chrono_literals;

class HealthCheckTest : public storage::testing::DatabaseTest {};

TEST_P(HealthCheckTest, AnswersFromMemoryUntilTheProbeIsOlderThanMaxAge) {
  core::ManualClock clock;
  HealthCheck health(db(), clock, 1000ms);
  EXPECT_FALSE(health.cached()) << "nothing probed yet: a worker must probe";
  auto first = health.probe();
  EXPECT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("\"db\":\"ok\""), std::string::npos) << first.body;
  clock.advance(999ms);
  auto cached = health.cached();
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 200);
  EXPECT_EQ(cached->body, first.body);
  clock.advance(1ms);
  EXPECT_FALSE(health.cached()) << "a second old: probe again";
  // A clock that went back does not make an old answer look fresh.
  clock.set(clock.now() - 10s);
  EXPECT_FALSE(health.cached());
}

TEST_P(HealthCheckTest, RouteRunsInlineWhenFreshAndOnAWorkerOtherwise) {
  core::ManualClock clock;
  HealthCheck health(db(), clock, 1000ms);
  http::Metrics metrics;
  http::Router router;
  add_system_routes(router, health, metrics);
  auto m = router.match("GET", "/api/health");
  ASSERT_EQ(m.outcome, http::Router::Outcome::kFound);
  ASSERT_TRUE(m.route->inline_handler);
  http::Request req;
  EXPECT_FALSE(m.route->inline_handler(req));
  EXPECT_EQ(m.route->handler(req).status, 200);
  auto inline_answer = m.route->inline_handler(req);
  ASSERT_TRUE(inline_answer);
  EXPECT_EQ(inline_answer->status, 200);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(HealthCheckTest);

}  // namespace
}  // namespace hqadz::api
