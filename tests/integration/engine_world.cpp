#include "engine_world.hpp"

#include "core/clock.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "storage/row.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {

int64_t now_ms() { return core::to_unix_ms(core::SystemClock().now()); }

void EngineWorldIT::SetUp() {
  ASSERT_TRUE(tg_.ok());
  channel_ = tg_.create_channel("promo_channel");
  post_ = tg_.add_post(channel_, "Buy our widgets");
  env_["HQADZ_MASTER_KEY"] = crypto::to_base64(crypto::random_bytes(32));
  env_["HQADZ_JWT_SECRET"] = crypto::random_hex(32);
  env_["HQADZ_TELEGRAM_DCS"] = tg_.dcs_config();
  env_["HQADZ_POST_GAP_SECONDS"] = "0-0";
  env_["HQADZ_ENGINE_LEASE_TTL_MS"] = "3000";
}

void EngineWorldIT::TearDown() {
  if (HasFailure() && server_) {
    const std::string logs = server_->logs();
    std::cerr << "server stderr (tail):\n"
              << (logs.size() > 6000 ? logs.substr(logs.size() - 6000) : logs);
  }
}

bool EngineWorldIT::use_backend(storage::Backend backend) {
  if (backend != storage::Backend::kPostgres) {
    return true;
  }
  pg_ = storage::testing::TestDatabase::create(storage::Backend::kPostgres, false);
  if (!pg_) {
    return false;
  }
  env_["HQADZ_DATABASE_URL"] = pg_->url();
  return true;
}

void EngineWorldIT::start_server() {
  server_ = std::make_unique<ServerProcess>(
      ServerOptions{.env = env_, .data_dir = dir_.path() + "/data"});
  ASSERT_NE(server_->port(), 0);
  if (admin_.id == 0) {
    admin_ = create_user_cli(*server_, "admin@example.com", "ADMIN", env_);
    user_ = create_user_cli(*server_, "owner@example.com", "USER", env_);
  }
  sign_in(*server_, admin_);
  sign_in(*server_, user_);
}

storage::Database& EngineWorldIT::db() {
  if (!db_) {
    auto it = env_.find("HQADZ_DATABASE_URL");
    const std::string url =
        it != env_.end() ? it->second : "sqlite://" + dir_.path() + "/data/hqadz.db";
    auto d = storage::Database::open({.url = url, .pool_size = 1});
    EXPECT_TRUE(d.ok()) << d.error().message;
    db_ = std::move(*d);
  }
  return *db_;
}

void EngineWorldIT::exec(const std::string& sql) {
  auto st = storage::testing::exec(db(), sql);
  ASSERT_TRUE(st.ok()) << st.error().message << "\n" << sql;
}

int64_t EngineWorldIT::scalar(const std::string& sql) { return storage::testing::scalar(db(), sql); }

int64_t EngineWorldIT::add_stock_account() {
  const auto acc = tg_.create_account("agent_" + std::to_string(++accounts_made_));
  auto r = admin().post("/api/admin/stock/upload",
                        {{"string_session", acc.string_session},
                         {"phone_number", "+1555000" + std::to_string(1000 + accounts_made_)},
                         {"api_id", 12345},
                         {"api_hash", "0123456789abcdef0123456789abcdef"}});
  EXPECT_EQ(r.status, 201) << r.body;
  const int64_t id = r.json().value("id", int64_t{0});
  tg_of_[id] = acc.id;
  return id;
}

int64_t EngineWorldIT::buy_adbot(int accounts, const std::string& distribution,
                                 int interval_seconds, const nlohmann::json& plan_extra) {
  for (int i = 0; i < accounts; ++i) {
    add_stock_account();
  }
  nlohmann::json product = {{"name", "Gold"},          {"sessions_count", accounts},
                            {"posting_interval_seconds", 60}, {"price", 10},
                            {"distribution", distribution}};
  product.update(plan_extra);
  auto p = admin().request("POST", "/api/admin/products", product.dump(),
                           {{"Content-Type", "application/json"}});
  EXPECT_EQ(p.status, 201) << p.body;
  auto c = owner().post("/api/payment/create",
                        {{"product_id", p.json()["id"]}, {"pay_currency", "usdt"}});
  EXPECT_EQ(c.status, 201) << c.body;
  const int64_t order = c.json()["order"]["id"].get<int64_t>();
  auto paid = admin().request("POST", "/api/admin/orders/" + std::to_string(order) + "/mark-paid");
  EXPECT_EQ(paid.status, 200) << paid.body;
  const int64_t adbot = scalar("SELECT id FROM adbots WHERE order_id = " + std::to_string(order));
  EXPECT_GT(adbot, 0);
  set_interval(adbot, interval_seconds);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM tg_sessions WHERE assigned_to_adbot_id = " +
                   std::to_string(adbot)),
            accounts);
  return adbot;
}

void EngineWorldIT::set_interval(int64_t adbot, int seconds) {
  exec("UPDATE adbots SET posting_interval_seconds = " + std::to_string(seconds) +
       " WHERE id = " + std::to_string(adbot));
}

std::map<std::string, int64_t> EngineWorldIT::make_groups(int n, int slowmode_seconds) {
  std::map<std::string, int64_t> groups;
  for (int i = 0; i < n; ++i) {
    const std::string name = "group_" + std::to_string(++groups_made_);
    groups["@" + name] = tg_.create_group(name, slowmode_seconds);
  }
  return groups;
}

void EngineWorldIT::configure(int64_t adbot, const std::map<std::string, int64_t>& groups) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& [t, id] : groups) {
    targets.push_back(t);
  }
  auto r = owner().post("/api/user/advertisement?adbot_id=" + std::to_string(adbot),
                        {{"post_link", "https://t.me/promo_channel/" + std::to_string(post_)},
                         {"groups", targets}});
  ASSERT_EQ(r.status, 200) << r.body;
}

HttpResult EngineWorldIT::control(int64_t adbot, const std::string& action) {
  return owner().request("POST", "/api/adbots/" + std::to_string(adbot) + "/" + action, "{}",
                         {{"Content-Type", "application/json"}});
}

std::map<int64_t, Slot> EngineWorldIT::slots(int64_t adbot) {
  std::map<int64_t, Slot> out;
  auto r = db().read([&](storage::Tx& tx) -> core::Result<int> {
    const long long id = adbot;
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT random_id, cycle_no, target, session_id, outcome, detail "
                             "FROM forwards WHERE adbot_id = :a ORDER BY cycle_no",
         soci::use(id));
    for (const auto& row : rows) {
      out[storage::i64(row, "random_id")] = {
          storage::i64(row, "cycle_no"), storage::str(row, "target"),
          storage::i64(row, "session_id"), storage::str(row, "outcome"),
          storage::opt_str(row, "detail").value_or("")};
    }
    return 0;
  });
  EXPECT_TRUE(r.ok()) << r.error().message;
  return out;
}

int64_t EngineWorldIT::events(int64_t adbot, const std::string& kind) {
  return scalar("SELECT COUNT(*) FROM adbot_events WHERE adbot_id = " + std::to_string(adbot) +
                " AND kind = '" + kind + "'");
}

}  // namespace hqadz::testing
