// Issue 16: every documented route answers with success at least once in the integration tests,
// so the contract check (tests/contract/validate.py) validates each route's own schema. This
// test walks what the others do not: a demo customer's whole adbot, the admin's fleet,
// blocklist and users, the document and its page. Its assertions are on statuses; the shapes
// are the contract check's job.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "auth_helpers.hpp"
#include "server_fixture.hpp"
#include "smtp_sink.hpp"

namespace hqadz::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str(), nullptr, false);
}

TestUser demo_user(const ServerProcess& server, const std::string& who) {
  const auto creds = read_json(server.data_dir() + "/demo-credentials.json");
  TestUser user;
  user.email = creds[who]["email"].get<std::string>();
  user.access_code = creds[who]["access_code"].get<std::string>();
  sign_in(server, user);
  return user;
}

/// GET of a Server-Sent Events route over a raw socket: the status line and headers, and the
/// first bytes of the stream (an HttpClient would wait for the end of a stream that has none).
HttpResult sse_head(uint16_t port, const std::string& target, const std::string& token) {
  HttpResult out;
  const int fd = connect_loopback(port);
  if (fd < 0) {
    return out;
  }
  send_all(fd, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                   "\r\nAccept: text/event-stream\r\n\r\n");
  const std::string raw = read_response(fd, 10s);
  ::close(fd);
  out.status = status_of(raw);
  std::istringstream lines(raw.substr(0, raw.find("\r\n\r\n")));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string name = line.substr(0, colon);
    for (auto& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r ") + 1);
    out.headers[name] = value;
  }
  record_response("GET", target, out);
  return out;
}

class ContractIT : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        ServerOptions{.env = {{"HQADZ_WEB_DIR", web_.path()}}, .extra_args = {"--demo"}});
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "server stderr:\n" << server_->logs();
    }
  }
  TempDir web_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ContractIT, TheDocumentIsServedAndItsPageWhenBuilt) {
  auto anyone = server_->client();
  auto doc = anyone.get("/api/openapi.json");
  ASSERT_EQ(doc.status, 200) << doc.body;
  EXPECT_EQ(doc.header("content-type"), "application/json");
  // The demo server's table is the one `hqadz openapi` describes.
  auto [code, printed] = run_to_end({hqadz_binary(), "openapi"});
  ASSERT_EQ(code, 0) << printed;
  EXPECT_EQ(doc.json(), json::parse(printed));

  auto missing = anyone.get("/api/docs");
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(missing.error_code(), "not_found");
  std::ofstream(web_.path() + "/docs.html") << "<!doctype html><title>hqadz API</title>\n";
  auto page = anyone.get("/api/docs");
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("hqadz API"), std::string::npos);
  EXPECT_EQ(anyone.get("/metrics").status, 200);
}

TEST_F(ContractIT, EveryRouteOfACustomersAdbotAndTheAdminsFleetAnswers) {
  TestUser customer_user = demo_user(*server_, "customer");
  TestUser admin_user = demo_user(*server_, "admin");
  auto customer = client_for(*server_, customer_user);
  auto admin = client_for(*server_, admin_user);

  // A paid adbot (the demo's manual provider, paid by its owner).
  auto products = customer.get("/api/products");
  ASSERT_EQ(products.status, 200) << products.body;
  const int64_t product = products.json()["products"][0]["id"].get<int64_t>();
  auto created =
      customer.post("/api/payment/create", {{"product_id", product}, {"pay_currency", "btc"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t order = created.json()["order"]["id"].get<int64_t>();
  auto paid = customer.post("/api/payment/simulate", {{"order_id", order}});
  ASSERT_EQ(paid.status, 200) << paid.body;
  ASSERT_TRUE(paid.json()["adbot_id"].is_number()) << paid.body;
  const std::string id = std::to_string(paid.json()["adbot_id"].get<int64_t>());
  const json adbot_id = paid.json()["adbot_id"];

  // Its advertisement, under both names.
  const json ad = {{"adbot_id", adbot_id},
                   {"post_link", "https://t.me/hqadz_demo/1"},
                   {"groups", {"@demo_group_1", "@demo_group_2"}}};
  EXPECT_EQ(customer.post("/api/bot/config", ad).status, 200);
  EXPECT_EQ(customer.get("/api/bot/config?adbot_id=" + id).status, 200);
  EXPECT_EQ(customer.post("/api/user/advertisement?adbot_id=" + id, ad).status, 200);
  EXPECT_EQ(customer.get("/api/user/advertisement?adbot_id=" + id).status, 200);
  auto seen = customer.post("/api/bot/validate-post", {{"adbot_id", adbot_id}});
  EXPECT_EQ(seen.status, 200) << seen.body;

  // Started and stopped both ways; its page, log, live log and counters.
  EXPECT_EQ(customer.post("/api/bot/control", {{"adbot_id", adbot_id}, {"action", "start"}}).status,
            200);
  EXPECT_EQ(customer.post("/api/adbots/" + id + "/stop", json::object()).status, 200);
  EXPECT_EQ(customer.post("/api/adbots/" + id + "/start", json::object()).status, 200);
  EXPECT_EQ(customer.get("/api/adbots/" + id).status, 200);
  EXPECT_EQ(customer.get("/api/adbots/" + id + "/logs?limit=5").status, 200);
  auto live = sse_head(server_->port(), "/api/adbots/" + id + "/events", customer_user.token);
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.header("content-type"), "text/event-stream");
  EXPECT_EQ(customer.get("/api/user/stats").status, 200);
  EXPECT_EQ(customer.get("/api/user/adbots").status, 200);
  EXPECT_EQ(customer.get("/api/user/orders").status, 200);

  // The admin's fleet: the list, the dashboard under both names, an extension (which tells
  // the owner, so the customer has a notification to read).
  EXPECT_EQ(admin.get("/api/admin/adbots?limit=10").status, 200);
  EXPECT_EQ(admin.get("/api/admin/dashboard").status, 200);
  EXPECT_EQ(admin.get("/api/admin/stats").status, 200);
  EXPECT_EQ(admin.post("/api/admin/adbots/" + id + "/extend", {{"days", 3}}).status, 200);
  EXPECT_EQ(admin.get("/api/admin/payments").status, 200);
  EXPECT_EQ(customer.post("/api/adbots/" + id + "/stop", json::object()).status, 200);

  auto notes = customer.get("/api/user/notifications");
  ASSERT_EQ(notes.status, 200) << notes.body;
  ASSERT_FALSE(notes.json()["notifications"].empty()) << notes.body;
  const auto note = std::to_string(notes.json()["notifications"][0]["id"].get<int64_t>());
  EXPECT_EQ(customer.post("/api/user/notifications/" + note + "/read", json::object()).status, 200);
  EXPECT_EQ(customer.post("/api/user/notifications/read-all", json::object()).status, 200);

  // The blocklist: an operator's block, an owner's opt-out confirmed, another rejected.
  auto blocked = admin.post("/api/admin/blocklist", {{"group", "@spam_group"}, {"reason", "r"}});
  ASSERT_EQ(blocked.status, 201) << blocked.body;
  for (const char* group : {"@owner_group_1", "@owner_group_2"}) {
    auto opted = server_->client().post("/api/public/opt-out", {{"group", group}});
    EXPECT_EQ(opted.status, 201) << opted.body;
  }
  auto pending = admin.get("/api/admin/blocklist?status=PENDING");
  ASSERT_EQ(pending.status, 200) << pending.body;
  ASSERT_EQ(pending.json()["blocklist"].size(), 2u) << pending.body;
  const auto first = std::to_string(pending.json()["blocklist"][0]["id"].get<int64_t>());
  const auto second = std::to_string(pending.json()["blocklist"][1]["id"].get<int64_t>());
  EXPECT_EQ(admin.post("/api/admin/blocklist/" + first + "/confirm", json::object()).status, 200);
  EXPECT_EQ(admin.post("/api/admin/blocklist/" + second + "/reject", json::object()).status, 200);
  const auto block_id = std::to_string(blocked.json()["id"].get<int64_t>());
  EXPECT_EQ(admin.request("DELETE", "/api/admin/blocklist/" + block_id).status, 200);

  // Users: created, suspended, let back, a new code; the list and the audit log.
  auto made = admin.post("/api/admin/users", {{"email", "carol@example.com"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const auto carol = std::to_string(made.json()["id"].get<int64_t>());
  EXPECT_EQ(admin.post("/api/admin/users/" + carol + "/suspend", json::object()).status, 200);
  EXPECT_EQ(admin.post("/api/admin/users/" + carol + "/unsuspend", json::object()).status, 200);
  EXPECT_EQ(admin.post("/api/admin/users/" + carol + "/reset-code", json::object()).status, 200);
  EXPECT_EQ(admin.get("/api/admin/users?limit=5").status, 200);
  EXPECT_EQ(admin.get("/api/admin/audit?limit=5").status, 200);

  // Signing out answers 204, no body.
  auto out = customer.post("/api/auth/logout", {{"refresh_token", customer_user.refresh_token}});
  EXPECT_EQ(out.status, 204) << out.body;
}

TEST(ContractMailIT, SignUpAndRecoveryWithEmailConfigured) {
  SmtpSink smtp;
  ServerProcess server(ServerOptions{.env = {{"HQADZ_SMTP_URL", smtp.url()}}});
  ASSERT_NE(server.port(), 0);
  auto signed_up = server.client().post("/api/auth/signup", {{"email", "dave@example.com"}});
  EXPECT_EQ(signed_up.status, 200) << signed_up.body;
  EXPECT_FALSE(signed_up.json().contains("access_code")) << "the code went by email";
  auto recovered = server.client().post("/api/auth/recover", {{"email", "dave@example.com"}});
  EXPECT_EQ(recovered.status, 202) << recovered.body;
}

}  // namespace
}  // namespace hqadz::testing
