// Commerce end to end below HTTP, on SQLite and PostgreSQL: IPN → fulfilment exactly once,
// races for stock, forward-only statuses, partial payments, renewals, the poller, provider
// errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "domain/adbots.hpp"
#include "domain/commerce.hpp"
#include "payments/ipn_signature.hpp"
#include "payments/payment_poller.hpp"
#include "payments/payment_service.hpp"
#include "storage/row.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::payments {
namespace {

using storage::testing::DatabaseTest;
constexpr const char* kSecret = "ipn-secret";
constexpr int64_t kDayMs = 86'400'000;

/// A provider that answers from memory.
class FakeProvider final : public PaymentProvider {
 public:
  std::string name() const override { return "nowpayments"; }
  bool automatic() const override { return true; }
  core::Result<std::optional<core::Decimal>> minimum_price(const std::string&,
                                                           const std::string&) override {
    if (fail_with) return *fail_with;
    return minimum;
  }
  core::Result<ProviderPayment> create_payment(const CreatePayment& r) override {
    if (fail_with) return *fail_with;
    std::lock_guard lock(mutex);
    ProviderPayment p;
    p.payment_id = std::to_string(5'000'000'000 + r.order_id);
    p.status = "waiting";
    p.pay_address = "addr-" + std::to_string(r.order_id);
    p.pay_amount = *core::Decimal::parse("0.00123");
    p.pay_currency = r.pay_currency;
    p.price_amount = r.price_amount;
    p.price_currency = r.price_currency;
    p.order_id = std::to_string(r.order_id);
    created[p.payment_id] = p;
    return p;
  }
  core::Result<ProviderPayment> get_payment(const std::string& id) override {
    std::lock_guard lock(mutex);
    auto it = created.find(id);
    if (it == created.end()) return core::Error::not_found();
    return it->second;
  }
  std::mutex mutex;
  std::map<std::string, ProviderPayment> created;
  std::optional<core::Decimal> minimum;
  std::optional<core::Error> fail_with;
};

class FulfilmentTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    commerce_ = std::make_unique<domain::CommerceService>(db(), clock_, nullptr,
                                                         domain::CommerceSettings{});
    payments_ = std::make_unique<PaymentService>(*commerce_, provider_, clock_,
                                                 PaymentSettings{.ipn_secret = kSecret});
    admin_ = add_user("admin@x.io", "ADMIN");
  }

  int64_t add_user(const std::string& email, const std::string& role = "USER") {
    return *db().write([&](storage::Tx& tx) -> core::Result<int64_t> {
      long long id = 0;
      const std::string license = "lic-" + email;
      tx.sql() << "INSERT INTO users (email, role, access_code_hash, license_key, created_at) "
                  "VALUES (:e, :r, 'x', :l, 0) RETURNING id",
          soci::use(email), soci::use(role), soci::use(license), soci::into(id);
      return static_cast<int64_t>(id);
    });
  }
  int64_t add_product(int sessions, int interval_s = 1200, const char* price = "80") {
    domain::CatalogService catalog(db(), clock_);
    domain::ProductFields f;
    f.name = "Plan " + std::to_string(sessions);
    f.sessions_count = sessions;
    f.posting_interval_seconds = interval_s;
    f.price = *core::Decimal::parse(price);
    return catalog.create(f, {}).value().id;
  }
  void add_stock(int n) {
    ASSERT_TRUE(db().write([&](storage::Tx& tx) -> core::Result<int> {
      for (int i = 0; i < n; ++i) {
        const std::string key = "key-" + std::to_string(next_key_++);
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
  domain::OrderWithPayment buy(int64_t user, int64_t product,
                               std::optional<int64_t> renew = std::nullopt) {
    domain::NewOrder o{user, product, renew, "", "btc"};
    auto r = payments_->create(o);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return *r;
  }
  /// A signed IPN body for the order as the provider would send it.
  std::string ipn(const domain::OrderWithPayment& op, const std::string& status,
                  const std::string& amount = "", const std::string& paid = "0.00123") {
    return "{\"actually_paid\":" + paid + ",\"order_id\":\"" + std::to_string(op.order.id) +
           "\",\"pay_amount\":0.00123,\"pay_currency\":\"btc\",\"payment_id\":" +
           *op.payment->provider_payment_id + ",\"payment_status\":\"" + status +
           "\",\"price_amount\":" + (amount.empty() ? op.order.amount.to_string() : amount) +
           ",\"price_currency\":\"usd\"}";
  }
  core::Result<IpnOutcome> send(const std::string& body) {
    return payments_->handle_ipn(body, sign_ipn_body(body, kSecret));
  }
  domain::OrderWithPayment order(int64_t id) { return *commerce_->get_order(id, std::nullopt); }

  core::ManualClock clock_;
  FakeProvider provider_;
  std::unique_ptr<domain::CommerceService> commerce_;
  std::unique_ptr<PaymentService> payments_;
  int64_t admin_ = 0;
  int next_key_ = 0;
};

TEST_P(FulfilmentTest, FinishedIpnProvisionsTheAdbotWithItsSessions) {
  const int64_t user = add_user("u@x.io");
  const int64_t product = add_product(3, 1200);
  add_stock(5);
  auto op = buy(user, product);
  EXPECT_EQ(op.order.status, "PENDING");
  EXPECT_EQ(op.payment->status, "waiting");
  EXPECT_EQ(*op.payment->pay_address, "addr-" + std::to_string(op.order.id));

  auto r = send(ipn(op, "finished"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->result.outcome, "provisioned");
  EXPECT_EQ(order(op.order.id).order.status, "PAID");
  const int64_t now = core::to_unix_ms(clock_.now());
  auto adbots = *commerce_->list_adbots(user);
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(adbots[0]["status"], "STOPPED");
  EXPECT_EQ(adbots[0]["posting_interval_seconds"], 1200);
  EXPECT_EQ(adbots[0]["sessions_assigned"], 3);
  EXPECT_EQ(adbots[0]["validity_end"],
            core::format_iso8601(core::from_unix_ms(now + 30 * kDayMs)));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tg_sessions WHERE status = 'ASSIGNED'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'adbot_ready'"), 1);

  // The same IPN again: stored, nothing else.
  auto again = send(ipn(op, "finished"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->result.outcome, "duplicate");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events"), 2);
}

TEST_P(FulfilmentTest, RefusedSignaturesChangeNothing) {
  const int64_t user = add_user("u@x.io");
  add_stock(1);
  auto op = buy(user, add_product(1));
  const std::string body = ipn(op, "finished");
  std::string tampered = body;
  tampered.replace(tampered.find("\"price_amount\":80"), 17, "\"price_amount\":8");
  for (auto [b, sig] : {std::pair{tampered, sign_ipn_body(body, kSecret)},
                        std::pair{body, sign_ipn_body(body, "wrong")},
                        std::pair{body, std::string()}}) {
    auto r = payments_->handle_ipn(b, sig);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().errc, core::Errc::kUnauthenticated);
  }
  EXPECT_EQ(order(op.order.id).order.status, "PENDING");
  EXPECT_EQ(order(op.order.id).payment->status, "waiting");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE verified = 0"), 3);
  // The forged copy blocked nothing: the real one still works.
  EXPECT_EQ(send(body)->result.outcome, "provisioned");
}

TEST_P(FulfilmentTest, FiftyIdenticalIpnsAtOnceMakeOneAdbot) {
  const int64_t user = add_user("u@x.io");
  add_stock(2);
  auto op = buy(user, add_product(2));
  const std::string body = ipn(op, "finished");
  std::atomic<int> provisioned{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      auto r = send(body);
      if (!r.ok()) {
        ++failed;
      } else if (r->result.outcome == "provisioned") {
        ++provisioned;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(provisioned.load(), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tg_sessions WHERE status = 'ASSIGNED'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_events WHERE verified = 1"), 1);
}

TEST_P(FulfilmentTest, HundredPaidOrdersRaceForThirtySessions) {
  const int64_t product = add_product(1);
  add_stock(30);
  std::vector<std::string> bodies;
  for (int i = 0; i < 100; ++i) {
    bodies.push_back(ipn(buy(add_user("u" + std::to_string(i) + "@x.io"), product), "finished"));
  }
  std::atomic<size_t> next{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < bodies.size(); i = next++) {
        auto r = send(bodies[i]);
        if (!r.ok() || (r->result.outcome != "provisioned" && r->result.outcome != "queued")) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots WHERE status = 'STOPPED'"), 30);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots WHERE status = 'QUEUED' AND sessions_needed = 1"), 70);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT assigned_to_adbot_id) FROM tg_sessions"), 30);
  EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT assigned_to_adbot_id FROM tg_sessions WHERE "
                  "assigned_to_adbot_id IS NOT NULL GROUP BY assigned_to_adbot_id HAVING "
                  "COUNT(*) > 1) x"),
            0);
  EXPECT_GE(count("SELECT COUNT(*) FROM notifications WHERE kind = 'stock_short'"), 70);

  // Stock arrives: the queue is served, oldest first.
  std::vector<int64_t> queued;
  for (int64_t id = 1; id <= 100 + 0; ++id) {
    if (count("SELECT COUNT(*) FROM adbots WHERE status = 'QUEUED' AND id = " + std::to_string(id)) > 0) {
      queued.push_back(id);
    }
  }
  ASSERT_EQ(queued.size(), 70u);
  add_stock(50);
  EXPECT_EQ(*commerce_->fulfil_queued(), 50);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots WHERE status = 'QUEUED'"), 20);
  // Oldest first: the 20 still waiting are the 20 newest of the 70 that were queued.
  std::sort(queued.begin(), queued.end());
  EXPECT_EQ(count("SELECT MIN(id) FROM adbots WHERE status = 'QUEUED'"), queued[50]);
  add_stock(20);
  EXPECT_EQ(*commerce_->fulfil_queued(), 20);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots WHERE status = 'STOPPED' AND validity_end IS NOT NULL"), 100);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tg_sessions WHERE status = 'UNUSED'"), 0);
}

TEST_P(FulfilmentTest, StatusesNeverMoveBackAndOutOfOrderIsHarmless) {
  const int64_t user = add_user("u@x.io");
  add_stock(1);
  auto op = buy(user, add_product(1));
  EXPECT_EQ(send(ipn(op, "confirming"))->result.outcome, "updated");
  EXPECT_EQ(send(ipn(op, "finished"))->result.outcome, "provisioned");
  EXPECT_EQ(send(ipn(op, "confirming"))->result.outcome, "duplicate");  // seen before
  EXPECT_EQ(send(ipn(op, "confirmed"))->result.outcome, "stale_status");
  EXPECT_EQ(send(ipn(op, "waiting"))->result.outcome, "stale_status");
  EXPECT_EQ(send(ipn(op, "failed"))->result.outcome, "stale_status");
  EXPECT_EQ(order(op.order.id).order.status, "PAID");
  EXPECT_EQ(order(op.order.id).payment->status, "finished");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
}

TEST_P(FulfilmentTest, PartiallyPaidProvisionsNothingAndTellsTheUser) {
  const int64_t user = add_user("u@x.io");
  add_stock(1);
  auto op = buy(user, add_product(1));
  auto r = send(ipn(op, "partially_paid", "", "0.0005"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->result.outcome, "partially_paid");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
  EXPECT_EQ(order(op.order.id).order.status, "PENDING");
  EXPECT_TRUE(order(op.order.id).payment->flagged);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'payment_partial' AND user_id = " +
                  std::to_string(user)),
            1);
  EXPECT_EQ(commerce_->list_payments({.flagged = true})->size(), 1u);
  // Partial is final: a later "finished" for the same payment provisions nothing either.
  EXPECT_EQ(send(ipn(op, "finished"))->result.outcome, "stale_status");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
}

TEST_P(FulfilmentTest, MismatchedAmountIsFlaggedNotProvisioned) {
  const int64_t user = add_user("u@x.io");
  add_stock(1);
  auto op = buy(user, add_product(1, 1200, "80"));
  auto r = send(ipn(op, "finished", "8"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->result.outcome, "flagged");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
  EXPECT_EQ(*order(op.order.id).payment->flag_reason, "price_amount does not match");
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'payment_flagged' AND user_id = " +
                  std::to_string(admin_)),
            1);
}

TEST_P(FulfilmentTest, RenewalKeepsTheRemainingDays) {
  const int64_t user = add_user("u@x.io");
  const int64_t product = add_product(1);
  add_stock(1);
  auto first = buy(user, product);
  ASSERT_EQ(send(ipn(first, "finished"))->result.outcome, "provisioned");
  const int64_t adbot = (*commerce_->list_adbots(user))[0]["id"];
  const int64_t end1 = core::to_unix_ms(clock_.now()) + 30 * kDayMs;
  clock_.advance(std::chrono::hours(24 * 10));
  auto renewal = buy(user, product, adbot);
  EXPECT_EQ(*renewal.order.adbot_id, adbot);
  EXPECT_EQ(send(ipn(renewal, "finished"))->result.outcome, "renewed");
  auto adbots = *commerce_->list_adbots(user);
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(adbots[0]["validity_end"], core::format_iso8601(core::from_unix_ms(end1 + 30 * kDayMs)));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tg_sessions WHERE status = 'ASSIGNED'"), 1);

  // An expired adbot renews from now.
  clock_.advance(std::chrono::hours(24 * 100));
  const int64_t now = core::to_unix_ms(clock_.now());
  auto late = buy(user, product, adbot);
  EXPECT_EQ(send(ipn(late, "finished"))->result.outcome, "renewed");
  EXPECT_EQ((*commerce_->list_adbots(user))[0]["validity_end"],
            core::format_iso8601(core::from_unix_ms(now + 30 * kDayMs)));
}

TEST_P(FulfilmentTest, RenewalOfAnotherUsersAdbotIsNotFound) {
  const int64_t owner = add_user("o@x.io");
  const int64_t other = add_user("p@x.io");
  const int64_t product = add_product(1);
  add_stock(1);
  ASSERT_EQ(send(ipn(buy(owner, product), "finished"))->result.outcome, "provisioned");
  const int64_t adbot = (*commerce_->list_adbots(owner))[0]["id"];
  auto r = payments_->create({other, product, adbot, "", "btc"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().errc, core::Errc::kNotFound);
}

TEST_P(FulfilmentTest, ProviderErrorsLeaveNoHalfMadeOrder) {
  const int64_t user = add_user("u@x.io");
  const int64_t product = add_product(1, 1200, "30");
  provider_.fail_with = core::Error{core::Errc::kBadGateway, "provider_timeout", "slow"};
  auto r = payments_->create({user, product, std::nullopt, "", "btc"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "provider_timeout");
  provider_.fail_with.reset();
  provider_.minimum = *core::Decimal::parse("35.5");
  r = payments_->create({user, product, std::nullopt, "", "btc"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "amount_below_minimum");
  EXPECT_NE(r.error().message.find("35.5"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE status = 'PENDING'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE status = 'FAILED'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 0);
  r = payments_->create({user, product, std::nullopt, "", "b t c"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_pay_currency");
}

TEST_P(FulfilmentTest, PollerFinishesStalePaymentsAndExpiresAbandonedOrders) {
  const int64_t user = add_user("u@x.io");
  const int64_t product = add_product(1);
  add_stock(1);
  auto paid = buy(user, product);
  auto abandoned = buy(user, product);
  {
    std::lock_guard lock(provider_.mutex);
    provider_.created[*paid.payment->provider_payment_id].status = "finished";
  }
  PaymentPoller poller(*commerce_, *payments_, clock_);
  auto round = poller.run_once(clock_.now());  // nothing stale yet
  EXPECT_EQ(round.checked, 0);
  clock_.advance(std::chrono::minutes(6));
  round = poller.run_once(clock_.now());
  EXPECT_EQ(round.checked, 2);
  EXPECT_EQ(round.changed, 1);
  EXPECT_EQ(order(paid.order.id).order.status, "PAID");
  EXPECT_EQ(order(abandoned.order.id).order.status, "PENDING");
  clock_.advance(std::chrono::hours(25));
  round = poller.run_once(clock_.now());
  EXPECT_EQ(round.expired, 1);
  EXPECT_EQ(order(abandoned.order.id).order.status, "EXPIRED");
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
}

TEST_P(FulfilmentTest, ManualMarkPaidIsAuditedAndOnce) {
  ManualProvider manual;
  PaymentService service(*commerce_, manual, clock_, {});
  const int64_t user = add_user("u@x.io");
  add_stock(1);
  auto op = service.create({user, add_product(1), std::nullopt, "", "usdt"});
  ASSERT_TRUE(op.ok());
  auto r = commerce_->mark_paid(op->order.id, {"127.0.0.1", admin_});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, "provisioned");
  auto again = commerce_->mark_paid(op->order.id, {"127.0.0.1", admin_});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "order_not_pending");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'order.mark_paid'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM adbots"), 1);
}

// Issue 16: a $55 plan "paid in BTC" through the manual provider asked for 55 BTC.
TEST_P(FulfilmentTest, ManualPaymentAsksForThePriceInItsOwnMoney) {
  ManualProvider manual;
  PaymentService service(*commerce_, manual, clock_, {});
  const int64_t user = add_user("u@x.io");
  auto op = service.create({user, add_product(1, 1200, "55"), std::nullopt, "", "btc"});
  ASSERT_TRUE(op.ok()) << op.error().message;
  const auto j = domain::to_json(*op);
  const auto& p = j["payment"];
  EXPECT_EQ(p["pay_amount"], 55);
  EXPECT_EQ(p["pay_currency"], "usd");
  EXPECT_TRUE(p["pay_address"].is_null());
  EXPECT_EQ(p["confirmation"], "manual");
  EXPECT_TRUE(p["payment_uri"].is_null());
  EXPECT_EQ(p["coin"],
            (nlohmann::json{{"ticker", "USD"}, {"name", "US dollar"}, {"network", nullptr}}));
  EXPECT_EQ(p["fiat_amount"], 55);
  EXPECT_EQ(p["fiat_currency"], "USD");
  EXPECT_EQ(p["expires_at"], j["order"]["expires_at"]);
  EXPECT_FALSE(p["expires_at"].is_null());
  EXPECT_TRUE(j["receipt"].is_null());
  EXPECT_TRUE(j["adbot_id"].is_null());

  ASSERT_TRUE(commerce_->mark_paid(op->order.id, {"127.0.0.1", admin_}).ok());
  const auto paid = domain::to_json(order(op->order.id));
  const auto adbots = *commerce_->list_adbots(user);
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(adbots[0]["status"], "QUEUED");  // no stock: it still has its id
  EXPECT_EQ(paid["order"]["adbot_id"], adbots[0]["id"]);
  EXPECT_EQ(paid["adbot_id"], adbots[0]["id"]);
  EXPECT_EQ(paid["order"]["kind"], "NEW");
  const auto& receipt = paid["receipt"];
  EXPECT_EQ(receipt["amount"], 55);
  EXPECT_EQ(receipt["currency"], "usd");
  EXPECT_EQ(receipt["order_id"], op->order.id);
  EXPECT_EQ(receipt["provider_payment_id"], "manual-" + std::to_string(op->order.id));
  EXPECT_EQ(receipt["paid_at"], paid["order"]["paid_at"]);
}

TEST_P(FulfilmentTest, APaidOrderNamesItsAdbotAndItsReceipt) {
  const int64_t user = add_user("u@x.io");
  add_stock(1);
  auto op = buy(user, add_product(1));
  auto before = domain::to_json(order(op.order.id));
  EXPECT_TRUE(before["order"]["adbot_id"].is_null());
  EXPECT_TRUE(before["receipt"].is_null());
  const auto& p = before["payment"];
  EXPECT_EQ(p["confirmation"], "provider");
  EXPECT_EQ(p["coin"],
            (nlohmann::json{{"ticker", "BTC"}, {"name", "Bitcoin"}, {"network", "Bitcoin"}}));
  EXPECT_EQ(p["payment_uri"], "bitcoin:addr-" + std::to_string(op.order.id) + "?amount=0.00123");
  EXPECT_EQ(p["pay_amount"], 0.00123);
  EXPECT_EQ(p["fiat_amount"], 80);

  ASSERT_EQ(send(ipn(op, "finished", "", "0.00125"))->result.outcome, "provisioned");
  const auto after = domain::to_json(order(op.order.id));
  const auto adbots = *commerce_->list_adbots(user);
  ASSERT_EQ(adbots.size(), 1u);
  EXPECT_EQ(after["order"]["adbot_id"], adbots[0]["id"]);
  const auto& receipt = after["receipt"];
  EXPECT_EQ(receipt["amount"], 0.00125);  // what arrived, not what was asked
  EXPECT_EQ(receipt["currency"], "btc");
  EXPECT_EQ(receipt["coin"]["ticker"], "BTC");
  EXPECT_EQ(receipt["provider_payment_id"], *op.payment->provider_payment_id);
  EXPECT_EQ(receipt["fiat_amount"], 80);
  EXPECT_FALSE(receipt["paid_at"].is_null());

  // A renewal names the adbot it extends, before and after payment.
  auto renewal = buy(user, adbots[0]["product_id"].get<int64_t>(), adbots[0]["id"].get<int64_t>());
  EXPECT_EQ(domain::to_json(renewal.order)["adbot_id"], adbots[0]["id"]);
  EXPECT_EQ(send(ipn(renewal, "finished"))->result.outcome, "renewed");
  EXPECT_EQ(domain::to_json(order(renewal.order.id))["order"]["adbot_id"], adbots[0]["id"]);
  EXPECT_EQ(domain::to_json(order(renewal.order.id))["order"]["kind"], "RENEWAL");
}

TEST_P(FulfilmentTest, TheAdbotListCarriesStatsGroupsAndItsPlan) {
  const int64_t user = add_user("u@x.io");
  add_stock(2);
  const int64_t product = add_product(2);
  ASSERT_EQ(send(ipn(buy(user, product), "finished"))->result.outcome, "provisioned");
  auto list = *commerce_->list_adbots(user);
  ASSERT_EQ(list.size(), 1u);
  const int64_t id = list[0]["id"];
  EXPECT_EQ(list[0]["stats"], (nlohmann::json{{"posts", 0}, {"success", 0}, {"failures", 0},
                                               {"flood_waits", 0}, {"last_activity", nullptr}}));
  EXPECT_EQ(list[0]["groups_count"], 0);
  EXPECT_EQ(list[0]["product"], (nlohmann::json{{"id", product}, {"name", "Plan 2"}}));
  ASSERT_TRUE(db().write([&](storage::Tx& tx) -> core::Result<int> {
    const long long aid = id;
    tx.sql() << "INSERT INTO adbot_stats (adbot_id, posts, success, failures, flood_waits, "
                "last_activity) VALUES (:a, 7, 5, 2, 1, 1764246906123)",
        soci::use(aid);
    for (int i = 0; i < 3; ++i) {
      const std::string target = "@group_" + std::to_string(i);
      tx.sql() << "INSERT INTO adbot_groups (adbot_id, target, position, state) VALUES "
                  "(:a, :t, :p, 'ACTIVE')",
          soci::use(aid), soci::use(target), soci::use(i);
    }
    return 0;
  }).ok());
  list = *commerce_->list_adbots(user);
  EXPECT_EQ(list[0]["stats"], (nlohmann::json{{"posts", 7}, {"success", 5}, {"failures", 2},
                                               {"flood_waits", 1},
                                               {"last_activity", "2025-11-27T12:35:06.123Z"}}));
  EXPECT_EQ(list[0]["groups_count"], 3);
  EXPECT_EQ(list[0]["sessions_assigned"], 2);
  EXPECT_EQ(list[0]["sessions_needed"], 0);
  // The admin's list is the same mapper.
  domain::AdbotService adbots(db(), clock_);
  auto admin_list = *adbots.admin_list({});
  ASSERT_EQ(admin_list["adbots"].size(), 1u);
  auto admin_row = admin_list["adbots"][0];
  EXPECT_EQ(admin_row["user_email"], "u@x.io");
  admin_row.erase("user_email");
  EXPECT_EQ(admin_row, list[0]);
  // The detail names the plan too.
  auto detail = *adbots.get({user, "USER", "u@x.io"}, id);
  EXPECT_EQ(detail["adbot"]["product"], list[0]["product"]);
  EXPECT_EQ(detail["adbot"]["product_id"], product);
  EXPECT_EQ(detail["stats"], list[0]["stats"]);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(FulfilmentTest);

}  // namespace
}  // namespace hqadz::payments
