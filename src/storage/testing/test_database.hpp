#pragma once
/// Test support: a fresh, migrated database per test, on SQLite (a temp file) or on the
/// throwaway PostgreSQL cluster whose URL scripts/with-postgres puts in HQADZ_TEST_PG_URL.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace hqadz::storage::testing {

/// Runs `sql` in a write transaction (a test's set-up or fault); an error says why it failed.
core::Status exec(Database& db, const std::string& sql);
/// The first column of the first row as an integer (0 for NULL); -1 when the query failed.
int64_t scalar(Database& db, const std::string& sql);
/// The first column of the first row as text ("" for NULL, no row or a failed query).
std::string text(Database& db, const std::string& sql);

class TestDatabase {
 public:
  /// Null (and the test skipped or failed, see .cpp) when PostgreSQL is asked but unavailable.
  static std::unique_ptr<TestDatabase> create(Backend backend, bool run_migrations = true);
  ~TestDatabase();

  Database& db() { return *db_; }
  const std::string& url() const { return url_; }

 private:
  TestDatabase() = default;
  std::unique_ptr<Database> db_;
  std::string url_;
  std::string sqlite_dir_;
  std::string pg_admin_url_;
  std::string pg_db_name_;
};

/// For INSTANTIATE_TEST_SUITE_P: Sqlite/... and Postgres/... instances (CTest labels use it).
inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return ::hqadz::storage::backend_name(info.param);
}

#define HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(Suite)                                           \
  INSTANTIATE_TEST_SUITE_P(Sqlite, Suite,                                                     \
                           ::testing::Values(::hqadz::storage::Backend::kSqlite),             \
                           ::hqadz::storage::testing::backend_name);                          \
  INSTANTIATE_TEST_SUITE_P(Postgres, Suite,                                                   \
                           ::testing::Values(::hqadz::storage::Backend::kPostgres),           \
                           ::hqadz::storage::testing::backend_name)

/// Base fixture: `db()` is a fresh migrated database of the parameter's backend.
class DatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::create(GetParam());
    if (!test_db_) {
      GTEST_SKIP() << "PostgreSQL not available (set HQADZ_TEST_PG_URL; make test does)";
    }
  }
  Database& db() { return test_db_->db(); }
  std::unique_ptr<TestDatabase> test_db_;
};

}  // namespace hqadz::storage::testing
