#pragma once
/// The engine's reactions to Telegram (DESIGN section 5's table), as one pure function: what a
/// reply means for the slot, the account, the group and the adbot. The engine applies the
/// decision in one transaction. Nothing here swaps stock in: a dead or banned account is only
/// retired and reported (DESIGN section 6).

#include <cstdint>
#include <optional>
#include <string>

#include "telegram/account.hpp"

namespace hqadz::engine {

struct Reaction {
  /// Final outcome of the slot, or nullopt: not delivered, the slot is due again later.
  std::optional<std::string> outcome;  // SENT | DROPPED | FAILED | SKIPPED
  std::string event_kind;              // SENT, FLOOD_WAIT, SLOWMODE, WRITE_FORBIDDEN, BANNED, ...
  int64_t wait_seconds = 0;

  // Account (session) scope.
  std::optional<std::string> session_status;  // BANNED | DEAD | LIMITED | COOLING
  int64_t session_pause_seconds = 0;          // flood_until = now + this
  bool notify_admin = false;
  bool notify_owner = false;
  bool stop_lane = false;  // the account sends nothing more this cycle

  // Account × group scope.
  bool drop_group_for_account = false;  // recheck after kRecheckAfterDrop
  int64_t group_wait_seconds = 0;       // slow mode: next_allowed_at = now + this
  bool group_invalid = false;           // the target is not a usable group at all

  // Request scope.
  bool retry = false;  // transient: same random_id, after a backoff
  bool post_missing = false;  // the source post is gone: the adbot stops

  std::string detail;
};

inline constexpr int64_t kCoolingThresholdSeconds = 3600;
inline constexpr int64_t kPeerFloodPauseSeconds = 24 * 3600;
inline constexpr int64_t kRecheckAfterDropSeconds = 3 * 24 * 3600;

Reaction react(const telegram::Outcome<int32_t>& reply);
Reaction react_error(const telegram::RpcError& error);

}  // namespace hqadz::engine
