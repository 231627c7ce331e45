#include "storage/testing/test_database.hpp"

#include <cstdlib>
#include <filesystem>

#include "crypto/random.hpp"
#include "storage/migrations.hpp"

namespace hqadz::storage::testing {

core::Status exec(Database& db, const std::string& sql) {
  return db.write([&](Tx& tx) -> core::Status {
    tx.sql() << sql;
    return core::ok_status();
  });
}

int64_t scalar(Database& db, const std::string& sql) {
  auto r = db.read([&](Tx& tx) -> core::Result<int64_t> {
    long long v = 0;
    soci::indicator ind = soci::i_null;
    tx.sql() << sql, soci::into(v, ind);
    return ind == soci::i_ok ? v : 0;
  });
  return r.ok() ? *r : -1;
}

std::string text(Database& db, const std::string& sql) {
  auto r = db.read([&](Tx& tx) -> core::Result<std::string> {
    std::string v;
    soci::indicator ind = soci::i_null;
    tx.sql() << sql, soci::into(v, ind);
    return ind == soci::i_ok ? v : std::string();
  });
  return r.ok() ? *r : "";
}

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string with_database(const std::string& url, const std::string& name) {
  const auto slash = url.rfind('/');
  const auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

std::unique_ptr<TestDatabase> TestDatabase::create(Backend backend, bool run_migrations) {
  std::unique_ptr<TestDatabase> t(new TestDatabase());
  if (backend == Backend::kSqlite) {
    t->sqlite_dir_ = (std::filesystem::temp_directory_path() / ("hqadz-test-" + crypto::random_hex(8))).string();
    std::filesystem::create_directories(t->sqlite_dir_);
    t->url_ = "sqlite://" + t->sqlite_dir_ + "/test.db";
  } else {
    const std::string admin = env("HQADZ_TEST_PG_URL");
    if (admin.empty()) {
      if (env("HQADZ_REQUIRE_PG") == "1") {
        ADD_FAILURE() << "HQADZ_REQUIRE_PG=1 but HQADZ_TEST_PG_URL is not set";
      }
      return nullptr;
    }
    auto admin_db = Database::open({.url = admin, .pool_size = 1});
    if (!admin_db.ok()) {
      ADD_FAILURE() << admin_db.error().message;
      return nullptr;
    }
    t->pg_admin_url_ = admin;
    t->pg_db_name_ = "hqadz_t_" + crypto::random_hex(8);
    auto st = (*admin_db)->with_session([&](Tx& tx) -> core::Status {
      tx.sql() << "CREATE DATABASE " + t->pg_db_name_;
      return core::ok_status();
    });
    if (!st.ok()) {
      ADD_FAILURE() << st.error().message;
      return nullptr;
    }
    t->url_ = with_database(admin, t->pg_db_name_);
  }
  auto db = Database::open({.url = t->url_, .pool_size = 4});
  if (!db.ok()) {
    ADD_FAILURE() << db.error().message;
    return nullptr;
  }
  t->db_ = std::move(*db);
  if (run_migrations) {
    auto m = migrate(*t->db_);
    if (!m.ok()) {
      ADD_FAILURE() << "migrate: " << m.error().message;
      return nullptr;
    }
  }
  return t;
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!sqlite_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(sqlite_dir_, ec);
  }
  if (!pg_db_name_.empty()) {
    if (auto admin = Database::open({.url = pg_admin_url_, .pool_size = 1}); admin.ok()) {
      (void)(*admin)->with_session([&](Tx& tx) -> core::Status {
        tx.sql() << "DROP DATABASE IF EXISTS " + pg_db_name_ + " WITH (FORCE)";
        return core::ok_status();
      });
    }
  }
}

}  // namespace hqadz::storage::testing
