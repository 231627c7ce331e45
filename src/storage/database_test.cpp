#include "storage/database.hpp"

#include <gtest/gtest.h>

#include <soci/sqlite3/soci-sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "storage/testing/test_database.hpp"

namespace hqadz::storage {
namespace {

using testing::DatabaseTest;

class StorageTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) {
      return;
    }
    auto st = db().write([](Tx& tx) -> core::Status {
      tx.sql() << "CREATE TABLE counters (name TEXT PRIMARY KEY, n BIGINT NOT NULL)";
      tx.sql() << "INSERT INTO counters (name, n) VALUES ('a', 0)";
      return core::ok_status();
    });
    ASSERT_TRUE(st.ok()) << st.error().message;
  }

  long long counter() {
    auto r = db().read([](Tx& tx) -> core::Result<long long> {
      long long n = 0;
      tx.sql() << "SELECT n FROM counters WHERE name = 'a'", soci::into(n);
      return n;
    });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : -1;
  }
};

TEST_P(StorageTest, PingAnswers) { EXPECT_TRUE(db().ping().ok()); }

TEST_P(StorageTest, CommitKeepsWrites) {
  auto r = db().write([](Tx& tx) -> core::Result<int> {
    tx.sql() << "UPDATE counters SET n = n + 5";
    return 42;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(counter(), 5);
}

TEST_P(StorageTest, ErrorResultRollsBack) {
  auto r = db().write([](Tx& tx) -> core::Result<int> {
    tx.sql() << "UPDATE counters SET n = n + 5";
    return core::Error::invalid("nope", "changed my mind");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "nope");
  EXPECT_EQ(counter(), 0);
}

TEST_P(StorageTest, BadSqlRollsBackAndBecomesAnError) {
  auto r = db().write([](Tx& tx) -> core::Status {
    tx.sql() << "UPDATE counters SET n = n + 5";
    tx.sql() << "SELECT no_such_column FROM counters";
    return core::ok_status();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().errc, core::Errc::kInternal);
  EXPECT_EQ(counter(), 0);
}

TEST_P(StorageTest, UniqueViolationIsAConflict) {
  auto r = db().write([](Tx& tx) -> core::Status {
    tx.sql() << "INSERT INTO counters (name, n) VALUES ('a', 1)";
    return core::ok_status();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().errc, core::Errc::kConflict);
}

// Read-modify-write from many threads: every increment lands, none is lost (SQLite retries
// SQLITE_BUSY; PostgreSQL serializes on the row lock).
TEST_P(StorageTest, ConcurrentWritersLoseNothing) {
  constexpr int kThreads = 6;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto st = db().write([](Tx& tx) -> core::Status {
          long long n = 0;
          const char* lock = tx.is_postgres() ? " FOR UPDATE" : "";
          tx.sql() << std::string("SELECT n FROM counters WHERE name = 'a'") + lock,
              soci::into(n);
          tx.sql() << "UPDATE counters SET n = :n WHERE name = 'a'", soci::use(n + 1);
          return core::ok_status();
        });
        if (!st.ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(counter(), kThreads * kEach);
}

TEST_P(StorageTest, AnUnwritableSqliteFileIsUnavailableNotABug) {
  EXPECT_EQ(classify(soci::sqlite3_soci_error("disk I/O error", 778)), DbFailure::kConnection);
  EXPECT_EQ(classify(soci::sqlite3_soci_error("attempt to write a readonly database", 8)),
            DbFailure::kConnection);
  EXPECT_EQ(classify(soci::sqlite3_soci_error("unable to open database file", 14)),
            DbFailure::kConnection);
  EXPECT_EQ(classify(soci::sqlite3_soci_error("database or disk is full", 13)),
            DbFailure::kConnection);
  EXPECT_EQ(classify(soci::sqlite3_soci_error("database is locked", 5)), DbFailure::kRetryable);
  EXPECT_EQ(classify(soci::sqlite3_soci_error("no such table: x", 1)), DbFailure::kOther);
}

// A SQLite file that stops taking writes mid-run (made immutable: chmod means nothing to root,
// nor to a descriptor already open) fails writes as unavailable (HTTP 503), keeps reads, and
// ping reports it until writes work again.
TEST_P(StorageTest, SqliteFileThatStopsTakingWritesIsUnavailableUntilItDoes) {
  if (GetParam() != Backend::kSqlite) {
    GTEST_SKIP() << "SQLite only";
  }
  char tmpl[] = "/tmp/hqadz-ro-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string files = dir + "/x.db " + dir + "/x.db-wal";
  struct Cleanup {
    std::string dir, files;
    ~Cleanup() {
      (void)std::system(("chattr -i " + files + " 2>/dev/null").c_str());
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir, files};
  auto db = Database::open({.url = "sqlite://" + dir + "/x.db", .pool_size = 2});
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto add = [&] {
    return (*db)->write([](Tx& tx) -> core::Status {
      tx.sql() << "INSERT INTO t (x) VALUES (1)";
      return core::ok_status();
    });
  };
  ASSERT_TRUE((*db)->write([](Tx& tx) -> core::Status {
                   tx.sql() << "CREATE TABLE t (x INTEGER)";
                   return core::ok_status();
                 }).ok());
  ASSERT_TRUE(add().ok());
  if (std::system(("chattr +i " + files + " 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "chattr +i is not available here (needs root and ext4 or similar)";
  }
  auto failed = add();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().errc, core::Errc::kUnavailable) << failed.error().message;
  EXPECT_FALSE((*db)->ping().ok()) << "a database that takes no writes is not healthy";
  auto count = (*db)->read([](Tx& tx) -> core::Result<int> {
    int n = 0;
    tx.sql() << "SELECT COUNT(*) FROM t", soci::into(n);
    return n;
  });
  ASSERT_TRUE(count.ok()) << "reads still work";
  EXPECT_EQ(*count, 1);
  ASSERT_EQ(std::system(("chattr -i " + files).c_str()), 0);
  EXPECT_TRUE((*db)->ping().ok());
  EXPECT_TRUE(add().ok());
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(StorageTest);

TEST(RedactUrl, HidesThePassword) {
  EXPECT_EQ(redact_url("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(redact_url("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
}

TEST(OpenDatabase, RejectsUnknownSchemes) {
  auto db = Database::open({.url = "mysql://x"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, "bad_database_url");
}

}  // namespace
}  // namespace hqadz::storage
