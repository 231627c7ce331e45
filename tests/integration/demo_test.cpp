// Issue 8, `make run`: `hqadz serve --demo` is a live demo. A customer buys Bronze, simulates
// the payment, configures the demo post and three demo groups, starts, and deliveries reach
// the log; a restart on the same data dir keeps the credentials, the stock and the deliveries.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "auth_helpers.hpp"
#include "server_fixture.hpp"

namespace hqadz::testing {
namespace {

using namespace std::chrono_literals;

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str(), nullptr, false);
}

/// Signs in a demo user from demo-credentials.json.
HttpClient demo_client(const ServerProcess& server, const std::string& who) {
  const auto creds = read_json(server.data_dir() + "/demo-credentials.json");
  TestUser user;
  user.email = creds[who]["email"].get<std::string>();
  user.access_code = creds[who]["access_code"].get<std::string>();
  sign_in(server, user);
  return client_for(server, user);
}

int64_t bronze_id(const HttpClient& c) {
  auto r = c.get("/api/products");
  EXPECT_EQ(r.status, 200) << r.body;
  const auto body = r.json();
  for (const auto& p : body["products"]) {
    if (p["name"].get<std::string>().find("Bronze") != std::string::npos) {
      return p["id"].get<int64_t>();
    }
  }
  ADD_FAILURE() << "no Bronze plan: " << r.body;
  return 0;
}

/// SENT events in the adbot's log, polling until `want` or the deadline (nothing signals it).
int wait_for_sent(const HttpClient& c, int64_t adbot, int want, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  int sent = 0;
  while (true) {
    auto r = c.get("/api/adbots/" + std::to_string(adbot) + "/logs?limit=200");
    EXPECT_EQ(r.status, 200) << r.body;
    sent = 0;
    const auto body = r.json();
    for (const auto& e : body["logs"]) {
      sent += e["kind"] == "SENT" ? 1 : 0;
    }
    if (sent >= want || std::chrono::steady_clock::now() > deadline) {
      return sent;
    }
    std::this_thread::sleep_for(200ms);
  }
}

class DemoIT : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "server stderr:\n" << server_->logs();
    }
  }
  void start() {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(
        ServerOptions{.extra_args = {"--demo"}, .data_dir = dir_.path()});
    ASSERT_NE(server_->port(), 0);
  }
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(DemoIT, BuySimulatePayConfigureStartDeliversAndSurvivesARestart) {
  start();
  const auto creds = read_json(dir_.path() + "/demo-credentials.json");
  ASSERT_TRUE(creds.is_object());
  struct stat st {};
  ASSERT_EQ(::stat((dir_.path() + "/demo-world.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto admin = demo_client(*server_, "admin");
  auto overview = admin.get("/api/admin/stock/overview");
  ASSERT_EQ(overview.status, 200) << overview.body;
  const int64_t unused = overview.json()["counts"].value("UNUSED", int64_t{0});
  EXPECT_GE(unused, 15);

  auto customer = demo_client(*server_, "customer");
  auto created = customer.post("/api/payment/create",
                               {{"product_id", bronze_id(customer)}, {"pay_currency", "usdttrc20"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["demo"], true);
  // Demo payments are the manual kind: the price in its own money, confirmed by hand, never
  // the price copied into a coin amount.
  const auto pay = created.json()["payment"];
  EXPECT_TRUE(pay["pay_address"].is_null()) << created.body;
  EXPECT_EQ(pay["pay_amount"], created.json()["order"]["amount"]);
  EXPECT_EQ(pay["pay_currency"], "usd");
  EXPECT_EQ(pay["confirmation"], "manual");
  const int64_t order = created.json()["order"]["id"].get<int64_t>();
  auto status = customer.get("/api/payment/status?order_id=" + std::to_string(order));
  EXPECT_EQ(status.json()["demo"], true);

  // Only the owner may simulate: another user's order does not exist for them.
  auto paid_by_admin = admin.post("/api/payment/simulate", {{"order_id", order}});
  EXPECT_EQ(paid_by_admin.status, 404) << paid_by_admin.body;

  auto paid = customer.post("/api/payment/simulate", {{"order_id", order}});
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json()["order"]["status"], "PAID");
  EXPECT_EQ(paid.json()["outcome"], "provisioned");
  const int64_t adbot = paid.json()["adbot_id"].get<int64_t>();
  auto again = customer.post("/api/payment/simulate", {{"order_id", order}});
  EXPECT_EQ(again.status, 409) << again.body;  // fulfilled once

  const std::string target = "/api/user/advertisement?adbot_id=" + std::to_string(adbot);
  auto configured = customer.post(
      target, {{"post_link", "https://t.me/hqadz_demo/1"},
               {"groups", {"@demo_group_1", "@demo_group_2", "@demo_slow_group"}}});
  ASSERT_EQ(configured.status, 200) << configured.body;
  const std::string control = "/api/adbots/" + std::to_string(adbot);
  auto started = customer.post(control + "/start", nlohmann::json::object());
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_GE(wait_for_sent(customer, adbot, 1, 30s), 1) << "no delivery within 30 s";
  // The demo gap is 1-3 s: one account covers the three groups in about ten seconds.
  EXPECT_GE(wait_for_sent(customer, adbot, 3, 30s), 3);
  // The paid order names its adbot; the card counts what the engine delivered.
  auto paid_status = customer.get("/api/payment/status?order_id=" + std::to_string(order)).json();
  EXPECT_EQ(paid_status["order"]["adbot_id"], adbot) << paid_status.dump();
  EXPECT_FALSE(paid_status["receipt"].is_null());
  auto detail = customer.get(control).json();
  auto card = customer.get("/api/user/adbots").json()["adbots"][0];
  EXPECT_EQ(card["id"], adbot);
  EXPECT_GE(card["stats"]["success"].get<int64_t>(), 3) << card.dump();
  EXPECT_GE(card["stats"]["success"], detail["stats"]["success"]);  // the engine goes on
  EXPECT_EQ(card["groups_count"], 3);
  EXPECT_GE(card["sessions_assigned"].get<int64_t>(), 1);
  EXPECT_NE(card["product"]["name"].get<std::string>().find("Bronze"), std::string::npos);
  EXPECT_EQ(detail["adbot"]["product"], card["product"]);

  // A restart (Ctrl-C of `make run`): the credentials are the same, the stock rows still talk
  // to the new tgsim.
  server_->process().signal(SIGTERM);
  ASSERT_TRUE(server_->process().wait(20s).has_value());
  start();
  EXPECT_EQ(read_json(dir_.path() + "/demo-credentials.json"), creds);
  customer = demo_client(*server_, "customer");
  admin = demo_client(*server_, "admin");
  auto after = admin.get("/api/admin/stock/overview");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json()["counts"].value("UNUSED", int64_t{0}), unused - 1);  // no re-import
  auto stopped = customer.post(control + "/stop", nlohmann::json::object());
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  const int before = wait_for_sent(customer, adbot, 0, 0s);
  ASSERT_EQ(customer.post(control + "/start", nlohmann::json::object()).status, 200);
  EXPECT_GT(wait_for_sent(customer, adbot, before + 1, 45s), before)
      << "no delivery after the restart";
}

}  // namespace
}  // namespace hqadz::testing
