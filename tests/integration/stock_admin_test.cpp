// Issue 4 acceptance 4 over real HTTP: overview counts through uploads, assignment and
// retirement, every admin action in the audit log; admins only; the CLI import.
#include "stock_support.hpp"

namespace hqadz::testing {
namespace {

using storage::Backend;

class StockAdminIT : public StockServerTest {
 protected:
  /// A user, product, order and adbot in `status` (the commerce routes make these for real);
  /// returns {adbot id, user id}.
  std::pair<int64_t, int64_t> make_adbot(const std::string& status) {
    auto r = db().write([&](storage::Tx& tx) -> core::Result<std::pair<int64_t, int64_t>> {
      long long user = 0, product = 0, order = 0, adbot = 0;
      const std::string email = crypto::random_hex(6) + "@example.com";
      const std::string license = crypto::random_hex(8);
      tx.sql() << "INSERT INTO users (email, access_code_hash, license_key, created_at) "
                  "VALUES (:e, 'h', :l, 0) RETURNING id",
          soci::use(email), soci::use(license), soci::into(user);
      tx.sql() << "INSERT INTO products (name, tier, sessions_count, posting_interval_seconds, "
                  "price, validity_days, created_at, updated_at) VALUES ('p', 'STARTER', 1, 60, "
                  "10, 30, 0, 0) RETURNING id",
          soci::into(product);
      tx.sql() << "INSERT INTO orders (user_id, product_id, amount, currency, created_at) "
                  "VALUES (:u, :p, 10, 'USD', 0) RETURNING id",
          soci::use(user), soci::use(product), soci::into(order);
      tx.sql() << "INSERT INTO adbots (user_id, order_id, product_id, status, "
                  "posting_interval_seconds, created_at, updated_at) "
                  "VALUES (:u, :o, :p, :s, 60, 0, 0) RETURNING id",
          soci::use(user), soci::use(order), soci::use(product), soci::use(status),
          soci::into(adbot);
      return std::pair<int64_t, int64_t>{adbot, user};
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::pair<int64_t, int64_t>{0, 0};
  }

  nlohmann::json counts() {
    auto r = admin().get("/api/admin/stock/overview");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["counts"];
  }
};

// Acceptance 4.
TEST_P(StockAdminIT, OverviewFollowsUploadsAssignmentAndRetirementAllAudited) {
  TempDir dir;
  auto made = make_telethon_sessions(dir.path());
  ASSERT_EQ(made.sessions.size(), 4u);
  auto empty = admin().get("/api/admin/stock/overview");
  EXPECT_EQ(empty.json()["low_stock"], true);
  for (const char* s : {"UNUSED", "ASSIGNED", "COOLING", "LIMITED", "BANNED", "DEAD", "RETIRED"}) {
    EXPECT_EQ(empty.json()["counts"][s], 0) << s;
  }

  std::vector<int64_t> ids;
  int n = 0;
  for (const auto& s : made.sessions) {
    const std::string phone = "+4477009003" + std::to_string(10 + n++);
    auto r = s.kind == "file" ? upload_file(s.value, phone) : upload_string(s.value, phone);
    ASSERT_EQ(r.status, 201) << r.body;
    ids.push_back(r.json()["id"].get<int64_t>());
    EXPECT_EQ(counts()["UNUSED"], n);
  }

  auto [adbot, owner] = make_adbot("STOPPED");
  auto [expired, _] = make_adbot("EXPIRED");
  auto to_expired = admin().post("/api/admin/stock/" + std::to_string(ids[0]) + "/assign",
                                 {{"adbot_id", expired}});
  EXPECT_EQ(to_expired.status, 409);
  EXPECT_EQ(to_expired.error_code(), "adbot_expired");
  auto to_nothing = admin().post("/api/admin/stock/" + std::to_string(ids[0]) + "/assign",
                                 {{"adbot_id", 999999}});
  EXPECT_EQ(to_nothing.status, 404);
  auto no_body = admin().post("/api/admin/stock/" + std::to_string(ids[0]) + "/assign",
                              nlohmann::json::object());
  EXPECT_EQ(no_body.status, 400);
  EXPECT_EQ(no_body.error_code(), "missing_adbot_id");

  auto assigned =
      admin().post("/api/admin/stock/" + std::to_string(ids[0]) + "/assign", {{"adbot_id", adbot}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.json()["status"], "ASSIGNED");
  EXPECT_EQ(assigned.json()["assigned_to_adbot_id"], adbot);
  EXPECT_EQ(assigned.json()["assigned_to_user_id"], owner);
  auto c = counts();
  EXPECT_EQ(c["UNUSED"], 3);
  EXPECT_EQ(c["ASSIGNED"], 1);
  auto twice =
      admin().post("/api/admin/stock/" + std::to_string(ids[0]) + "/assign", {{"adbot_id", adbot}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "not_unused");

  for (int64_t id : {ids[0], ids[1]}) {
    auto retired = admin().post("/api/admin/stock/" + std::to_string(id) + "/retire",
                                {{"reason", "USER_DEACTIVATED_BAN"}});
    ASSERT_EQ(retired.status, 200) << retired.body;
    EXPECT_EQ(retired.json()["status"], "RETIRED");
    EXPECT_EQ(retired.json()["status_reason"], "USER_DEACTIVATED_BAN");
  }
  auto again =
      admin().post("/api/admin/stock/" + std::to_string(ids[0]) + "/retire", {{"reason", "x"}});
  EXPECT_EQ(again.status, 409);
  auto no_reason = admin().post("/api/admin/stock/" + std::to_string(ids[2]) + "/retire",
                                nlohmann::json::object());
  EXPECT_EQ(no_reason.error_code(), "missing_reason");
  auto missing = admin().post("/api/admin/stock/999999/retire", {{"reason", "x"}});
  EXPECT_EQ(missing.status, 404);

  auto overview = admin().get("/api/admin/stock/overview").json();
  EXPECT_EQ(overview["counts"]["UNUSED"], 2);
  EXPECT_EQ(overview["counts"]["ASSIGNED"], 0);
  EXPECT_EQ(overview["counts"]["RETIRED"], 2);
  EXPECT_EQ(overview["low_stock"], true);  // default threshold 5

  // Filter and pagination.
  auto retired = admin().get("/api/admin/stock?status=RETIRED").json();
  ASSERT_EQ(retired["stock"].size(), 2u);
  EXPECT_TRUE(retired["next_cursor"].is_null());
  auto page = admin().get("/api/admin/stock?limit=3").json();
  ASSERT_EQ(page["stock"].size(), 3u);
  EXPECT_EQ(page["stock"][0]["id"], ids[3]);
  auto rest = admin()
                  .get("/api/admin/stock?limit=3&cursor=" +
                       std::to_string(page["next_cursor"].get<int64_t>()))
                  .json();
  ASSERT_EQ(rest["stock"].size(), 1u);
  EXPECT_EQ(rest["stock"][0]["id"], ids[0]);
  EXPECT_EQ(admin().get("/api/admin/stock?status=NOPE").error_code(), "invalid_status");

  // Every admin action is in the audit log, by the admin.
  auto audit = admin().get("/api/admin/audit?target_type=tg_session&limit=200").json();
  std::map<std::string, int> actions;
  for (const auto& e : audit["audit_log"]) {
    ++actions[e["action"].get<std::string>()];
    EXPECT_EQ(e["actor_user_id"], admin_.id);
  }
  EXPECT_EQ(actions["stock.import"], 4);
  EXPECT_EQ(actions["stock.assign"], 1);
  EXPECT_EQ(actions["stock.retire"], 2);
  EXPECT_EQ(actions.size(), 3u);
}

TEST_P(StockAdminIT, OnlyAdminsReachTheStock) {
  TestUser user = create_user_cli(*server_, "user@example.com", "USER", env_);
  sign_in(*server_, user);
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", "/api/admin/stock"},
      {"GET", "/api/admin/stock/overview"},
      {"POST", "/api/admin/stock/upload"},
      {"POST", "/api/admin/stock/1/assign"},
      {"POST", "/api/admin/stock/1/retire"}};
  for (const auto& [method, path] : routes) {
    EXPECT_EQ(server_->client().request(method, path).status, 401) << path;
    EXPECT_EQ(client_for(*server_, user).request(method, path).status, 403) << path;
  }
}

TEST_P(StockAdminIT, TheCliImportsWithTheSameChecksAndEncryption) {
  TempDir dir;
  auto made = make_telethon_sessions(dir.path());
  ASSERT_EQ(made.sessions.size(), 4u);
  const std::string file = dir.path() + "/account0.session";
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {hqadz_binary(), "session", "import"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (std::string a :
         {"--api-id", "777", "--api-hash", "ABCDEF0123456789abcdef0123456789", "--data-dir"}) {
      argv.push_back(a);
    }
    argv.push_back(server_->data_dir());
    return run_to_end(argv, env_);
  };
  auto [code, out] = run({file, "--phone", "+15550100"});
  ASSERT_EQ(code, 0) << out;
  auto j = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_EQ(j["status"], "UNUSED");
  EXPECT_EQ(j["dc_id"], made.sessions[2].dc);
  EXPECT_EQ(j["server_address"], made.sessions[2].address);
  EXPECT_EQ(j["api_id"], 777);
  EXPECT_EQ(out.find(crypto::to_hex(made.sessions[2].key)), std::string::npos);

  auto [code2, out2] = run({"--string", made.sessions[1].value, "--phone", "+15550101"});
  ASSERT_EQ(code2, 0) << out2;
  EXPECT_EQ(nlohmann::json::parse(out2)["server_address"], "2001:67c:4e8:f004::a");

  auto [dup, dup_out] = run({file, "--phone", "+15550100"});
  EXPECT_EQ(dup, 1);
  EXPECT_EQ(nlohmann::json::parse(dup_out)["error"]["code"], "duplicate_session");
  const std::string bad = dir.path() + "/two_rows.session";
  auto [bad_code, bad_out] = run({bad, "--phone", "+15550102"});
  EXPECT_EQ(bad_code, 1);
  EXPECT_EQ(nlohmann::json::parse(bad_out)["error"]["code"], "bad_session_file_row_count");

  // The server sees what the CLI imported; the audit says it came from the CLI.
  EXPECT_EQ(admin().get("/api/admin/stock/overview").json()["counts"]["UNUSED"], 2);
  auto audit = admin().get("/api/admin/audit?action=stock.import").json();
  ASSERT_EQ(audit["audit_log"].size(), 2u);
  EXPECT_TRUE(audit["audit_log"][0]["actor_user_id"].is_null());
  EXPECT_EQ(audit["audit_log"][0]["client_address"], "cli");
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(StockAdminIT);

}  // namespace
}  // namespace hqadz::testing
