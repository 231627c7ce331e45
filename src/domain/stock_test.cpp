// StockService on both databases: import (both formats), duplicates, secrets sealed at rest,
// list/overview, assignment, retirement, the audit trail, and the hooks commerce uses.
#include "domain/stock.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "storage/row.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::domain {
namespace {

using storage::testing::DatabaseTest;

const RequestContext kAdmin{"127.0.0.1", std::nullopt};

telegram::SessionData sample_session(int dc = 2) {
  telegram::SessionData s;
  s.dc_id = dc;
  s.server_address = "149.154.167.51";
  s.port = 443;
  s.auth_key = crypto::random_bytes(telegram::kAuthKeyBytes);
  return s;
}

StockImport fields() { return {"+44 7700 900123", 12345, "0123456789ABCDEF0123456789abcdef"}; }

class StockTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    service_ = std::make_unique<StockService>(
        db(), clock_, *crypto::MasterKey::from_bytes(key_bytes_),
        StockSettings{.low_stock_threshold = 2, .on_stock_added = [this] { ++added_; }});
  }

  StockAccount import_one(const telegram::SessionData& s) {
    auto r = service_->import_string_session(telegram::to_string_session(s), fields(), kAdmin);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : StockAccount{};
  }

  /// A user, product, order and adbot in `status`; returns {adbot id, user id}.
  std::pair<int64_t, int64_t> make_adbot(const std::string& status) {
    auto r = db().write([&](storage::Tx& tx) -> core::Result<std::pair<int64_t, int64_t>> {
      long long user = 0, product = 0, order = 0, adbot = 0;
      const std::string email = crypto::random_hex(6) + "@x.io";
      const std::string license = crypto::random_hex(8);
      tx.sql() << "INSERT INTO users (email, access_code_hash, license_key, created_at) "
                  "VALUES (:e, 'h', :l, 0) RETURNING id",
          soci::use(email), soci::use(license), soci::into(user);
      tx.sql() << "INSERT INTO products (name, tier, sessions_count, posting_interval_seconds, "
                  "price, validity_days, created_at, updated_at) VALUES ('p', 'STARTER', 1, 60, "
                  "'10', 30, 0, 0) RETURNING id",
          soci::into(product);
      tx.sql() << "INSERT INTO orders (user_id, product_id, amount, currency, created_at) "
                  "VALUES (:u, :p, '10', 'USD', 0) RETURNING id",
          soci::use(user), soci::use(product), soci::into(order);
      tx.sql() << "INSERT INTO adbots (user_id, order_id, product_id, status, "
                  "posting_interval_seconds, created_at, updated_at) "
                  "VALUES (:u, :o, :p, :s, 60, 0, 0) RETURNING id",
          soci::use(user), soci::use(order), soci::use(product), soci::use(status),
          soci::into(adbot);
      return std::pair<int64_t, int64_t>{adbot, user};
    });
    EXPECT_TRUE(r.ok());
    return *r;
  }

  std::vector<std::string> audit_actions() {
    auto r = db().read([](storage::Tx& tx) -> core::Result<std::vector<std::string>> {
      std::vector<std::string> out;
      soci::rowset<soci::row> rows = tx.sql().prepare << "SELECT action FROM audit_log ORDER BY id";
      for (const auto& row : rows) {
        out.push_back(storage::str(row, "action"));
      }
      return out;
    });
    return *r;
  }

  core::ManualClock clock_;
  std::string key_bytes_ = crypto::random_bytes(32);
  std::unique_ptr<StockService> service_;
  int added_ = 0;
};

TEST_P(StockTest, ImportsAStringSessionAsUnusedAndDecryptsItBack) {
  const auto s = sample_session();
  const auto a = import_one(s);
  EXPECT_EQ(a.status, "UNUSED");
  EXPECT_EQ(a.phone_number, "+447700900123");
  EXPECT_EQ(a.api_id, 12345);
  EXPECT_EQ(a.dc_id, 2);
  EXPECT_EQ(a.server_address, "149.154.167.51");
  EXPECT_EQ(a.port, 443);
  EXPECT_EQ(a.auth_key_id, telegram::auth_key_id_hex(s.auth_key));
  EXPECT_EQ(added_, 1);

  auto d = service_->decrypt(a.id);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->session.auth_key, s.auth_key);
  EXPECT_EQ(d->session.dc_id, 2);
  EXPECT_EQ(d->session.server_address, "149.154.167.51");
  EXPECT_EQ(d->session.port, 443);
  EXPECT_EQ(d->api_id, 12345);
  EXPECT_EQ(d->api_hash, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"stock.import"});
}

TEST_P(StockTest, ImportsASessionFile) {
  const auto s = sample_session(4);
  auto file = telegram::make_session_file(s);
  ASSERT_TRUE(file.ok());
  auto a = service_->import_session_file(*file, fields(), kAdmin);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->dc_id, 4);
  EXPECT_EQ(service_->decrypt(a->id)->session.auth_key, s.auth_key);
}

TEST_P(StockTest, SecretsAreSealedInTheRow) {
  const auto s = sample_session();
  const auto a = import_one(s);
  auto row = db().read([&](storage::Tx& tx) -> core::Result<std::pair<std::string, std::string>> {
    std::string key, hash;
    const long long id = a.id;
    tx.sql() << "SELECT auth_key_enc, api_hash_enc FROM tg_sessions WHERE id = :id", soci::use(id),
        soci::into(key), soci::into(hash);
    return std::pair{key, hash};
  });
  ASSERT_TRUE(row.ok());
  const auto key_raw = crypto::from_base64(row->first);
  ASSERT_TRUE(key_raw);
  EXPECT_EQ(key_raw->find(s.auth_key), std::string::npos);
  EXPECT_EQ(row->first.find(crypto::to_base64(s.auth_key)), std::string::npos);
  EXPECT_EQ(crypto::from_base64(row->second)->find("0123456789abcdef"), std::string::npos);
  // Bound to the row: the key's ciphertext does not open as another row's.
  auto key = *crypto::MasterKey::from_bytes(key_bytes_);
  EXPECT_TRUE(key.open_base64(row->first, auth_key_ad(a.auth_key_id)).ok());
  EXPECT_FALSE(key.open_base64(row->first, auth_key_ad("0000000000000000")).ok());
  EXPECT_FALSE(key.open_base64(row->first, api_hash_ad(a.auth_key_id)).ok());
}

TEST_P(StockTest, AWrongMasterKeyCannotDecrypt) {
  const auto a = import_one(sample_session());
  StockService other(db(), clock_, *crypto::MasterKey::from_bytes(crypto::random_bytes(32)), {});
  auto d = other.decrypt(a.id);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, "decrypt_failed");
  EXPECT_EQ(service_->decrypt(999).error().errc, core::Errc::kNotFound);
}

TEST_P(StockTest, TheSameAccountTwiceIsAConflict) {
  const auto s = sample_session();
  import_one(s);
  auto again = service_->import_session_file(*telegram::make_session_file(s), fields(), kAdmin);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().errc, core::Errc::kConflict);
  EXPECT_EQ(again.error().code, "duplicate_session");
  EXPECT_EQ(added_, 1);
}

TEST_P(StockTest, BadFieldsAndBadSessionsAreNamed) {
  const std::string text = telegram::to_string_session(sample_session());
  auto with = [&](StockImport f) {
    auto r = service_->import_string_session(text, f, kAdmin);
    return r.ok() ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(with({"12", 1, std::string(32, 'a')}), "invalid_phone_number");
  EXPECT_EQ(with({"+1 555 0100 x", 1, std::string(32, 'a')}), "invalid_phone_number");
  EXPECT_EQ(with({"+15550100", 0, std::string(32, 'a')}), "invalid_api_id");
  EXPECT_EQ(with({"+15550100", int64_t{1} << 31, std::string(32, 'a')}), "invalid_api_id");
  EXPECT_EQ(with({"+15550100", 1, std::string(31, 'a')}), "invalid_api_hash");
  EXPECT_EQ(with({"+15550100", 1, std::string(32, 'g')}), "invalid_api_hash");
  auto bad = service_->import_string_session("1abc", fields(), kAdmin);
  EXPECT_EQ(bad.error().code, "bad_string_session_length");
  auto bad_file = service_->import_session_file("not sqlite", fields(), kAdmin);
  EXPECT_EQ(bad_file.error().code, "bad_session_file_not_sqlite");
  EXPECT_EQ(bad_file.error().errc, core::Errc::kInvalidArgument);
  EXPECT_TRUE(audit_actions().empty());
}

TEST_P(StockTest, OverviewCountsEveryStatusAndLowStock) {
  auto o = service_->overview();
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->counts.size(), 8u);
  EXPECT_EQ(o->counts["UNUSED"], 0);
  EXPECT_TRUE(o->low_stock);
  const auto a = import_one(sample_session());
  import_one(sample_session());
  import_one(sample_session());
  o = service_->overview();
  EXPECT_EQ(o->counts["UNUSED"], 3);
  EXPECT_FALSE(o->low_stock);
  auto [adbot, user] = make_adbot("STOPPED");
  ASSERT_TRUE(service_->assign(a.id, adbot, kAdmin).ok());
  o = service_->overview();
  EXPECT_EQ(o->counts["UNUSED"], 2);
  EXPECT_EQ(o->counts["ASSIGNED"], 1);
  EXPECT_FALSE(o->low_stock);  // threshold 2: low means fewer than 2
  ASSERT_TRUE(service_->retire(a.id, "banned by Telegram", kAdmin).ok());
  o = service_->overview();
  EXPECT_EQ(o->counts["ASSIGNED"], 0);
  EXPECT_EQ(o->counts["RETIRED"], 1);
  const auto j = to_json(*o);
  EXPECT_EQ(j["counts"]["RETIRED"], 1);
  EXPECT_EQ(j["counts"]["BANNED"], 0);
  EXPECT_FALSE(j["low_stock"].get<bool>());
}

TEST_P(StockTest, AssignTakesOnlyAnUnusedAccountToALiveAdbot) {
  const auto a = import_one(sample_session());
  const auto b = import_one(sample_session());
  auto [adbot, user] = make_adbot("RUNNING");
  auto [expired, _] = make_adbot("EXPIRED");

  EXPECT_EQ(service_->assign(a.id, 424242, kAdmin).error().code, "adbot_not_found");
  EXPECT_EQ(service_->assign(a.id, expired, kAdmin).error().code, "adbot_expired");
  EXPECT_EQ(service_->assign(999, adbot, kAdmin).error().errc, core::Errc::kNotFound);

  auto done = service_->assign(a.id, adbot, {"10.0.0.1", 7});
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->status, "ASSIGNED");
  EXPECT_EQ(done->assigned_to_adbot_id, adbot);
  EXPECT_EQ(done->assigned_to_user_id, user);
  EXPECT_EQ(service_->assign(a.id, adbot, kAdmin).error().code, "not_unused");

  ASSERT_TRUE(service_->retire(b.id, "dead", kAdmin).ok());
  EXPECT_EQ(service_->assign(b.id, adbot, kAdmin).error().code, "not_unused");

  auto audit = db().read([](storage::Tx& tx) -> core::Result<std::vector<nlohmann::json>> {
    return list_audit(tx, {.action = "stock.assign"});
  });
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0]["actor_user_id"], 7);
  EXPECT_EQ((*audit)[0]["target_id"], a.id);
  EXPECT_EQ((*audit)[0]["detail"]["adbot_id"], adbot);
  EXPECT_EQ((*audit)[0]["client_address"], "10.0.0.1");
}

TEST_P(StockTest, RetireNeedsAReasonAndHappensOnce) {
  const auto a = import_one(sample_session());
  EXPECT_EQ(service_->retire(a.id, "  ", kAdmin).error().code, "invalid_reason");
  EXPECT_EQ(service_->retire(a.id, std::string(501, 'x'), kAdmin).error().code, "invalid_reason");
  auto r = service_->retire(a.id, "phone number lost", kAdmin);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, "RETIRED");
  EXPECT_EQ(r->status_reason, "phone number lost");
  EXPECT_EQ(service_->retire(a.id, "again", kAdmin).error().code, "already_retired");
  EXPECT_EQ(service_->retire(12345, "x", kAdmin).error().errc, core::Errc::kNotFound);
  EXPECT_EQ(audit_actions(), (std::vector<std::string>{"stock.import", "stock.retire"}));
}

TEST_P(StockTest, ListFiltersByStatusAndPagesNewestFirst) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(import_one(sample_session()).id);
  }
  ASSERT_TRUE(service_->retire(ids[1], "x", kAdmin).ok());
  auto page = service_->list({.limit = 2});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, ids[4]);
  EXPECT_EQ((*page)[1].id, ids[3]);
  auto next = service_->list({.before_id = ids[3], .limit = 10});
  ASSERT_EQ(next->size(), 3u);
  EXPECT_EQ(next->back().id, ids[0]);
  auto retired = service_->list({.status = "RETIRED"});
  ASSERT_EQ(retired->size(), 1u);
  EXPECT_EQ((*retired)[0].id, ids[1]);
  EXPECT_EQ(service_->list({.status = "NOPE"}).error().code, "invalid_status");
  const auto j = to_json((*page)[0]);
  EXPECT_FALSE(j.contains("auth_key"));
  EXPECT_FALSE(j.contains("auth_key_enc"));
  EXPECT_FALSE(j.contains("api_hash"));
  EXPECT_FALSE(j.contains("api_hash_enc"));
  EXPECT_TRUE(j["assigned_to_adbot_id"].is_null());
  EXPECT_EQ(j["created_at"], "2023-11-14T22:13:20.000Z");
}

TEST_P(StockTest, CommerceHooksCountAndClaimAllOrNothing) {
  for (int i = 0; i < 3; ++i) {
    import_one(sample_session());
  }
  auto [adbot, user] = make_adbot("QUEUED");
  auto claimed = db().write([&](storage::Tx& tx) -> core::Result<std::vector<int64_t>> {
    EXPECT_EQ(stock::count_unused(tx), 3);
    EXPECT_TRUE(stock::claim_unused(tx, adbot, user, 4, 0).empty());  // short: nothing moves
    EXPECT_EQ(stock::count_unused(tx), 3);
    return stock::claim_unused(tx, adbot, user, 2, 0);
  });
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(claimed->size(), 2u);
  auto o = service_->overview();
  EXPECT_EQ(o->counts["UNUSED"], 1);
  EXPECT_EQ(o->counts["ASSIGNED"], 2);
  EXPECT_EQ(service_->get((*claimed)[0])->assigned_to_user_id, user);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(StockTest);

}  // namespace
}  // namespace hqadz::domain
