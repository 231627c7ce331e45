#pragma once
/// The engine (DESIGN section 5): leases RUNNING adbots, drives their cycles on timers, applies
/// Telegram's replies under the conduct rules, resumes from the database after a crash.
///
/// start()/stop(); thread-safe. Scans, leases and maintenance run on its own small thread pool;
/// each adbot runs on its own strand — on that pool, or on the I/O context its Telegram
/// connections run on (so a reply reaches its adbot without a thread hop). Database work of the
/// adbots goes through a group commit (journal.hpp) and never blocks them. Several engines (processes) may share one PostgreSQL: leases make sure one
/// adbot — and so each of its accounts — is driven by one of them at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "telegram/account.hpp"

namespace boost::asio {
class io_context;
}

namespace hqadz::engine {

struct EngineSettings {
  std::string instance_id;  // empty: host:pid:random
  std::chrono::milliseconds lease_ttl{30'000};
  std::chrono::milliseconds renew_every{10'000};
  std::chrono::milliseconds scan_every{2'000};
  std::chrono::milliseconds maintenance_every{30'000};
  int gap_min_seconds = 15;
  int gap_max_seconds = 60;
  int join_cap_per_day = 20;
  std::chrono::milliseconds pending_bound{3'600'000};
  int max_claim_per_scan = 50;
  size_t threads = 4;
  std::chrono::milliseconds resume_spread{10'000};
  std::chrono::milliseconds resume_step{200};  // at most this apart when few are claimed at once
  int transient_retries = 3;
  /// How long a send's database work may wait to share a commit with others (journal.hpp).
  std::chrono::microseconds commit_window{2000};
  /// How long a write nobody waits on (a reply's outcome, a skip, a cycle's end) may wait for
  /// company: the lanes go on meanwhile, so this costs no latency (journal.hpp).
  std::chrono::microseconds later_commit_window{25000};
  std::chrono::milliseconds event_retention{30LL * 24 * 3'600'000};
  /// On PostgreSQL, LISTEN here for starts and stops made by other processes (empty: the scan
  /// alone finds them).
  std::string notify_url;
};

/// Opens (connects) the account of a stock row; null when it cannot be decrypted or loaded.
using AccountFactory = std::function<std::shared_ptr<telegram::Account>(int64_t session_id)>;

class Engine {
 public:
  /// `drivers_on`: where the adbots run (the accounts' I/O context); null: the engine's pool.
  Engine(storage::Database& db, const core::Clock& clock, AccountFactory accounts,
         EngineSettings settings, boost::asio::io_context* drivers_on = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void start();
  /// No send starts after this returns; leases are released, accounts closed.
  void stop();
  /// Something changed for this adbot (start, stop, config): look now, not at the next scan.
  void wake(int64_t adbot_id);
  /// Expiry, notices, returning cooled-down accounts, event retention. Also run on a timer.
  void run_maintenance_once();
  /// validate-post: does an assigned account of this adbot see the post? Answered with the
  /// account of the lease holder; when nobody drives the adbot, this engine leases it for the
  /// check. `done` gets {"ok":bool,"detail"} or an error.
  void validate_post(int64_t adbot_id, const std::string& post_link,
                     std::function<void(core::Result<bool>)> done);

  size_t driven() const;
  const std::string& instance_id() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hqadz::engine
