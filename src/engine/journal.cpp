#include "engine/journal.hpp"

#include <spdlog/spdlog.h>

#include "engine/statements.hpp"

namespace hqadz::engine {

Journal::Journal(storage::Database& db, std::chrono::microseconds window,
                 std::chrono::microseconds later_window, size_t max_batch)
    : db_(db),
      window_(window),
      later_window_(std::max(window, later_window)),
      max_batch_(std::max<size_t>(1, max_batch)),
      conn_(db.own_connection()),
      thread_([this] { loop(); }) {}

Journal::~Journal() { stop(); }

void Journal::submit(Unit unit, Done done, Commit when) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(unit), std::move(done)});
      TimePoint& since = when == Commit::kSoon ? soon_since_ : later_since_;
      // The thread waits for the earliest deadline: wake it when that may have moved.
      if (since == TimePoint::max()) {
        since = std::chrono::steady_clock::now();
        cv_.notify_one();
      } else if (queue_.size() == max_batch_) {
        cv_.notify_one();
      }
      return;
    }
  }
  if (done) {
    done(false);
  }
}

void Journal::read(Unit unit, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      reads_.push_back({std::move(unit), std::move(done)});
      if (reads_.size() == 1) {
        cv_.notify_one();
      }
      return;
    }
  }
  if (done) {
    done(false);
  }
}

bool Journal::reads_here() const { return db_.backend() == storage::Backend::kSqlite; }

bool Journal::read_here(const Unit& unit) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_conn_) {
    reader_conn_ = db_.own_connection();
  }
  auto st = db_.run_on(*reader_conn_, storage::TxMode::kRead, [&](storage::Tx& tx) -> core::Status {
    if (!reader_statements_) {
      reader_statements_ = std::make_unique<store::Statements>(tx.sql());
    }
    unit(tx, *reader_statements_);
    return core::ok_status();
  });
  if (!st.ok()) {
    reader_statements_.reset();
  }
  return st.ok();
}

Journal::TimePoint Journal::due_at() const {
  if (queue_.empty()) {
    return TimePoint::max();
  }
  if (queue_.size() >= max_batch_) {
    return TimePoint::min();
  }
  TimePoint due = TimePoint::max();
  if (soon_since_ != TimePoint::max()) {
    due = soon_since_ + window_;
  }
  if (later_since_ != TimePoint::max()) {
    due = std::min(due, later_since_ + later_window_);
  }
  return due;
}

void Journal::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
}

Journal::Stats Journal::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

bool Journal::run_batch(std::deque<Item>& batch, std::vector<bool>& ok, storage::TxMode mode) {
  auto st = db_.run_on(*conn_, mode, [&](storage::Tx& tx) -> core::Status {
    if (!statements_) {
      statements_ = std::make_unique<store::Statements>(tx.sql());
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].unit(tx, *statements_);
    }
    return core::ok_status();
  });
  if (st.ok()) {
    ok.assign(batch.size(), true);
    return true;
  }
  statements_.reset();  // a failed connection may have lost them; prepare again next time
  ok.assign(batch.size(), false);
  const bool database_away = st.error().code == "db_unavailable" || st.error().code == "db_busy";
  if (database_away || batch.size() == 1) {
    if (!database_away) {
      spdlog::error("engine: a database unit failed: {}", st.error().message);
    }
    return false;
  }
  // One unit is at fault (a constraint, a bug): the others must not fail with it. Run each
  // alone, in its own transaction.
  for (size_t i = 0; i < batch.size(); ++i) {
    std::deque<Item> one;
    one.push_back({batch[i].unit, nullptr});
    std::vector<bool> r;
    run_batch(one, r, mode);
    ok[i] = r[0];
  }
  return false;
}

void Journal::finish(std::deque<Item>& items, const std::vector<bool>& ok) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].done) {
      items[i].done(ok[i]);
    }
  }
  items.clear();
}

void Journal::loop() {
  std::deque<Item> batch;
  std::deque<Item> reads;
  std::vector<bool> ok;
  for (;;) {
    bool write = false;
    {
      std::unique_lock lock(mutex_);
      for (;;) {
        write = !queue_.empty() &&
                (stopping_ || std::chrono::steady_clock::now() >= due_at());
        if (write || !reads_.empty()) {
          break;
        }
        if (queue_.empty()) {
          if (stopping_) {
            return;  // everything queued has run
          }
          cv_.wait(lock);
        } else {
          cv_.wait_until(lock, due_at());
        }
      }
      reads.swap(reads_);
      if (write) {
        batch.swap(queue_);
        soon_since_ = TimePoint::max();
        later_since_ = TimePoint::max();
      }
    }
    if (!reads.empty()) {
      run_batch(reads, ok, storage::TxMode::kRead);
      {
        std::lock_guard lock(mutex_);
        stats_.reads += reads.size();
      }
      finish(reads, ok);
    }
    if (write) {
      run_batch(batch, ok, storage::TxMode::kWrite);
      {
        std::lock_guard lock(mutex_);
        stats_.units += batch.size();
        stats_.transactions += 1;
      }
      finish(batch, ok);
    }
  }
}

}  // namespace hqadz::engine
