#pragma once
/// The engine's group commit. Drivers hand it units of SQL (a slot's checks and its PENDING row,
/// a reply's outcome, a cycle's begin and end); one thread runs everything queued so far in ONE
/// write transaction, commits, and only then calls each unit's `done` — so nothing is sent before
/// its PENDING row is committed, exactly as with one transaction per unit (DESIGN section 5),
/// but a thousand deliveries a second cost a few transactions, not three thousand.
///
/// A batch is what arrived while the previous transaction ran, or within `window` of its first
/// unit, whichever is more (at most `max_batch` units): a commit costs about as much for one
/// row as for a hundred, so a unit waits at most `window` for company. A zero window commits
/// as soon as the thread is free.
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

  explicit Journal(storage::Database& db,
                   std::chrono::microseconds window = std::chrono::microseconds(0),
                   size_t max_batch = 512);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  void submit(Unit unit, Done done);
  /// Runs what is queued, then ends the thread. Units submitted afterwards fail at once.
  void stop();

  /// Counters for tests and benchmarks.
  struct Stats {
    uint64_t units = 0;
    uint64_t transactions = 0;
  };
  Stats stats() const;

 private:
  struct Item {
    Unit unit;
    Done done;
  };
  void loop();
  bool run_batch(std::deque<Item>& batch, std::vector<bool>& ok);

  storage::Database& db_;
  const std::chrono::microseconds window_;
  const size_t max_batch_;
  std::chrono::steady_clock::time_point first_at_;  // when the oldest queued unit came
  std::unique_ptr<storage::OwnConnection> conn_;
  std::unique_ptr<store::Statements> statements_;  // prepared on conn_; dropped on any failure
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace hqadz::engine
