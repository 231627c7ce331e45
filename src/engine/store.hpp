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
#include "storage/database.hpp"
#include "telegram/account.hpp"

namespace hqadz::engine::store {

// Leases.
std::vector<int64_t> claim(storage::Database& db, const std::string& owner, int64_t now,
                           int64_t until, int limit);
/// The leases renewed; an error when the database could not be asked (leases unknown).
core::Result<std::set<int64_t>> renew(storage::Database& db, const std::string& owner,
                                      int64_t until);
void release(storage::Database& db, int64_t adbot_id, const std::string& owner);

struct SessionInfo {
  int64_t id = 0;
  std::string status;
  std::optional<int64_t> flood_until;
  int64_t sends_today = 0;  // already reset when counters_day is not today
  int64_t joins_today = 0;
  std::optional<std::string> tg_username;
};

struct RunState {
  std::string status;
  bool leased = false;  // lease_owner is us
  int64_t user_id = 0;
  int64_t cycle_no = 0;
  std::string cycle_state;
  std::optional<std::string> cycle_plan;
  std::optional<int64_t> next_run_at;
  std::optional<int64_t> validity_end;
  std::optional<std::string> post_link;
  std::string distribution;
  int interval_seconds = 0;
  int daily_cap = 500;
  std::vector<std::string> targets;  // ACTIVE groups, in order
  std::vector<SessionInfo> sessions;  // assigned to this adbot
};
std::optional<RunState> load_run_state(storage::Database& db, int64_t adbot_id,
                                       const std::string& owner, int64_t now);

/// cycle_no += 1 with `plan`, only while RUNNING and leased by `owner`.
bool begin_cycle(storage::Database& db, int64_t adbot_id, const std::string& owner,
                 const std::vector<Slot>& plan, int64_t now, int64_t* cycle_no);
void finish_cycle(storage::Database& db, int64_t adbot_id, const std::string& owner,
                  int64_t next_run_at);

struct SlotRecord {
  std::string outcome;
  int64_t random_id = 0;
  int64_t created_at = 0;
};
std::map<std::pair<int64_t, std::string>, SlotRecord> slot_records(storage::Database& db,
                                                                   int64_t adbot_id,
                                                                   int64_t cycle_no);

struct KnownPeer {
  std::string state = "UNKNOWN";  // UNKNOWN | JOINED | DROPPED | INVALID
  std::optional<telegram::Peer> peer;
  std::optional<int64_t> next_allowed_at;
  std::optional<int64_t> recheck_at;
};

/// What must happen before a send, read in one transaction.
struct Preflight {
  enum class Verdict { kGo, kSkip, kDefer, kStopLane, kStopAdbot } verdict = Verdict::kGo;
  std::string outcome;  // for kSkip: SKIPPED | CAPPED | DROPPED
  std::string detail;
  int64_t until = 0;  // for kDefer
  bool expired = false;  // for kStopAdbot: the plan's validity ended
  bool db_unavailable = false;  // for kDefer: the database could not be read; not the slot's fault
  KnownPeer group;
  KnownPeer source;
};
Preflight preflight(storage::Database& db, int64_t adbot_id, const std::string& owner,
                    int64_t session_id, const std::string& target, const std::string& source_key,
                    int daily_cap, int64_t now);

void save_peer(storage::Database& db, int64_t session_id, const std::string& key,
               const std::string& state, const std::optional<telegram::Peer>& peer,
               const std::string& error, int64_t now);
/// Counts a join against the account's daily join cap; false when the cap is reached.
bool take_join(storage::Database& db, int64_t session_id, int cap, int64_t now);

/// The slot's random_id: the stored one when the slot is PENDING already (a resend), else a
/// fresh PENDING row. nullopt when the slot already has a final outcome; an error when the
/// database could not record it (then nothing may be sent).
core::Result<std::optional<int64_t>> pending_random_id(storage::Database& db, int64_t adbot_id,
                                                       int64_t cycle, const std::string& target,
                                                       int64_t session_id, int64_t now);

/// Writes a final outcome without a send (SKIPPED, CAPPED, DROPPED, UNKNOWN) and its event.
void record_skip(storage::Database& db, int64_t adbot_id, int64_t cycle, int64_t session_id,
                 const std::string& target, const std::string& outcome, const std::string& kind,
                 const std::string& detail, int64_t now);
void record_event(storage::Database& db, int64_t adbot_id, const std::string& kind,
                  std::optional<int64_t> session_id, std::optional<std::string> target,
                  std::optional<int64_t> wait_seconds, const std::string& detail, int64_t now);

/// Applies a reply in one transaction: the slot, the event, the stats, the account and group
/// state, the notifications. False when it could not be recorded (the slot stays as it was).
bool apply(storage::Database& db, int64_t adbot_id, int64_t user_id, int64_t cycle,
           int64_t session_id, const std::string& target, const Reaction& reaction,
           std::optional<int32_t> message_id, int64_t now);

/// Stops the adbot with a reason (e.g. its post is gone), notifies the owner.
void stop_adbot(storage::Database& db, int64_t adbot_id, const std::string& reason, int64_t now);

/// Expiry and its notices; returns how many adbots expired.
int expire_due(storage::Database& db, int64_t now);
void prune_events(storage::Database& db, int64_t older_than);

}  // namespace hqadz::engine::store
