#pragma once
/// The statements of the send path, prepared once on the journal's own connection and run again
/// with new values: SQLite parses nothing per send and PostgreSQL executes a server-side prepared
/// statement. Each holds the variables it is bound to, so it never moves (held by unique_ptr).
///
/// Owned by the Journal, dropped whenever a transaction on its connection fails (a reconnect
/// invalidates prepared statements).

#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "telegram/account.hpp"

namespace hqadz::engine::store {

struct PeerRow {
  std::string state = "UNKNOWN";
  std::optional<telegram::Peer> peer;
  std::optional<int64_t> next_allowed_at;
  std::optional<int64_t> recheck_at;
};

struct EventArgs {
  int64_t adbot_id = 0;
  int64_t at = 0;
  std::string kind;
  std::optional<int64_t> session_id;
  std::optional<std::string> target;
  std::optional<int64_t> wait_seconds;
  std::string detail;
};

class Statements {
 public:
  explicit Statements(soci::session& sql);
  ~Statements();
  Statements(const Statements&) = delete;
  Statements& operator=(const Statements&) = delete;

  struct SessionGate {
    std::string status;
    std::optional<int64_t> flood_until;
    int64_t sends_today = 0;
    int64_t counters_day = 0;
    bool no_joins = false;  // Telegram answered CHANNELS_TOO_MUCH: it joins nothing more
  };
  std::optional<SessionGate> session_gate(int64_t session_id);

  /// Everything a send's checks read, in one statement: the adbot (nullopt: it is gone), the
  /// slot's outcome so far, the account, the blocklist, and the account's group and source
  /// peers.
  struct Checks {
    std::string status;
    std::optional<std::string> lease_owner;
    std::optional<int64_t> validity_end;
    std::optional<std::string> outcome;       // the slot's row, if it has one
    std::optional<SessionGate> session;       // nullopt: the account is gone
    bool blocklisted = false;
    PeerRow group;
    PeerRow source;
  };
  std::optional<Checks> checks(int64_t adbot_id, int64_t cycle, const std::string& target,
                               int64_t session_id, const std::string& source_key);

  /// What a cycle's start reads of its adbot (one row), its targets and its accounts.
  struct RunRow {
    std::string status;
    std::optional<std::string> lease_owner;
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
  };
  std::optional<RunRow> run_row(int64_t adbot_id);
  /// The adbot's ACTIVE groups not on the operator's blocklist, in order.
  std::vector<std::string> targets(int64_t adbot_id);
  struct AccountRow {
    int64_t id = 0;
    std::string status;
    std::optional<int64_t> flood_until;
    int64_t sends_today = 0;
    int64_t joins_today = 0;
    int64_t counters_day = 0;
    std::optional<std::string> tg_username;
  };
  std::vector<AccountRow> accounts(int64_t adbot_id);
  /// cycle_no + 1, IN_CYCLE with `plan`, only while RUNNING and leased by `owner`; the new
  /// cycle number, or 0 when not.
  int64_t begin_cycle(int64_t adbot_id, const std::string& owner, const std::string& plan,
                      int64_t now);
  void end_cycle(int64_t adbot_id, const std::string& owner, int64_t next_run_at);


  /// A fresh PENDING row; false when the slot has a row already.
  bool insert_pending(int64_t adbot_id, int64_t cycle, const std::string& target,
                      int64_t session_id, int64_t random_id, int64_t now);
  struct SlotRow {
    std::string outcome;
    int64_t random_id = 0;
  };
  std::optional<SlotRow> slot(int64_t adbot_id, int64_t cycle, const std::string& target,
                              int64_t session_id);
  /// The slot's final outcome (upsert: a slot that failed before its send has no row yet).
  /// `carry`: its random_id passes to the same slot of the next cycle (carried()).
  void set_outcome(int64_t adbot_id, int64_t cycle, const std::string& target, int64_t session_id,
                   const std::string& outcome, std::optional<int32_t> message_id,
                   const std::string& detail, int64_t now, bool carry = false);
  /// The random_ids cycle `cycle` left to the next one, by (session, target).
  std::map<std::pair<int64_t, std::string>, int64_t> carried(int64_t adbot_id, int64_t cycle);
  void add_event(const EventArgs& e);
  void bump_stats(int64_t adbot_id, int posts, int success, int failures, int floods, int64_t now);
  /// One more send today for the account (counters roll over at the UTC day).
  void count_send(int64_t session_id, int64_t now);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqadz::engine::store
