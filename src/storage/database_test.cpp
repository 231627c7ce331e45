#include "storage/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
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
