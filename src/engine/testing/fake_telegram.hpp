#pragma once
/// Test support: an in-memory Telegram for engine tests (the real client and tgsim are tested on
/// their own). Accounts answer at once; deliveries are recorded with their time and deduplicated
/// by (account, random_id) as Telegram does. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "telegram/account.hpp"

namespace hqadz::engine::testing {

struct Delivery {
  int64_t session_id = 0;
  std::string group;  // username
  int64_t random_id = 0;
  std::chrono::steady_clock::time_point at;
};

class FakeTelegram {
 public:
  void add_channel(const std::string& username, std::set<int32_t> posts);
  void add_group(const std::string& username, int slowmode_seconds = 0);
  void forbid_writing(const std::string& group, int64_t session_id);
  /// The next forward from `session_id` gets `error` instead of being delivered
  /// (`delivered_first`: delivered, then answered `error`, as a -503 after delivery).
  void script_error(int64_t session_id, telegram::RpcError error, bool delivered_first = false);
  /// The next join from `session_id` gets `error`.
  void script_join_error(int64_t session_id, telegram::RpcError error);
  /// Pretend a delivery happened earlier (a crash after sending, before recording).
  void deliver_silently(int64_t session_id, const std::string& group, int64_t random_id);

  std::shared_ptr<telegram::Account> account(int64_t session_id);

  std::vector<Delivery> deliveries() const;
  /// Blocks until at least `n` deliveries happened; false on timeout.
  bool wait_for(size_t n, std::chrono::milliseconds timeout) const;
  size_t forward_calls() const;
  size_t joins() const;

 private:
  friend class FakeAccount;
  struct Group {
    int64_t id = 0;
    int slowmode = 0;
    std::set<int64_t> forbidden;
    std::map<int64_t, std::chrono::steady_clock::time_point> last_post;
    std::set<int64_t> members;
  };
  telegram::Outcome<int32_t> forward(int64_t session, const telegram::Peer& to, int64_t random_id);

  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::map<std::string, std::pair<int64_t, std::set<int32_t>>> channels_;  // guarded by mutex_
  std::map<std::string, Group> groups_;                                    // guarded by mutex_
  struct Scripted {
    telegram::RpcError error;
    bool delivered_first = false;
  };
  std::map<int64_t, std::deque<Scripted>> scripted_;                       // guarded by mutex_
  std::map<int64_t, std::deque<telegram::RpcError>> scripted_joins_;       // guarded by mutex_
  std::vector<Delivery> deliveries_;                                       // guarded by mutex_
  std::set<std::pair<int64_t, int64_t>> seen_random_ids_;                  // guarded by mutex_
  size_t forward_calls_ = 0;                                               // guarded by mutex_
  size_t joins_ = 0;                                                       // guarded by mutex_
  int64_t next_id_ = 1000;                                                 // guarded by mutex_
};

}  // namespace hqadz::engine::testing
