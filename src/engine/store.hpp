#pragma once
/// The engine's SQL: leases, cycles, slots and the one-transaction application of a Telegram
/// reply. Everything the engine knows lives in these rows (DESIGN section 1: no second source
/// of truth); any process can die and another resumes from them.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/conduct.hpp"
#include "engine/plan.hpp"
#include "engine/statements.hpp"
#include "storage/database.hpp"
#include "telegram/account.hpp"

namespace hqadz::engine::store {

// Leases.
std::vector<int64_t> claim(storage::Database& db, const std::string& owner, int64_t now,
                           int64_t until, int limit);
/// The leases renewed; an error when the database could not be asked (leases unknown).
core::Result<std::set<int64_t>> renew(storage::Database& db, const std::string& owner,
                                      int64_t until);
void release(storage::Tx& tx, int64_t adbot_id, const std::string& owner);
void release(storage::Database& db, int64_t adbot_id, const std::string& owner);

/// An assigned account; sends_today and joins_today already reset when counters_day is not today.
using SessionInfo = Statements::AccountRow;

struct RunState : Statements::RunRow {
  bool leased = false;                // lease_owner is us
  std::vector<std::string> targets;   // ACTIVE groups, in order
  std::vector<SessionInfo> sessions;  // assigned to this adbot
};
std::optional<RunState> load_run_state(Statements& q, int64_t adbot_id, const std::string& owner,
                                       int64_t now);

/// What the driver counts itself between commits, per account: its sends today and its flood
/// wait (the database's values, once every write queued before is committed).
struct AccountCounters {
  int64_t day = 0;  // UTC day of `sends`
  int64_t sends = 0;
  int64_t flood_until = 0;
  /// One more send at `now` (counters roll over at the UTC day).
  void count_send(int64_t now);
  int64_t sends_on(int64_t now) const;
};
std::map<int64_t, AccountCounters> account_counters(Statements& q,
                                                    const std::vector<int64_t>& session_ids);

struct CycleBegin {
  int64_t cycle_no = 0;              // 0: not begun (not RUNNING or not leased by us)
  std::vector<int64_t> random_ids;   // per slot of the plan, its PENDING row's
  std::vector<bool> carried;         // per slot: its random_id came from the previous cycle
  std::map<int64_t, AccountCounters> accounts;
};
/// cycle_no += 1 with `plan` and a PENDING row (a fresh random_id, or the one the previous
/// cycle's slot carried) for every slot, only while RUNNING and leased by `owner`. The rows are
/// written before any send of the cycle, in the transaction the first send waits for, so a send
/// never waits for a write of its own.
CycleBegin begin_cycle(Statements& q, int64_t adbot_id, const std::string& owner,
                       const std::vector<Slot>& plan, int64_t now);
/// IDLE until `next_run_at`, and the CYCLE_DONE event.
void finish_cycle(Statements& q, int64_t adbot_id, const std::string& owner, int64_t cycle_no,
                  int64_t next_run_at, int64_t now);

struct SlotRecord {
  std::string outcome;
  int64_t random_id = 0;
  int64_t at = 0;  // its last change (created, or given its outcome)
};
std::map<std::pair<int64_t, std::string>, SlotRecord> slot_records(storage::Tx& tx,
                                                                   int64_t adbot_id,
                                                                   int64_t cycle_no);

using KnownPeer = PeerRow;  // UNKNOWN | JOINED | DROPPED | INVALID | KNOWN (a source)

/// What must happen before a send, read (committed rows, overlaid with what the driver counts
/// itself) just before it.
struct Preflight {
  enum class Verdict { kGo, kSkip, kDefer, kStopLane, kStopAdbot } verdict = Verdict::kGo;
  std::string outcome;  // for kSkip: SKIPPED | CAPPED | DROPPED
  std::string detail;
  int64_t until = 0;            // for kDefer
  bool expired = false;         // for kStopAdbot: the plan's validity ended
  bool db_unavailable = false;  // for kDefer: the database could not be read; not the slot's fault
  KnownPeer group;
  KnownPeer source;
  bool already_final = false;  // kGo, but the slot has its outcome already
  bool no_joins = false;       // kGo: the account may send where it is, but join nothing more
};
struct SlotKey {
  int64_t adbot_id = 0;
  int64_t cycle = 0;
  int64_t session_id = 0;
  std::string target;
};
/// Reads only: `mine` is the account's counters as the driver knows them (its own sends and
/// flood waits may not be committed yet).
Preflight preflight(Statements& q, const SlotKey& slot, const std::string& owner,
                    const std::string& source_key, int daily_cap, const AccountCounters& mine,
                    int64_t now);

void save_peer(storage::Tx& tx, int64_t session_id, const std::string& key,
               const std::string& state, const std::optional<telegram::Peer>& peer,
               const std::string& error, int64_t now);
/// Counts a join against the account's daily join cap; false when the cap is reached.
bool take_join(storage::Tx& tx, int64_t session_id, int cap, int64_t now);

/// The slot's random_id: `known` (non-zero) when this driver wrote its PENDING row before (a
/// retry), the stored one when the slot is PENDING already (a resend), else a fresh PENDING
/// row. nullopt when the slot already has a final outcome.
std::optional<int64_t> pend(Statements& q, const SlotKey& slot, int64_t known, int64_t now);

/// Writes a final outcome without a send (SKIPPED, CAPPED, DROPPED, UNKNOWN) and its event.
/// `carry`: the slot's random_id goes to the same slot of the next cycle (begin_cycle).
void record_skip(Statements& q, const SlotKey& slot, const std::string& outcome,
                 const std::string& kind, const std::string& detail, int64_t now,
                 bool carry = false);
void record_event(storage::Tx& tx, int64_t adbot_id, const std::string& kind,
                  std::optional<int64_t> session_id, std::optional<std::string> target,
                  std::optional<int64_t> wait_seconds, const std::string& detail, int64_t now);

/// Applies a reply in one unit: the slot, the event, the stats, the account and group state,
/// the notifications.
void apply(storage::Tx& tx, Statements& q, const SlotKey& slot, int64_t user_id,
           const Reaction& reaction, std::optional<int32_t> message_id, int64_t now);

/// Stops the adbot with a reason (e.g. its post is gone), notifies the owner.
void stop_adbot(storage::Tx& tx, int64_t adbot_id, const std::string& reason, int64_t now);

/// Expiry and its notices; returns how many adbots expired.
int expire_due(storage::Tx& tx, int64_t now);
int expire_due(storage::Database& db, int64_t now);
void prune_events(storage::Database& db, int64_t older_than);

}  // namespace hqadz::engine::store
