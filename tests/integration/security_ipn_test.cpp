// Issue 20, the IPN findings (review 4.11 and 4.16), over real HTTP against a fake NOWPayments
// API on loopback: refused IPNs cannot fill the database, and an underpaid "finished" is
// flagged instead of provisioned.
#include <gtest/gtest.h>

#include "auth_helpers.hpp"
#include "fake_nowpayments.hpp"
#include "payments/ipn_signature.hpp"
#include "server_fixture.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {
namespace {

using storage::Backend;
constexpr const char* kSecret = "it-ipn-secret";

class SecurityIpnIT : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    test_db_ = storage::testing::TestDatabase::create(GetParam(), false);
    if (!test_db_) {
      GTEST_SKIP() << "PostgreSQL not available";
    }
    if (GetParam() == Backend::kPostgres) {
      env_["HQADZ_DATABASE_URL"] = test_db_->url();
    }
    env_["HQADZ_PAYMENT_PROVIDER"] = "nowpayments";
    env_["HQADZ_NOWPAYMENTS_API_URL"] = np_.url();
    env_["HQADZ_NOWPAYMENTS_API_KEY"] = "test-key";
    env_["HQADZ_NOWPAYMENTS_IPN_SECRET"] = kSecret;
    env_["HQADZ_PUBLIC_URL"] = "https://shop.example";
    server_ = std::make_unique<ServerProcess>(ServerOptions{.env = env_});
    ASSERT_NE(server_->port(), 0);
    admin_ = create_user_cli(*server_, "admin@example.com", "ADMIN", env_);
    sign_in(*server_, admin_);
    user_ = create_user_cli(*server_, "buyer@example.com", "USER", env_);
    sign_in(*server_, user_);
    if (GetParam() == Backend::kSqlite) {
      auto opened = storage::Database::open(
          {.url = "sqlite://" + server_->data_dir() + "/hqadz.db", .pool_size = 1});
      ASSERT_TRUE(opened.ok());
      sqlite_ = std::move(opened).value();
    }
  }
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "server stderr:\n" << server_->logs();
    }
  }
  storage::Database& db() { return sqlite_ ? *sqlite_ : test_db_->db(); }
  HttpClient as(const TestUser& u) { return client_for(*server_, u); }
  int64_t count(const std::string& sql) { return storage::testing::scalar(db(), sql); }
  void add_stock(int n) {
    for (int i = 0; i < n; ++i) {
      const std::string key = "it-key-" + std::to_string(next_key_++);
      ASSERT_TRUE(storage::testing::exec(
                      db(),
                      "INSERT INTO tg_sessions (phone_number, api_id, api_hash_enc, dc_id, "
                      "server_address, port, auth_key_enc, auth_key_id, created_at, updated_at) "
                      "VALUES ('+1', 1, 'x', 2, '127.0.0.1', 443, 'x', '" +
                          key + "', 0, 0)")
                      .ok());
    }
  }
  int64_t make_product() {
    auto r = as(admin_).request(
        "POST", "/api/admin/products",
        R"({"name":"Gold","tier":"STARTER","sessions_count":1,"posting_interval_seconds":1200,"price":80,"currency":"USD"})",
        {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }
  nlohmann::json buy(int64_t product) {
    auto r =
        as(user_).post("/api/payment/create", {{"product_id", product}, {"pay_currency", "btc"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  /// The IPN NOWPayments would send for `created` (pay_amount 0.00123, as the fake asked).
  static std::string ipn(const nlohmann::json& created, const std::string& status,
                         const std::string& paid) {
    return "{\"actually_paid\":" + paid + ",\"order_id\":\"" +
           std::to_string(created["order"]["id"].get<int64_t>()) +
           "\",\"pay_amount\":0.00123,\"pay_currency\":\"btc\",\"payment_id\":" +
           created["payment"]["provider_payment_id"].get<std::string>() + ",\"payment_status\":\"" +
           status + "\",\"price_amount\":80,\"price_currency\":\"usd\"}";
  }
  HttpResult post_ipn(const std::string& body, const std::string& sig,
                      const std::string& from = "127.0.0.1") {
    HttpClient c = server_->client();
    c.source_address = from;
    return c.request("POST", "/api/payment/webhook", body,
                     {{"Content-Type", "application/json"}, {"x-nowpayments-sig", sig}});
  }

  FakeNowPayments np_;
  std::unique_ptr<storage::testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> sqlite_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ServerProcess> server_;
  TestUser admin_;
  TestUser user_;
  int next_key_ = 0;
};

// Fix 1 (review 4.16): refused IPNs are digests, at most 60 per address per minute; beyond,
// only a metric; a correctly signed IPN is never refused for volume.
TEST_P(SecurityIpnIT, RefusedIpnsAreBoundedDigestsAndSignedOnesStillPass) {
  add_stock(1);
  const auto order = buy(make_product());
  const std::string forged = R"({"payment_id":"1","payment_status":"finished","pad":")" +
                             std::string(60 * 1024, 'A') + "\"}";
  for (int i = 0; i < 65; ++i) {
    auto r = post_ipn(forged, "00", "127.0.0.31");
    ASSERT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(r.error_code(), "invalid_signature");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE verified = 0"), 60);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE body_sha256 IS NOT NULL"), 60);
  EXPECT_LE(count("SELECT MAX(LENGTH(body)) FROM payment_events"), 256);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE client_address = '127.0.0.31'"), 60);
  auto metrics = server_->client().get("/metrics");
  EXPECT_NE(metrics.body.find("hqadz_ipn_refused_unrecorded_total 5"), std::string::npos)
      << metrics.body.substr(metrics.body.find("hqadz_ipn"), 200);

  // Another address is recorded; the flooding address's signed IPN is applied.
  EXPECT_EQ(post_ipn(forged, "00", "127.0.0.32").status, 401);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE verified = 0"), 61);
  const std::string real = ipn(order, "finished", "0.00123");
  auto ok = post_ipn(real, payments::sign_ipn_body(real, kSecret), "127.0.0.31");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["outcome"], "provisioned");
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE verified = 1"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE verified = 1 AND "
                  "LENGTH(body) = " +
                  std::to_string(real.size())),
            1);  // a verified event keeps its whole body
}

// Fix 9 (review 4.11): "finished" with actually_paid below pay_amount × 0.995 is flagged.
TEST_P(SecurityIpnIT, AnUnderpaidFinishedIsFlaggedNotProvisioned) {
  add_stock(2);
  const int64_t product = make_product();
  const auto dust = buy(product);
  const std::string body = ipn(dust, "finished", "1e-8");
  auto r = post_ipn(body, payments::sign_ipn_body(body, kSecret));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["outcome"], "flagged");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
  auto flagged = as(admin_).get("/api/admin/payments?flagged=true").json()["payments"];
  ASSERT_EQ(flagged.size(), 1u);
  EXPECT_NE(flagged[0]["flag_reason"].get<std::string>().find("below 99.5%"), std::string::npos)
      << flagged[0];

  // Exactly 99.5% (0.00123 × 0.995 = 0.00122385) is paid.
  const auto enough = buy(product);
  const std::string edge = ipn(enough, "finished", "0.00122385");
  auto e = post_ipn(edge, payments::sign_ipn_body(edge, kSecret));
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.json()["outcome"], "provisioned");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(SecurityIpnIT);

}  // namespace
}  // namespace hqadz::testing
