// Issue 3 acceptance 2: walk every registered route. Without a token → 401 (unless the route is
// on the public list below); a user on an admin route → 403; a user on another user's resource
// → 404. A new route that forgets to declare its access fails here (or at start-up).
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>

#include "auth_helpers.hpp"
#include "server_fixture.hpp"

namespace hqadz::testing {
namespace {

/// Routes anyone may call. Adding one here is a decision: say why in the route's code.
const std::set<std::string> kPublicRoutes = {
    "GET /api/health",
    "GET /metrics",
    "POST /api/auth/signup",
    "POST /api/auth/recover",
    "POST /api/auth/verify-access-code",
    "POST /api/auth/refresh",
    "POST /api/auth/logout",
    "POST /api/payment/webhook",
    "POST /api/public/opt-out",
};

struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string access;
  bool owner_scoped = false;
};

std::vector<RouteInfo> registered_routes(const ServerProcess& server) {
  auto [code, out] = run_to_end({hqadz_binary(), "routes", "--data-dir", server.data_dir()});
  EXPECT_EQ(code, 0) << out;
  std::vector<RouteInfo> routes;
  auto j = nlohmann::json::parse(out, nullptr, false);
  for (const auto& r : j["routes"]) {
    routes.push_back({r["method"], r["pattern"], r["access"], r["owner_scoped"]});
  }
  return routes;
}

std::string fill(const std::string& pattern, const std::string& id) {
  return std::regex_replace(pattern, std::regex(R"(\{[a-z_]+(:int)?\})"), id);
}

/// For owner-scoped routes: makes a resource owned by `owner` and returns its id, keyed by the
/// pattern's prefix. Every owner-scoped route must be covered here.
using Fixture = std::function<std::string(const ServerProcess&, const TestUser& owner)>;
const std::vector<std::pair<std::string, Fixture>>& owner_fixtures() {
  static const std::vector<std::pair<std::string, Fixture>> kFixtures = {};
  return kFixtures;
}

TEST(RouteAccess, EveryRouteChecksWhoIsAsking) {
  ServerProcess server;
  ASSERT_NE(server.port(), 0);
  TestUser admin = create_user_cli(server, "admin@example.com", "ADMIN");
  TestUser alice = create_user_cli(server, "alice@example.com", "USER");
  TestUser bob = create_user_cli(server, "bob@example.com", "USER");
  sign_in(server, admin);
  sign_in(server, alice);
  sign_in(server, bob);

  const auto routes = registered_routes(server);
  ASSERT_GT(routes.size(), 10u);
  for (const auto& r : routes) {
    const std::string key = r.method + " " + r.pattern;
    SCOPED_TRACE(key);
    ASSERT_NE(r.access, "unspecified");
    if (r.access == "public") {
      EXPECT_TRUE(kPublicRoutes.count(key)) << "public route not on the public list";
      continue;
    }
    const std::string path = fill(r.pattern, "1");
    auto anon = server.client().request(r.method, path, "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(anon.status, 401) << anon.body;
    if (r.access == "admin") {
      auto as_user = client_for(server, alice)
                         .request(r.method, path, "{}", {{"Content-Type", "application/json"}});
      EXPECT_EQ(as_user.status, 403) << as_user.body;
    }
    if (r.owner_scoped) {
      const Fixture* fixture = nullptr;
      for (const auto& [prefix, f] : owner_fixtures()) {
        if (r.pattern.rfind(prefix, 0) == 0) {
          fixture = &f;
        }
      }
      ASSERT_NE(fixture, nullptr) << "no fixture to test ownership of " << key;
      const std::string bobs = (*fixture)(server, bob);
      auto other = client_for(server, alice)
                       .request(r.method, fill(r.pattern, bobs), "{}",
                                {{"Content-Type", "application/json"}});
      EXPECT_EQ(other.status, 404) << other.body;
    }
  }
}

}  // namespace
}  // namespace hqadz::testing
