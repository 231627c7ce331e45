#pragma once
// Internal: the engine's shared state and the per-adbot driver. Not part of the public API.

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio.hpp>

#include <deque>
#include <map>
#include <condition_variable>
#include <mutex>
#include <set>

#include "domain/links.hpp"
#include "engine/engine.hpp"
#include "engine/journal.hpp"
#include "engine/notify_listener.hpp"
#include "engine/plan.hpp"
#include "engine/store.hpp"

namespace hqadz::engine {

namespace net = boost::asio;
using Pool = net::thread_pool;
using Strand = net::strand<net::any_io_executor>;

class Driver;

struct Engine::Impl : std::enable_shared_from_this<Engine::Impl> {
  Impl(storage::Database& d, const core::Clock& c, AccountFactory f, EngineSettings s,
       net::io_context* drivers_on);

  int64_t now_ms() const { return core::to_unix_ms(clock.now()); }
  void scan();
  void renew();
  void schedule_loops();
  void driver_done(int64_t adbot_id);
  std::shared_ptr<Driver> find(int64_t adbot_id);

  storage::Database& db;
  const core::Clock& clock;
  AccountFactory factory;
  EngineSettings settings;
  Pool pool;
  Journal journal;  // the drivers' sends and cycles, committed in groups
  Strand control;   // scan, renew, maintenance, the driver map's structure
  net::any_io_executor driver_exec;  // where the drivers' strands run
  std::condition_variable drivers_gone;  // signalled when `drivers` empties (stop() waits)
  net::steady_timer scan_timer;
  net::steady_timer renew_timer;
  net::steady_timer maintenance_timer;
  std::atomic<bool> running{false};
  mutable std::mutex mutex;
  std::map<int64_t, std::shared_ptr<Driver>> drivers;  // guarded by mutex
  std::unique_ptr<NotifyListener> listener;            // PostgreSQL only; set by start()
};

/// One slot waiting in an account's lane.
struct PendingSlot {
  std::string target;
  int64_t not_before = 0;
  int attempts = 0;
  int64_t random_id = 0;  // its PENDING row's (0: it has none; one is written before the send)
  /// A try with this random_id may have been delivered (a retry, a carried or resumed slot): a
  /// wait keeps the random_id, and giving up carries it to the next cycle.
  bool maybe_delivered = false;
};

/// One account's sequential sends within a cycle.
struct Lane {
  int64_t session_id = 0;
  std::deque<PendingSlot> queue;
  bool busy = false;
  bool done = false;
  std::unique_ptr<net::steady_timer> timer;
  /// The account's sends today and flood wait as this driver knows them: its outcomes go on
  /// before they are committed, so its next checks cannot read them from the database yet.
  store::AccountCounters counters;
  std::map<std::string, telegram::Peer> joined;  // groups resolved or joined in this cycle
  bool no_joins = false;  // Telegram said the account is in too many groups (not committed yet)
};

/// Drives one adbot: its cycles, its accounts, on one strand. Created when the engine takes the
/// adbot's lease, finished when the adbot stops or the lease is lost.
class Driver : public std::enable_shared_from_this<Driver> {
 public:
  Driver(std::shared_ptr<Engine::Impl> engine, int64_t adbot_id);
  void start(std::chrono::milliseconds delay);
  void poke();
  /// No more sends; closes accounts. `release` gives the lease back; `released` (if any) is
  /// called once that is committed (or failed).
  void halt(bool release, std::function<void()> released = nullptr);
  void check_post(const std::string& link, std::function<void(core::Result<bool>)> done);
  int64_t id() const { return id_; }

 private:
  void check_post_with(const std::optional<store::RunState>& st, const domain::PostLink& p,
                       const std::function<void(core::Result<bool>)>& done);
  void tick();
  /// The adbot's state, read in the journal; nullopt when it is gone or could not be read.
  void load_state(std::function<void(std::optional<store::RunState>)> then);
  void on_state(std::optional<store::RunState> st);
  void start_cycle(const store::RunState& st);
  void resume_cycle(const store::RunState& st);
  void run_lanes();
  void lane_next(Lane& lane);
  void lane_wait(Lane& lane, int64_t until);
  void finish_slot(Lane& lane, bool sent_something);
  void process(Lane& lane, PendingSlot slot);
  void decide(Lane& lane, PendingSlot slot, store::Preflight pf);
  void ensure_source(Lane& lane, PendingSlot slot, store::Preflight pf);
  void ensure_group(Lane& lane, PendingSlot slot, telegram::Peer source, store::Preflight pf);
  void send(Lane& lane, PendingSlot slot, telegram::Peer source, telegram::Peer group);
  void forward(Lane& lane, const PendingSlot& slot, const telegram::Peer& source,
               const telegram::Peer& group);
  void on_reply(Lane& lane, PendingSlot slot, telegram::Outcome<int32_t> reply);
  void handle(Lane& lane, PendingSlot slot, Reaction reaction, std::optional<int32_t> message_id);
  void after_apply(Lane& lane, PendingSlot slot, const Reaction& r, int64_t now);
  /// An outcome whose commit failed: its slot goes back to its lane, to be sent again.
  void outcome_lost(int64_t session_id, PendingSlot slot, const Reaction& r, int64_t now);
  /// A resolution or a join of the slot's group failed. `resolving_name`: the group's
  /// @username was being resolved (a name nobody holds is invalid for every account).
  void fail_group(Lane& lane, const PendingSlot& slot, const telegram::RpcError& error,
                  bool resolving_name = false);
  void stop_lane(Lane& lane, const std::string& why);
  void maybe_finish_cycle();
  std::shared_ptr<telegram::Account> account(int64_t session_id);
  Lane* lane_of(int64_t session_id);
  std::string source_key() const;
  int64_t now_ms() const { return engine_->now_ms(); }
  template <typename F>
  void on_strand(F&& f) {
    net::post(strand_, [self = shared_from_this(), f = std::forward<F>(f)]() mutable { f(); });
  }
  /// Runs `unit` in the journal's next transaction; `then(committed)` on this strand after.
  void journal(Journal::Unit unit, std::function<void(bool)> then,
               Journal::Commit when = Journal::Commit::kSoon);
  /// Reads committed rows, without waiting for any write; `then(ok)` on this strand after.
  void read(Journal::Unit unit, std::function<void(bool)> then);
  void make_lanes(const std::vector<Slot>& plan, const store::CycleBegin& begun);
  void add_to_lane(int64_t session_id, PendingSlot slot,
                   const std::map<int64_t, store::AccountCounters>& counters);
  /// Writes without waiting for the commit (units run in submission order, so a later unit of
  /// this driver sees it).
  void record(Journal::Unit unit);
  void expire(int64_t now);
  void stop_adbot(const std::string& reason, int64_t now);
  /// `carry`: the slot's random_id goes to its next cycle (an earlier try may be delivered).
  void skip(int64_t session_id, const std::string& target, const std::string& outcome,
            const std::string& kind, const std::string& detail, int64_t now, bool carry = false);
  struct SkipRecord {
    std::string outcome, kind, detail;
    bool carry = false;
  };
  void write_skip(store::SlotKey key, SkipRecord what, int64_t now);
  void save_peer(int64_t session_id, const std::string& key, const std::string& state,
                 const std::optional<telegram::Peer>& peer, const std::string& error, int64_t now);

  std::shared_ptr<Engine::Impl> engine_;
  const int64_t id_;
  Strand strand_;
  net::steady_timer timer_;
  bool halted_ = false;
  bool in_cycle_ = false;   // from the cycle's begin being asked for until its end is recorded
  bool loading_ = false;    // a tick's state is being read
  bool reload_ = false;     // another tick came meanwhile: read again
  bool finishing_ = false;  // the cycle's end is being recorded
  bool beginning_ = false;  // the cycle's begin is being recorded

  int unconfirmed_ = 0;      // slot outcomes and skips handed to the journal, not yet committed
  int64_t cycle_no_ = 0;
  int64_t cycle_deadline_ = 0;
  int64_t user_id_ = 0;
  int interval_seconds_ = 60;
  int daily_cap_ = 500;
  std::optional<domain::PostLink> post_;
  std::map<int64_t, std::shared_ptr<telegram::Account>> accounts_;
  std::map<int64_t, std::string> usernames_;
  std::map<int64_t, telegram::Peer> sources_;  // the post's channel as each account resolved it
  std::map<int64_t, std::unique_ptr<Lane>> lanes_;
};

}  // namespace hqadz::engine
