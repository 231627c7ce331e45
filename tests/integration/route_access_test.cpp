// Issue 3 acceptance 2: walk every registered route. Without a token → 401 (unless the route is
// on the public list below); a user on an admin route → 403; a user on another user's resource
// → 404. A new route that forgets to declare its access fails here (or at start-up).
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>

#include "auth_helpers.hpp"
#include "server_fixture.hpp"
#include "storage/database.hpp"

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
    "GET /api/openapi.json",  // the API's description: nothing about anyone
    "GET /api/docs",          // the page that renders it
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

}  // namespace

std::string fill(const std::string& pattern, const std::string& id) {
  return std::regex_replace(pattern, std::regex(R"(\{[a-z_]+(:int)?\})"), id);
}

namespace {

/// For owner-scoped routes: makes a resource owned by `owner` and returns its id, keyed by the
/// pattern's prefix. Every owner-scoped route must be covered here.
/// A request that addresses a resource owned by someone else.
struct Probe {
  std::string target;
  std::string body = "{}";
};
/// Makes a resource owned by `owner` and says how `pattern` addresses it. Every owner-scoped
/// route must be covered here.
using Fixture = std::function<Probe(const ServerProcess&, const TestUser& owner,
                                    const std::string& pattern)>;

std::unique_ptr<storage::Database> open_db(const ServerProcess& server) {
  auto db = storage::Database::open({.url = "sqlite://" + server.data_dir() + "/hqadz.db",
                                     .pool_size = 1});
  EXPECT_TRUE(db.ok());
  return db.ok() ? std::move(*db) : nullptr;
}

/// An order and an adbot owned by `owner`, written straight into the server's database.
std::pair<long long, long long> make_order_and_adbot(const ServerProcess& server,
                                                     const TestUser& owner) {
  auto db = open_db(server);
  auto ids = db->write([&](storage::Tx& tx) -> core::Result<std::pair<long long, long long>> {
    const long long uid = owner.id;
    long long product = 0, order = 0, adbot = 0;
    tx.sql() << "INSERT INTO products (name, tier, sessions_count, posting_interval_seconds, "
                "price, currency, validity_days, created_at, updated_at) VALUES ('Fixture', "
                "'STARTER', 1, 3600, '1', 'USD', 30, 0, 0) RETURNING id",
        soci::into(product);
    tx.sql() << "INSERT INTO orders (user_id, product_id, amount, currency, status, created_at) "
                "VALUES (:u, :p, '1', 'USD', 'PAID', 0) RETURNING id",
        soci::use(uid), soci::use(product), soci::into(order);
    tx.sql() << "INSERT INTO adbots (user_id, order_id, product_id, status, "
                "posting_interval_seconds, created_at, updated_at) VALUES (:u, :o, :p, "
                "'STOPPED', 3600, 0, 0) RETURNING id",
        soci::use(uid), soci::use(order), soci::use(product), soci::into(adbot);
    return std::pair{order, adbot};
  });
  EXPECT_TRUE(ids.ok());
  return ids.ok() ? *ids : std::pair<long long, long long>{0, 0};
}


Probe adbot_probe(const ServerProcess& server, const TestUser& owner, const std::string& pattern) {
  const auto id = std::to_string(make_order_and_adbot(server, owner).second);
  if (pattern.find('{') != std::string::npos) {
    return {fill(pattern, id)};
  }
  // Routes that name the adbot in the query (GET) or the body (POST).
  return {pattern + "?adbot_id=" + id,
          R"({"adbot_id": )" + id + R"(, "action": "stop", "post_link": "https://t.me/abcd/1"})"};
}

Probe order_probe(const ServerProcess& server, const TestUser& owner, const std::string& pattern) {
  return {pattern + "?order_id=" + std::to_string(make_order_and_adbot(server, owner).first)};
}

Probe notification_probe(const ServerProcess& server, const TestUser& owner,
                         const std::string& pattern) {
  auto db = open_db(server);
  auto id = db->write([&](storage::Tx& tx) -> core::Result<long long> {
    long long n = 0;
    const long long uid = owner.id;
    tx.sql() << "INSERT INTO notifications (user_id, kind, title, created_at) VALUES (:u, 'x', "
                "'x', 0) RETURNING id",
        soci::use(uid), soci::into(n);
    return n;
  });
  return {fill(pattern, std::to_string(id.ok() ? *id : 0))};
}

const std::vector<std::pair<std::string, Fixture>>& owner_fixtures() {
  static const std::vector<std::pair<std::string, Fixture>> kFixtures = {
      {"/api/adbots/", adbot_probe},
      {"/api/user/advertisement", adbot_probe},
      {"/api/bot/", adbot_probe},
      {"/api/payment/status", order_probe},
      {"/api/user/notifications/{id:int}", notification_probe},
  };
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
      if (fixture == nullptr && r.method == "GET" && r.pattern.find('{') == std::string::npos) {
        // A list of the caller's own things: scoped by who asks, nothing to address.
        EXPECT_EQ(client_for(server, alice).get(r.pattern).status, 200);
        continue;
      }
      ASSERT_NE(fixture, nullptr) << "no fixture to test ownership of " << key;
      const Probe probe = (*fixture)(server, bob, r.pattern);
      auto other = client_for(server, alice)
                       .request(r.method, probe.target, probe.body,
                                {{"Content-Type", "application/json"}});
      EXPECT_EQ(other.status, 404) << probe.target << " " << other.body;
    }
  }
}

}  // namespace
}  // namespace hqadz::testing
