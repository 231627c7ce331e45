// Issue 5 acceptance over real HTTP: hqadz serve against a fake NOWPayments API and an SMTP
// sink, both on loopback. The main flow runs on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "auth_helpers.hpp"
#include "core/clock.hpp"
#include "crypto/encoding.hpp"
#include "fake_nowpayments.hpp"
#include "payments/ipn_signature.hpp"
#include "server_fixture.hpp"
#include "smtp_sink.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {
namespace {

using storage::Backend;
constexpr const char* kSecret = "it-ipn-secret";

class CommerceIT : public ::testing::TestWithParam<Backend> {
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
    env_["HQADZ_NOWPAYMENTS_TIMEOUT_MS"] = "1500";
    env_["HQADZ_PUBLIC_URL"] = "https://shop.example";
    env_["HQADZ_SMTP_URL"] = smtp_.url();
    env_["HQADZ_SMTP_FROM"] = "hqadz <shop@example.com>";
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

  void add_stock(int n) {
    ASSERT_TRUE(db().write([&](storage::Tx& tx) -> core::Result<int> {
      for (int i = 0; i < n; ++i) {
        const std::string key = "it-key-" + std::to_string(next_key_++);
        tx.sql() << "INSERT INTO tg_sessions (phone_number, api_id, api_hash_enc, dc_id, "
                    "server_address, port, auth_key_enc, auth_key_id, created_at, updated_at) "
                    "VALUES ('+1', 1, 'x', 2, '127.0.0.1', 443, 'x', :k, 0, 0)",
            soci::use(key);
      }
      return 0;
    }).ok());
  }
  int64_t count(const std::string& sql) {
    return *db().read([&](storage::Tx& tx) -> core::Result<int64_t> {
      long long n = 0;
      tx.sql() << sql, soci::into(n);
      return static_cast<int64_t>(n);
    });
  }
  int64_t make_product(int sessions = 2, const std::string& price = "80") {
    const std::string body = R"({"name":"Gold","tier":"STARTER","sessions_count":)" +
                             std::to_string(sessions) +
                             R"(,"posting_interval_seconds":1200,"price":)" + price +
                             R"(,"currency":"USD"})";
    auto r = as(admin_).request("POST", "/api/admin/products", body,
                                {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }
  HttpResult buy(int64_t product, const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json body = {{"product_id", product}, {"pay_currency", "btc"}};
    body.update(extra);
    return as(user_).post("/api/payment/create", body);
  }
  /// The IPN NOWPayments would send (keys sorted, JS number forms).
  static std::string ipn(const nlohmann::json& created, const std::string& status,
                         const std::string& price = "80", const std::string& paid = "0.00123") {
    const auto& o = created["order"];
    const auto& p = created["payment"];
    return "{\"actually_paid\":" + paid + ",\"fee\":{\"currency\":\"btc\",\"depositFee\":1e-7},"
           "\"order_id\":\"" + std::to_string(o["id"].get<int64_t>()) +
           "\",\"pay_amount\":0.00123,\"pay_currency\":\"btc\",\"payment_id\":" +
           p["provider_payment_id"].get<std::string>() + ",\"payment_status\":\"" + status +
           "\",\"price_amount\":" + price + ",\"price_currency\":\"usd\"}";
  }
  HttpResult post_ipn(const std::string& body, const std::optional<std::string>& sig) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"}};
    if (sig) {
      headers.emplace_back("x-nowpayments-sig", *sig);
    }
    return server_->client().request("POST", "/api/payment/webhook", body, headers);
  }
  HttpResult send_ipn(const std::string& body) {
    return post_ipn(body, payments::sign_ipn_body(body, kSecret));
  }
  nlohmann::json order_status(int64_t order_id) {
    auto r = as(user_).get("/api/payment/status?order_id=" + std::to_string(order_id));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  FakeNowPayments np_;
  SmtpSink smtp_;
  std::unique_ptr<storage::testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> sqlite_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ServerProcess> server_;
  TestUser admin_;
  TestUser user_;
  int next_key_ = 0;
};

class CommerceSqliteIT : public CommerceIT {};

// Acceptance 2: buy → signed finished IPN → PAID, adbot, sessions, email.
TEST_P(CommerceIT, BuyPayAndGetAnAdbot) {
  const int64_t product = make_product(2, "80");
  auto list = as(user_).get("/api/products");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json()["products"].size(), 1u);
  EXPECT_EQ(list.json()["products"][0]["price"], 80);
  EXPECT_EQ(list.json()["products"][0]["currency"], "USD");
  add_stock(3);

  auto created = buy(product);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto c = created.json();
  EXPECT_EQ(c["order"]["status"], "PENDING");
  EXPECT_EQ(c["order"]["amount"], 80);
  EXPECT_EQ(c["payment"]["status"], "WAITING");
  EXPECT_EQ(c["payment"]["pay_amount"], 0.00123);
  EXPECT_EQ(c["payment"]["pay_currency"], "btc");
  EXPECT_TRUE(c["payment"]["pay_address"].get<std::string>().rfind("bc1qfake", 0) == 0);
  EXPECT_TRUE(c["payment"].contains("payin_extra_id"));
  EXPECT_FALSE(c["payment"]["valid_until"].is_null());
  // What the provider saw: our key, our order, the callback.
  auto seen = np_.requests();
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.back().api_key, "test-key");
  auto sent = nlohmann::json::parse(seen.back().body);
  EXPECT_EQ(sent["order_id"], std::to_string(c["order"]["id"].get<int64_t>()));
  EXPECT_EQ(sent["ipn_callback_url"], "https://shop.example/api/payment/webhook");
  EXPECT_EQ(sent["price_amount"], 80);

  auto hook = send_ipn(ipn(c, "finished"));
  ASSERT_EQ(hook.status, 200) << hook.body;
  EXPECT_EQ(hook.json()["outcome"], "provisioned");

  const int64_t order_id = c["order"]["id"];
  auto st = order_status(order_id);
  EXPECT_EQ(st["order"]["status"], "PAID");
  EXPECT_EQ(st["payment"]["status"], "FINISHED");
  auto adbots = as(user_).get("/api/user/adbots").json()["adbots"];
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(adbots[0]["status"], "STOPPED");
  EXPECT_EQ(adbots[0]["posting_interval_seconds"], 1200);
  EXPECT_EQ(adbots[0]["sessions_assigned"], 2);
  auto start = core::parse_iso8601(adbots[0]["validity_start"].get<std::string>());
  auto end = core::parse_iso8601(adbots[0]["validity_end"].get<std::string>());
  ASSERT_TRUE(start && end);
  EXPECT_EQ(*end - *start, std::chrono::hours(24 * 30));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tg_sessions WHERE status = 'ASSIGNED' AND "
                  "assigned_to_user_id = " + std::to_string(user_.id)),
            2);

  auto orders = as(user_).get("/api/user/orders").json();
  ASSERT_EQ(orders["orders"].size(), 1u);
  EXPECT_EQ(orders["orders"][0]["status"], "PAID");
  auto notes = as(user_).get("/api/user/notifications").json();
  std::set<std::string> kinds;
  for (const auto& n : notes["notifications"]) kinds.insert(n["kind"].get<std::string>());
  EXPECT_TRUE(kinds.count("payment_received"));
  EXPECT_TRUE(kinds.count("adbot_ready"));
  EXPECT_EQ(as(user_).request("POST", "/api/user/notifications/read-all").status, 200);
  EXPECT_EQ(as(user_).get("/api/user/notifications").json()["unread"], 0);

  auto confirmation = smtp_.wait_for("Order #" + std::to_string(order_id) + " confirmation");
  ASSERT_TRUE(confirmation) << "no order confirmation mail";
  EXPECT_EQ(confirmation->to.at(0), "<buyer@example.com>");
  ASSERT_TRUE(smtp_.wait_for("Payment received for order #" + std::to_string(order_id)))
      << "no payment mail";
  ASSERT_TRUE(smtp_.wait_for("is ready")) << "no adbot-ready mail";
}

// Acceptance 3, over HTTP: the same IPN fifty times at once.
TEST_P(CommerceIT, FiftyIdenticalIpnsAtOnceMakeOneAdbot) {
  const int64_t product = make_product(1);
  add_stock(1);
  auto c = buy(product).json();
  const std::string body = ipn(c, "finished");
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      if (send_ipn(body).status == 200) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 50);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tg_sessions WHERE status = 'ASSIGNED'"), 1);
}

// Acceptance 1, over HTTP: refused notifications change nothing.
TEST_P(CommerceSqliteIT, ForgedIpnsAreRefusedAndChangeNothing) {
  const int64_t product = make_product(1);
  add_stock(1);
  auto c = buy(product).json();
  const std::string body = ipn(c, "finished");
  const std::string sig = payments::sign_ipn_body(body, kSecret);
  std::string tampered = body;
  tampered.replace(tampered.find("\"price_amount\":80"), 17, "\"price_amount\":1");
  // A JSON library's parse-and-dump rewrites 1e-7 as 1e-07.
  const std::string redumped = nlohmann::json::parse(body).dump();
  ASSERT_NE(redumped, body);
  for (auto [b, s] : {std::pair<std::string, std::optional<std::string>>{tampered, sig},
                      {body, payments::sign_ipn_body(body, "wrong-secret")},
                      {body, std::nullopt},
                      {redumped, sig},
                      {"not json", payments::sign_ipn_body("not json", "wrong")}}) {
    auto r = post_ipn(b, s);
    EXPECT_EQ(r.status, 401) << b;
    EXPECT_EQ(r.error_code(), "invalid_signature");
  }
  auto st = order_status(c["order"]["id"]);
  EXPECT_EQ(st["order"]["status"], "PENDING");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
  // The forged ones blocked nothing: the genuine one still provisions.
  EXPECT_EQ(send_ipn(body).json()["outcome"], "provisioned");
}

// Acceptance 4, over HTTP.
TEST_P(CommerceSqliteIT, OutOfOrderAndPartialPayments) {
  const int64_t product = make_product(1);
  add_stock(2);
  auto c = buy(product).json();
  EXPECT_EQ(send_ipn(ipn(c, "finished")).status, 200);
  EXPECT_EQ(send_ipn(ipn(c, "confirming")).json()["outcome"], "stale_status");
  EXPECT_EQ(order_status(c["order"]["id"])["order"]["status"], "PAID");
  EXPECT_EQ(order_status(c["order"]["id"])["payment"]["status"], "FINISHED");

  auto p = buy(product).json();
  EXPECT_EQ(send_ipn(ipn(p, "partially_paid", "80", "0.0004")).json()["outcome"], "partially_paid");
  EXPECT_EQ(order_status(p["order"]["id"])["order"]["status"], "PENDING");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
  auto flagged = as(admin_).get("/api/admin/payments?flagged=true").json()["payments"];
  ASSERT_EQ(flagged.size(), 1u);
  EXPECT_EQ(flagged[0]["order_id"], p["order"]["id"]);
  EXPECT_EQ(flagged[0]["flag_reason"], "partially_paid");
  EXPECT_EQ(as(user_).get("/api/admin/payments").status, 403);
  auto notes = as(user_).get("/api/user/notifications").json()["notifications"];
  bool told = false;
  for (const auto& n : notes) told = told || n["kind"] == "payment_partial";
  EXPECT_TRUE(told);

  // A mismatched amount is flagged, not provisioned.
  auto m = buy(product).json();
  EXPECT_EQ(send_ipn(ipn(m, "finished", "8")).json()["outcome"], "flagged");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
}

// Acceptance 5: provider errors are clear and leave no half-made order.
TEST_P(CommerceSqliteIT, ProviderErrorsAreClearAndLeaveNoPendingOrder) {
  const int64_t product = make_product(1, "30");
  struct Case {
    FakeNowPayments::Mode mode;
    int status;
    const char* code;
  };
  for (const Case& k : {Case{FakeNowPayments::Mode::kServerError, 502, "provider_error"},
                        Case{FakeNowPayments::Mode::kBadRequest, 502, "provider_rejected"},
                        Case{FakeNowPayments::Mode::kHang, 502, "provider_timeout"},
                        Case{FakeNowPayments::Mode::kGarbage, 502, "provider_bad_response"},
                        Case{FakeNowPayments::Mode::kClose, 502, "provider_unreachable"},
                        Case{FakeNowPayments::Mode::kMinimalAmount, 422, "amount_below_minimum"}}) {
    np_.set_mode(k.mode);
    auto r = buy(product);
    EXPECT_EQ(r.status, k.status) << r.body;
    EXPECT_EQ(r.error_code(), k.code) << r.body;
    EXPECT_FALSE(r.json()["error"]["message"].get<std::string>().empty());
  }
  np_.set_mode(FakeNowPayments::Mode::kOk);
  np_.set_min_fiat("45.5");
  auto low = buy(product);
  EXPECT_EQ(low.status, 422);
  EXPECT_EQ(low.error_code(), "amount_below_minimum");
  EXPECT_NE(low.body.find("45.5"), std::string::npos) << low.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE status = 'PENDING'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE status <> 'FAILED'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
  // Bad input is a precise 400.
  EXPECT_EQ(buy(product, {{"pay_currency", "b t c"}}).error_code(), "invalid_pay_currency");
  EXPECT_EQ(as(user_).post("/api/payment/create", {{"pay_currency", "btc"}}).error_code(),
            "missing_product_id");
  EXPECT_EQ(buy(999999).status, 404);
}

TEST_P(CommerceSqliteIT, CatalogueEditsDoNotChangeExistingOrders) {
  const int64_t product = make_product(1, "54.99");
  auto c = buy(product).json();
  EXPECT_EQ(c["order"]["amount"], 54.99);
  auto patched = as(admin_).request("PATCH", "/api/admin/products/" + std::to_string(product),
                                    R"({"price":99.5,"active":false})",
                                    {{"Content-Type", "application/json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["price"], 99.5);
  EXPECT_EQ(as(user_).get("/api/products").json()["products"].size(), 0u);
  EXPECT_EQ(as(admin_).get("/api/admin/products").json()["products"].size(), 1u);
  auto orders = as(user_).get("/api/user/orders").json()["orders"];
  EXPECT_EQ(orders[0]["amount"], 54.99);
  EXPECT_EQ(orders[0]["product"]["price"], 54.99);
  EXPECT_EQ(buy(product).error_code(), "product_inactive");
  // The old order is still paid at its own price.
  add_stock(1);
  EXPECT_EQ(send_ipn(ipn(c, "finished", "54.99")).json()["outcome"], "provisioned");
  for (const char* bad : {R"({"price":"abc"})", R"({"price":-5})", R"({"tier":"GOLD"})",
                          R"({"sessions_count":0})", R"({"price":0})"}) {
    auto r = as(admin_).request("PATCH", "/api/admin/products/" + std::to_string(product), bad,
                                {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'product.%'"), 2);
}

// Issue 16: the pay panel names the coin and its network, puts the price beside the coin
// amount, and once paid the status names the adbot (QUEUED ones too) and gives a receipt.
TEST_P(CommerceIT, ThePayPanelNamesTheCoinAndThePaidOrderItsAdbot) {
  const int64_t product = make_product(2, "80");  // no stock: the adbot will be QUEUED
  auto created = buy(product);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto c = created.json();
  const auto& p = c["payment"];
  EXPECT_EQ(p["coin"],
            (nlohmann::json{{"ticker", "BTC"}, {"name", "Bitcoin"}, {"network", "Bitcoin"}}));
  EXPECT_EQ(p["pay_amount"], 0.00123);
  EXPECT_EQ(p["fiat_amount"], 80);
  EXPECT_EQ(p["fiat_currency"], "USD");
  EXPECT_EQ(p["confirmation"], "provider");
  EXPECT_EQ(p["payment_uri"], "bitcoin:" + p["pay_address"].get<std::string>() + "?amount=0.00123");
  // NOWPayments' expiration_estimate_date is the order's deadline and the payment's.
  EXPECT_EQ(p["expires_at"], "2030-01-08T00:00:00.000Z");
  EXPECT_EQ(c["order"]["expires_at"], "2030-01-08T00:00:00.000Z");
  const int64_t order_id = c["order"]["id"];
  auto before = order_status(order_id);
  EXPECT_TRUE(before["order"]["adbot_id"].is_null()) << before.dump();
  EXPECT_TRUE(before["adbot_id"].is_null());
  EXPECT_TRUE(before["receipt"].is_null());

  ASSERT_EQ(send_ipn(ipn(c, "finished", "80", "0.00125")).json()["outcome"], "queued");
  const auto adbots = as(user_).get("/api/user/adbots").json()["adbots"];
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(adbots[0]["status"], "QUEUED");
  auto after = order_status(order_id);
  EXPECT_EQ(after["order"]["adbot_id"], adbots[0]["id"]) << after.dump();
  EXPECT_EQ(after["adbot_id"], adbots[0]["id"]);
  EXPECT_EQ(after["order"]["kind"], "NEW");
  const auto& receipt = after["receipt"];
  EXPECT_EQ(receipt["amount"], 0.00125);
  EXPECT_EQ(receipt["currency"], "btc");
  EXPECT_EQ(receipt["coin"]["name"], "Bitcoin");
  EXPECT_EQ(receipt["order_id"], order_id);
  EXPECT_EQ(receipt["provider_payment_id"], p["provider_payment_id"]);
  EXPECT_EQ(receipt["fiat_amount"], 80);
  EXPECT_EQ(receipt["paid_at"], after["order"]["paid_at"]);
  EXPECT_NE(receipt["reference"].get<std::string>().find(std::to_string(order_id)),
            std::string::npos);
  const auto orders = as(user_).get("/api/user/orders").json()["orders"];
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0]["adbot_id"], adbots[0]["id"]);
  EXPECT_EQ(orders[0]["payment"]["coin"]["ticker"], "BTC");
  const auto all = as(admin_).get("/api/admin/payments").json()["payments"];
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["fiat_amount"], 80);
}

// Every coin the checkout offers is named with its network; the QR code gets a payment URI
// with the amount where the coin has a standard one, and none where it would mislead.
TEST_P(CommerceSqliteIT, EveryOfferedCoinIsNamedAndGetsAUriWhereOneExists) {
  const int64_t product = make_product(1, "80");
  struct Case {
    const char* code;
    const char* ticker;
    const char* network;
    const char* uri_prefix;  // nullptr: no URI
    const char* uri_amount;
  };
  for (const Case& k : {Case{"usdttrc20", "USDT", "TRON (TRC-20)", nullptr, nullptr},
                        Case{"usdterc20", "USDT", "Ethereum (ERC-20)", nullptr, nullptr},
                        Case{"btc", "BTC", "Bitcoin", "bitcoin:", "?amount=0.00123"},
                        Case{"eth", "ETH", "Ethereum", "ethereum:", "?value=1230000000000000"},
                        Case{"ltc", "LTC", "Litecoin", "litecoin:", "?amount=0.00123"},
                        Case{"trx", "TRX", "TRON", nullptr, nullptr},
                        Case{"ton", "TON", "TON", "ton://transfer/", "?amount=1230000"}}) {
    auto r = buy(product, {{"pay_currency", k.code}});
    ASSERT_EQ(r.status, 201) << r.body;
    const auto p = r.json()["payment"];
    EXPECT_EQ(p["coin"]["ticker"], k.ticker) << k.code;
    EXPECT_EQ(p["coin"]["network"], k.network) << k.code;
    if (k.uri_prefix == nullptr) {
      EXPECT_TRUE(p["payment_uri"].is_null()) << k.code << " " << p.dump();
    } else {
      EXPECT_EQ(p["payment_uri"],
                std::string(k.uri_prefix) + p["pay_address"].get<std::string>() + k.uri_amount)
          << k.code;
    }
  }
}

// The adbot card and detail show what the database holds: counters, configured groups,
// assigned accounts, the plan's name; the admin's list is the same mapper.
TEST_P(CommerceIT, TheAdbotListShowsItsStatsGroupsAndPlan) {
  const int64_t product = make_product(2, "80");
  add_stock(2);
  auto c = buy(product).json();
  ASSERT_EQ(send_ipn(ipn(c, "finished")).json()["outcome"], "provisioned");
  auto adbots = as(user_).get("/api/user/adbots").json()["adbots"];
  ASSERT_EQ(adbots.size(), 1u);
  const int64_t id = adbots[0]["id"];
  EXPECT_EQ(adbots[0]["stats"]["posts"], 0);
  EXPECT_TRUE(adbots[0]["stats"]["last_activity"].is_null());
  EXPECT_EQ(adbots[0]["groups_count"], 0);
  auto configured = as(user_).post("/api/user/advertisement?adbot_id=" + std::to_string(id),
                                   {{"groups", {"@group_one", "@group_two", "@group_three"}}});
  ASSERT_EQ(configured.status, 200) << configured.body;
  ASSERT_TRUE(db().write([&](storage::Tx& tx) -> core::Result<int> {
    const long long aid = id;
    tx.sql() << "INSERT INTO adbot_stats (adbot_id, posts, success, failures, flood_waits, "
                "last_activity) VALUES (:a, 9, 7, 2, 3, 1764246906123)",
        soci::use(aid);
    return 0;
  }).ok());
  adbots = as(user_).get("/api/user/adbots").json()["adbots"];
  const nlohmann::json stats = {{"posts", 9}, {"success", 7}, {"failures", 2}, {"flood_waits", 3},
                                {"last_activity", "2025-11-27T12:35:06.123Z"}};
  EXPECT_EQ(adbots[0]["stats"], stats);
  EXPECT_EQ(adbots[0]["groups_count"], 3);
  EXPECT_EQ(adbots[0]["sessions_assigned"], 2);
  EXPECT_EQ(adbots[0]["sessions_needed"], 0);
  EXPECT_EQ(adbots[0]["product"], (nlohmann::json{{"id", product}, {"name", "Gold"}}));
  auto detail = as(user_).get("/api/adbots/" + std::to_string(id));
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_EQ(detail.json()["adbot"]["product"], (nlohmann::json{{"id", product}, {"name", "Gold"}}));
  EXPECT_EQ(detail.json()["adbot"]["product_id"], product);
  EXPECT_EQ(detail.json()["stats"], stats);
  auto fleet = as(admin_).get("/api/admin/adbots").json()["adbots"];
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet[0]["stats"], stats);
  EXPECT_EQ(fleet[0]["groups_count"], 3);
  EXPECT_EQ(fleet[0]["user_email"], "buyer@example.com");
}

/// A Telethon StringSession: '1' + urlsafe base64 of dc (1 byte), IPv4 (4), port (2), key (256).
std::string string_session(int seed) {
  std::string raw;
  raw += static_cast<char>(2);
  raw += std::string("\x95\x9a\xa7\x33", 4);
  raw += static_cast<char>(443 >> 8);
  raw += static_cast<char>(443 & 0xff);
  for (int i = 0; i < 256; ++i) {
    raw += static_cast<char>((i * 7 + seed * 13 + 1) & 0xff);
  }
  return "1" + crypto::to_base64url(raw, true);
}

// Acceptance 3, the last step over HTTP: an adbot QUEUED for stock gets it when the admin
// uploads accounts (StockService's on_stock_added hook).
TEST_P(CommerceSqliteIT, UploadingStockFulfilsQueuedAdbots) {
  const int64_t product = make_product(2);
  auto c = buy(product).json();
  EXPECT_EQ(send_ipn(ipn(c, "finished")).json()["outcome"], "queued");
  auto adbots = as(user_).get("/api/user/adbots").json()["adbots"];
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(adbots[0]["status"], "QUEUED");
  EXPECT_EQ(adbots[0]["sessions_needed"], 2);
  EXPECT_TRUE(adbots[0]["validity_end"].is_null());
  bool admin_told = false;
  const auto admin_notes = as(admin_).get("/api/user/notifications").json()["notifications"];
  for (const auto& n : admin_notes) {
    admin_told = admin_told || n["kind"] == "stock_short";
  }
  EXPECT_TRUE(admin_told);
  for (int i = 0; i < 2; ++i) {
    auto up = as(admin_).post("/api/admin/stock/upload",
                              {{"string_session", string_session(i)},
                               {"phone_number", "+4477009001" + std::to_string(10 + i)},
                               {"api_id", 12345},
                               {"api_hash", "0123456789abcdef0123456789abcdef"}});
    ASSERT_EQ(up.status, 201) << up.body;
    adbots = as(user_).get("/api/user/adbots").json()["adbots"];
    EXPECT_EQ(adbots[0]["status"], i == 0 ? "QUEUED" : "STOPPED");
  }
  EXPECT_EQ(adbots[0]["sessions_assigned"], 2);
  EXPECT_EQ(adbots[0]["sessions_needed"], 0);
  EXPECT_FALSE(adbots[0]["validity_end"].is_null());
}

TEST_P(CommerceSqliteIT, SignUpCodeArrivesByEmail) {
  auto r = server_->client().post("/api/auth/signup", {{"email", "new@example.com"}});
  ASSERT_LT(r.status, 300) << r.body;
  auto mail = smtp_.wait_for("new@example.com");
  ASSERT_TRUE(mail) << "no sign-up mail";
  EXPECT_NE(mail->data.find("access code"), std::string::npos) << mail->data;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CommerceIT, ::testing::Values(Backend::kSqlite),
                         storage::testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, CommerceIT, ::testing::Values(Backend::kPostgres),
                         storage::testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, CommerceSqliteIT, ::testing::Values(Backend::kSqlite),
                         storage::testing::backend_name);

// The embedded default: no provider, an admin marks the order paid.
TEST(ManualPaymentsIT, AdminMarksPaidOnceAndItIsAudited) {
  ServerProcess server;
  ASSERT_NE(server.port(), 0);
  TestUser admin = create_user_cli(server, "admin@example.com", "ADMIN");
  sign_in(server, admin);
  TestUser user = create_user_cli(server, "buyer@example.com", "USER");
  sign_in(server, user);
  auto product = client_for(server, admin)
                     .request("POST", "/api/admin/products",
                              R"({"name":"Bronze","sessions_count":1,"posting_interval_seconds":3600,"price":30})",
                              {{"Content-Type", "application/json"}});
  ASSERT_EQ(product.status, 201) << product.body;
  // The review's case: a $30 plan "in BTC" asked for 30 BTC.
  auto c = client_for(server, user).post(
      "/api/payment/create", {{"product_id", product.json()["id"]}, {"pay_currency", "btc"}});
  ASSERT_EQ(c.status, 201) << c.body;
  const auto pay = c.json()["payment"];
  EXPECT_EQ(pay["provider"], "manual");
  EXPECT_EQ(pay["confirmation"], "manual");
  EXPECT_EQ(pay["pay_amount"], 30);
  EXPECT_EQ(pay["pay_currency"], "usd");
  EXPECT_EQ(pay["coin"]["ticker"], "USD");
  EXPECT_TRUE(pay["coin"]["network"].is_null());
  EXPECT_TRUE(pay["pay_address"].is_null());
  EXPECT_TRUE(pay["payment_uri"].is_null());
  EXPECT_EQ(pay["fiat_amount"], 30);
  EXPECT_EQ(pay["expires_at"], c.json()["order"]["expires_at"]);
  const std::string path =
      "/api/admin/orders/" + std::to_string(c.json()["order"]["id"].get<int64_t>()) + "/mark-paid";
  EXPECT_EQ(client_for(server, user).request("POST", path).status, 403);
  auto paid = client_for(server, admin).request("POST", path);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json()["order"]["status"], "PAID");
  EXPECT_EQ(paid.json()["outcome"], "queued");  // no stock in this data dir
  EXPECT_EQ(client_for(server, admin).request("POST", path).error_code(), "order_not_pending");
  auto audit = client_for(server, admin).get("/api/admin/audit?action=order.mark_paid").json();
  EXPECT_EQ(audit["audit_log"].size(), 1u);
  auto adbots = client_for(server, user).get("/api/user/adbots").json()["adbots"];
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(adbots[0]["status"], "QUEUED");
  const auto st = client_for(server, user)
                      .get("/api/payment/status?order_id=" +
                           std::to_string(c.json()["order"]["id"].get<int64_t>()))
                      .json();
  EXPECT_EQ(st["order"]["adbot_id"], adbots[0]["id"]) << st.dump();
  EXPECT_EQ(st["receipt"]["amount"], 30);
  EXPECT_EQ(st["receipt"]["currency"], "usd");
  EXPECT_FALSE(st["receipt"]["paid_at"].is_null());
  // The webhook is closed without an IPN secret.
  EXPECT_EQ(server.client().post("/api/payment/webhook", {{"payment_id", 1}}).status, 401);
}

}  // namespace
}  // namespace hqadz::testing
