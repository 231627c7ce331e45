#pragma once
/// The engine's group commit. Drivers hand it units of SQL (a slot's checks and its PENDING row,
/// a reply's outcome, a cycle's begin and end); one thread runs everything queued so far in ONE
/// write transaction, commits, and only then calls each unit's `done` — so nothing is sent before
/// its PENDING row is committed, exactly as with one transaction per unit (DESIGN section 5),
/// but a thousand deliveries a second cost a few transactions, not three thousand.
///
/// A batch is what arrived while the previous transaction ran, or within the window of its first
/// unit, whichever is more (at most `max_batch` units): a commit costs about as much for one
/// row as for a hundred, so a unit waits at most its window for company. A zero window commits
/// as soon as the thread is free.
///
/// Two kinds of write: a unit someone waits on before acting (a cycle's begin, whose PENDING rows
/// gate its sends) commits within `window`; a unit nobody waits on before going on (a reply's
/// outcome: the lane carries on, and re-queues the slot if the commit fails) may wait up to
/// `later_window` for company — the commit is what costs, so the longer window is what makes a
/// transaction carry tens of deliveries rather than one or two.
///
/// Reads (a send's checks) do not wait for any commit: they run as soon as the thread is free,
/// in their own read transaction, against what is committed. A reader that must see its own
/// earlier writes keeps them in memory until they are (the driver does, for its lanes).
///
/// A unit that throws (a constraint, a bug) must not take the others down: when a batch fails for
/// a reason other than the database being away, each unit is run again alone and only the
/// failing one is reported failed. Units write their results into what they captured and must
/// assign them afresh on every run (a busy database retries the whole transaction).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/database.hpp"

namespace hqadz::engine {

namespace store {
class Statements;
}

class Journal {
 public:
  using Unit = std::function<void(storage::Tx&, store::Statements&)>;
  /// ok: the unit's transaction committed. Called on the journal's thread: post elsewhere.
  using Done = std::function<void(bool ok)>;

  /// When a write must be committed: soon (someone waits for it) or later (it may wait for
  /// company; its `done` still comes after its commit).
  enum class Commit { kSoon, kLater };

  explicit Journal(storage::Database& db,
                   std::chrono::microseconds window = std::chrono::microseconds(0),
                   std::chrono::microseconds later_window = std::chrono::microseconds(0),
                   size_t max_batch = 512);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  void submit(Unit unit, Done done, Commit when = Commit::kSoon);
  /// Runs `unit` in a read transaction as soon as the thread is free, without waiting for the
  /// writes queued before it (it sees committed rows only); `done(ok)` right after.
  void read(Unit unit, Done done);
  /// SQLite: a read costs less than handing it to the journal's thread and back (two thread
  /// wake-ups), so it may run in the caller's thread instead, with read_here().
  bool reads_here() const;
  /// Runs `unit` now, in the calling thread, in a read transaction on a connection of its own
  /// (committed rows only, as read()); true when it ran.
  bool read_here(const Unit& unit);
  /// Runs what is queued, then ends the thread. Units submitted afterwards fail at once.
  void stop();

  /// Counters for tests and benchmarks.
  struct Stats {
    uint64_t units = 0;
    uint64_t transactions = 0;
    uint64_t reads = 0;
  };
  Stats stats() const;

 private:
  struct Item {
    Unit unit;
    Done done;
  };
  void loop();
  bool run_batch(std::deque<Item>& batch, std::vector<bool>& ok, storage::TxMode mode);
  static void finish(std::deque<Item>& items, const std::vector<bool>& ok);
  /// When the queued writes are due (time_point::max() when none are queued).
  std::chrono::steady_clock::time_point due_at() const;

  storage::Database& db_;
  const std::chrono::microseconds window_;
  const std::chrono::microseconds later_window_;
  const size_t max_batch_;
  using TimePoint = std::chrono::steady_clock::time_point;
  TimePoint soon_since_ = TimePoint::max();   // when the oldest queued kSoon write came
  TimePoint later_since_ = TimePoint::max();  // when the oldest queued kLater write came
  std::unique_ptr<storage::OwnConnection> conn_;
  std::unique_ptr<store::Statements> statements_;  // prepared on conn_; dropped on any failure
  std::mutex reader_mutex_;  // read_here(): its connection and statements
  std::unique_ptr<storage::OwnConnection> reader_conn_;
  std::unique_ptr<store::Statements> reader_statements_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Item> queue_;  // writes
  std::deque<Item> reads_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace hqadz::engine
