#include "engine/journal.hpp"

#include <spdlog/spdlog.h>

#include "engine/statements.hpp"

namespace hqadz::engine {

Journal::Journal(storage::Database& db, std::chrono::microseconds window, size_t max_batch)
    : db_(db),
      window_(window),
      max_batch_(std::max<size_t>(1, max_batch)),
      conn_(db.own_connection()),
      thread_([this] { loop(); }) {}

Journal::~Journal() { stop(); }

void Journal::submit(Unit unit, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(unit), std::move(done)});
      if (queue_.size() == 1) {
        first_at_ = std::chrono::steady_clock::now();
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

bool Journal::run_batch(std::deque<Item>& batch, std::vector<bool>& ok) {
  auto st = db_.run_on(*conn_, storage::TxMode::kWrite, [&](storage::Tx& tx) -> core::Status {
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
    run_batch(one, r);
    ok[i] = r[0];
  }
  return false;
}

void Journal::loop() {
  std::deque<Item> batch;
  std::vector<bool> ok;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and everything queued has run
      }
      if (window_.count() > 0) {
        cv_.wait_until(lock, first_at_ + window_,
                       [this] { return stopping_ || queue_.size() >= max_batch_; });
      }
      batch.swap(queue_);
    }
    run_batch(batch, ok);
    {
      std::lock_guard lock(mutex_);
      stats_.units += batch.size();
      stats_.transactions += 1;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].done) {
        batch[i].done(ok[i]);
      }
    }
    batch.clear();
  }
}

}  // namespace hqadz::engine
