// The group commit, on SQLite and PostgreSQL: units share transactions, run in submission order,
// are reported only once committed, and one failing unit does not fail the others.
#include "engine/journal.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/statements.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::engine {
namespace {

using namespace std::chrono_literals;

class JournalTest : public storage::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) {
      return;
    }
    auto st = db().write([](storage::Tx& tx) -> core::Status {
      tx.sql() << "CREATE TABLE journal_probe (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)";
      return core::ok_status();
    });
    ASSERT_TRUE(st.ok()) << st.error().message;
  }

  /// A unit that inserts row `id`.
  static Journal::Unit insert(int id) {
    return [id](storage::Tx& tx, store::Statements&) {
      tx.sql() << "INSERT INTO journal_probe (id, v) VALUES (:id, :v)", soci::use(id),
          soci::use(id);
    };
  }
  /// A unit that counts the rows its transaction sees into `*into`.
  static Journal::Unit count(std::shared_ptr<int64_t> into) {
    return [into](storage::Tx& tx, store::Statements&) {
      long long n = 0;
      tx.sql() << "SELECT COUNT(*) FROM journal_probe", soci::into(n);
      *into = n;
    };
  }
  /// Rows as another connection sees them (committed only).
  int64_t rows() {
    auto r = db().read([](storage::Tx& tx) -> core::Result<int64_t> {
      long long n = 0;
      tx.sql() << "SELECT COUNT(*) FROM journal_probe", soci::into(n);
      return n;
    });
    return r.ok() ? *r : -1;
  }
};

TEST_P(JournalTest, UnitsQueuedTogetherShareOneTransactionAndAreReportedAfterItCommits) {
  // A 200 ms window: everything submitted below lands in the first batch.
  Journal journal(db(), 200ms);
  constexpr int kUnits = 50;
  std::vector<std::promise<std::pair<bool, int64_t>>> seen(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    journal.submit(insert(i + 1), [this, &seen, i](bool ok) {
      // Called after the commit: another connection sees every row of the batch.
      seen[i].set_value({ok, rows()});
    });
  }
  for (int i = 0; i < kUnits; ++i) {
    auto [ok, visible] = seen[i].get_future().get();
    EXPECT_TRUE(ok);
    EXPECT_EQ(visible, kUnits);
  }
  EXPECT_EQ(journal.stats().units, static_cast<uint64_t>(kUnits));
  EXPECT_EQ(journal.stats().transactions, 1u);
}

TEST_P(JournalTest, UnitsRunInSubmissionOrder) {
  Journal journal(db(), 5ms);
  std::vector<int> order;
  std::mutex m;
  std::promise<void> last;
  for (int i = 0; i < 20; ++i) {
    journal.submit(
        [i, &order, &m](storage::Tx&, store::Statements&) {
          std::lock_guard lock(m);
          order.push_back(i);
        },
        i == 19 ? Journal::Done([&last](bool) { last.set_value(); }) : nullptr);
  }
  last.get_future().get();
  std::vector<int> expected(20);
  for (int i = 0; i < 20; ++i) {
    expected[i] = i;
  }
  EXPECT_EQ(order, expected);
}

TEST_P(JournalTest, AFailingUnitFailsAloneAndTheOthersCommit) {
  Journal journal(db(), 200ms);
  std::vector<std::promise<bool>> done(3);
  journal.submit(insert(1), [&](bool ok) { done[0].set_value(ok); });
  journal.submit(insert(1), [&](bool ok) { done[1].set_value(ok); });  // duplicate key
  journal.submit(insert(2), [&](bool ok) { done[2].set_value(ok); });
  EXPECT_TRUE(done[0].get_future().get());
  EXPECT_FALSE(done[1].get_future().get());
  EXPECT_TRUE(done[2].get_future().get());
  EXPECT_EQ(rows(), 2);
}

TEST_P(JournalTest, StopRunsWhatIsQueuedAndLaterUnitsFailAtOnce) {
  Journal journal(db(), 100ms);
  std::promise<bool> queued;
  journal.submit(insert(1), [&](bool ok) { queued.set_value(ok); });
  journal.stop();
  EXPECT_TRUE(queued.get_future().get());
  EXPECT_EQ(rows(), 1);
  bool called = false;
  bool result = true;
  journal.submit(insert(2), [&](bool ok) {
    called = true;
    result = ok;
  });
  EXPECT_TRUE(called);  // synchronously: nothing runs the unit any more
  EXPECT_FALSE(result);
  EXPECT_EQ(rows(), 1);
}

// A read runs as soon as the thread is free, without waiting for the writes queued before it,
// and sees only what is committed.
TEST_P(JournalTest, AReadDoesNotWaitForQueuedWritesAndSeesOnlyCommittedRows) {
  Journal journal(db(), 60s, 60s);  // nothing commits before stop()
  std::promise<bool> written;
  journal.submit(insert(1), [&](bool ok) { written.set_value(ok); });
  std::promise<std::pair<bool, int64_t>> seen;
  auto seen_rows = std::make_shared<int64_t>(-1);
  journal.read(count(seen_rows), [&](bool ok) { seen.set_value({ok, *seen_rows}); });
  auto [ok, n] = seen.get_future().get();
  EXPECT_TRUE(ok);
  EXPECT_EQ(n, 0);      // the queued insert is not committed
  EXPECT_EQ(rows(), 0);
  journal.stop();
  EXPECT_TRUE(written.get_future().get());
  EXPECT_EQ(rows(), 1);
  EXPECT_EQ(journal.stats().reads, 1u);
}

// A write nobody waits on (kLater) waits for its long window, unless a kSoon write comes: then
// both commit together at the short one.
TEST_P(JournalTest, ALaterWriteRidesWithTheNextSoonOne) {
  Journal journal(db(), 0ms, 60s);
  std::promise<bool> later;
  journal.submit(insert(1), [&](bool ok) { later.set_value(ok); }, Journal::Commit::kLater);
  // Alone, it is not committed: a read (which waits for nothing) does not see it.
  std::promise<int64_t> before;
  auto seen_rows = std::make_shared<int64_t>(-1);
  journal.read(count(seen_rows), [&](bool) { before.set_value(*seen_rows); });
  EXPECT_EQ(before.get_future().get(), 0);
  std::promise<bool> soon;
  journal.submit(insert(2), [&](bool ok) { soon.set_value(ok); });
  auto later_done = later.get_future();
  // Bounded only so that a wrong journal fails instead of hanging for the 60 s window.
  ASSERT_EQ(later_done.wait_for(30s), std::future_status::ready);
  EXPECT_TRUE(later_done.get());
  EXPECT_TRUE(soon.get_future().get());
  EXPECT_EQ(rows(), 2);
  EXPECT_EQ(journal.stats().transactions, 1u);
}

// read_here() runs the unit in the calling thread, against committed rows only; a unit that
// fails reports false and the next one runs on a fresh start.
TEST_P(JournalTest, ReadHereRunsInTheCallingThreadAgainstCommittedRows) {
  Journal journal(db(), 60s, 60s);
  std::promise<bool> written;
  journal.submit(insert(1), [&](bool ok) { written.set_value(ok); });
  const auto caller = std::this_thread::get_id();
  std::thread::id ran_on;
  auto seen = std::make_shared<int64_t>(-1);
  auto counted = [&, unit = count(seen)](storage::Tx& tx, store::Statements& q) {
    ran_on = std::this_thread::get_id();
    unit(tx, q);
  };
  EXPECT_TRUE(journal.read_here(counted));
  EXPECT_EQ(ran_on, caller);
  EXPECT_EQ(*seen, 0);  // queued, not committed
  EXPECT_FALSE(journal.read_here([](storage::Tx& tx, store::Statements&) {
    tx.sql() << "SELECT nothing FROM no_such_table";
  }));
  journal.stop();
  EXPECT_TRUE(written.get_future().get());
  EXPECT_TRUE(journal.read_here(counted));
  EXPECT_EQ(*seen, 1);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(JournalTest);

}  // namespace
}  // namespace hqadz::engine
