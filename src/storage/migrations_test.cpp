#include "storage/migrations.hpp"

#include <gtest/gtest.h>

#include <set>

#include "storage/testing/test_database.hpp"

namespace hqadz::storage {
namespace {

using testing::DatabaseTest;

std::set<std::string> tables(Database& db) {
  auto r = db.read([](Tx& tx) -> core::Result<std::set<std::string>> {
    std::set<std::string> out;
    const char* q = tx.is_postgres()
                        ? "SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = 'public'"
                        : "SELECT name FROM sqlite_master WHERE type = 'table'";
    soci::rowset<std::string> rows = tx.sql().prepare << q;
    for (auto& name : rows) {
      out.insert(name);
    }
    return out;
  });
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::set<std::string>{};
}

class MigrationTest : public DatabaseTest {};

TEST_P(MigrationTest, CreatesEveryTableOfTheDesign) {
  const auto have = tables(db());
  for (const char* t :
       {"users", "refresh_tokens", "products", "orders", "payments", "payment_events", "adbots",
        "adbot_groups", "account_groups", "tg_sessions", "forwards", "adbot_events",
        "adbot_stats", "notifications", "audit_log", "group_blocklist", "schema_migrations"}) {
    EXPECT_TRUE(have.count(t)) << "missing table " << t;
  }
}

TEST_P(MigrationTest, SecondRunChangesNothing) {
  const auto before = applied_versions(db());
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->empty());
  auto again = migrate(db());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(*applied_versions(db()), *before);
}

TEST_P(MigrationTest, RefusesASchemaNewerThanTheBinary) {
  std::vector<Migration> future = embedded_migrations();
  future.push_back({9999, "9999_future", "CREATE TABLE future_table (id INTEGER);"});
  ASSERT_TRUE(migrate(db(), future).ok());
  auto r = migrate(db());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "schema_too_new");
}

TEST_P(MigrationTest, AFailingMigrationLeavesNoTrace) {
  std::vector<Migration> bad = embedded_migrations();
  bad.push_back({5000, "5000_bad", "CREATE TABLE half_done (id INTEGER);\nNOT SQL AT ALL;"});
  ASSERT_FALSE(migrate(db(), bad).ok());
  EXPECT_EQ(tables(db()).count("half_done"), 0u);
  EXPECT_EQ(applied_versions(db())->back(), embedded_migrations().back().version);
}

TEST_P(MigrationTest, PartialUniqueIndexCoversVerifiedEventsOnly) {
  auto insert = [&](int verified) {
    return db().write([&](Tx& tx) -> core::Status {
      tx.sql() << "INSERT INTO payment_events (provider, provider_payment_id, status, verified, "
                  "verdict, body, received_at) VALUES ('nowpayments', '1', 'finished', :v, 'x', "
                  "'{}', 0)",
          soci::use(verified);
      return core::ok_status();
    });
  };
  EXPECT_TRUE(insert(0).ok());
  EXPECT_TRUE(insert(0).ok());
  EXPECT_TRUE(insert(1).ok());
  auto dup = insert(1);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().errc, core::Errc::kConflict);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(MigrationTest);

// 0007 gives tg_sessions' status CHECK the FROZEN state; on SQLite that rebuilds the table. A
// database made before it keeps its accounts, the rows that reference them, its ids and its
// foreign keys.
class MigrationOverDataTest : public ::testing::TestWithParam<Backend> {};

TEST_P(MigrationOverDataTest, AccountsAndTheirReferencesSurviveTheFrozenState) {
  auto t = testing::TestDatabase::create(GetParam(), /*run_migrations=*/false);
  if (!t) {
    GTEST_SKIP() << "PostgreSQL not available";
  }
  std::vector<Migration> before;
  for (const auto& m : embedded_migrations()) {
    if (m.version < 7) {
      before.push_back(m);
    }
  }
  ASSERT_TRUE(migrate(t->db(), before).ok());
  auto exec = [&](const std::string& sql) { return testing::exec(t->db(), sql); };
  ASSERT_TRUE(exec("INSERT INTO tg_sessions (id, phone_number, api_id, api_hash_enc, dc_id, "
                   "server_address, port, auth_key_enc, auth_key_id, status, created_at, "
                   "updated_at) VALUES (5, '+1', 1, 'h', 2, 'a', 443, 'k', 'id5', 'ASSIGNED', 0, "
                   "0)")
                  .ok());
  ASSERT_TRUE(exec("INSERT INTO account_groups (session_id, target, state, updated_at) VALUES "
                   "(5, '@g', 'JOINED', 0)")
                  .ok());
  EXPECT_FALSE(exec("UPDATE tg_sessions SET status = 'FROZEN'").ok()) << "FROZEN before 0007";
  auto r = migrate(t->db());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(testing::scalar(t->db(), "SELECT COUNT(*) FROM tg_sessions WHERE id = 5 AND "
                                     "status = 'ASSIGNED' AND auth_key_id = 'id5'"),
            1);
  EXPECT_EQ(testing::scalar(t->db(), "SELECT COUNT(*) FROM account_groups WHERE session_id = 5"),
            1);
  EXPECT_TRUE(exec("UPDATE tg_sessions SET status = 'FROZEN', no_joins_since = 1").ok());
  EXPECT_FALSE(exec("UPDATE tg_sessions SET status = 'SOMETHING'").ok());
  EXPECT_FALSE(exec("INSERT INTO account_groups (session_id, target, updated_at) VALUES (99, "
                    "'@g', 0)")
                   .ok())
      << "the foreign key to tg_sessions no longer holds";
  ASSERT_TRUE(exec("INSERT INTO tg_sessions (phone_number, api_id, api_hash_enc, dc_id, "
                   "server_address, port, auth_key_enc, auth_key_id, created_at, updated_at) "
                   "VALUES ('+2', 1, 'h', 2, 'a', 443, 'k', 'id6', 0, 0)")
                  .ok());
  EXPECT_EQ(testing::scalar(t->db(), "SELECT COUNT(*) FROM tg_sessions"), 2);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(MigrationOverDataTest);

TEST(RenderStatements, ReplacesPlaceholdersPerDialect) {
  const std::string sql = "-- c\nCREATE TABLE t (id {{PK}}, p {{DECIMAL}});\nSELECT 1;\n";
  auto lite = render_statements(sql, Backend::kSqlite);
  ASSERT_EQ(lite.size(), 2u);
  EXPECT_NE(lite[0].find("INTEGER PRIMARY KEY AUTOINCREMENT"), std::string::npos);
  auto pg = render_statements(sql, Backend::kPostgres);
  EXPECT_NE(pg[0].find("BIGSERIAL PRIMARY KEY"), std::string::npos);
  EXPECT_NE(pg[0].find("NUMERIC"), std::string::npos);
  EXPECT_EQ(pg[0].find("-- c"), std::string::npos);
}

TEST(RenderStatements, KeepsAMarkedStatementForItsBackendOnly) {
  const std::string sql =
      "--@sqlite\nPRAGMA x = 1;\n--@postgresql\nALTER TABLE t\n  DROP c;\nSELECT 2;\n";
  auto lite = render_statements(sql, Backend::kSqlite);
  ASSERT_EQ(lite.size(), 2u);
  EXPECT_NE(lite[0].find("PRAGMA"), std::string::npos);
  EXPECT_NE(lite[1].find("SELECT 2"), std::string::npos);
  auto pg = render_statements(sql, Backend::kPostgres);
  ASSERT_EQ(pg.size(), 2u);
  EXPECT_NE(pg[0].find("DROP c"), std::string::npos);
  EXPECT_NE(pg[1].find("SELECT 2"), std::string::npos);
}

}  // namespace
}  // namespace hqadz::storage
