#pragma once
/// The engine's reactions to Telegram (DESIGN section 5's table), as one pure function: what a
/// reply means for the slot, the account, the group and the adbot. The client classifies every
/// reply into an ErrorKind (src/telegram/client/rpc_errors); this maps a kind to its scope and
/// reaction. The engine applies the decision in one transaction. Nothing here swaps stock in: a
/// frozen, banned or dead account is only retired and reported (DESIGN section 6).
///
/// `detail` is what a customer reads (the slot, the log, the group's last error, the owner's
/// notice): a plain sentence, never a Telegram error name. `admin_detail` adds the name for the
/// operator (the account's status reason, the admin's notice).

#include <cstdint>
#include <optional>
#include <string>

#include "telegram/account.hpp"

namespace hqadz::engine {

/// What a reply was about: the group sent to (or joined), or the post's channel.
enum class About { kGroup, kSource };

struct Reaction {
  /// Final outcome of the slot, or nullopt: not delivered, the slot is due again later.
  std::optional<std::string> outcome;  // SENT | DROPPED | FAILED | SKIPPED
  std::string event_kind;              // SENT, FLOOD_WAIT, SLOWMODE, WRITE_FORBIDDEN, BANNED, ...
  int64_t wait_seconds = 0;

  // Account (session) scope: account-wide kinds stop the account's lane at once.
  std::optional<std::string> session_status;  // BANNED | DEAD | FROZEN | LIMITED | COOLING
  int64_t session_pause_seconds = 0;          // flood_until = now + this
  bool notify_admin = false;
  bool notify_owner = false;
  bool stop_lane = false;  // the account sends nothing more this cycle
  bool no_joins = false;   // the account joins no more groups (it still sends where it is)

  // Account × group scope.
  /// DROPPED | AWAITING_APPROVAL: this account skips the group until kRecheckAfterDrop.
  std::optional<std::string> group_state;
  int64_t group_wait_seconds = 0;  // slow mode: next_allowed_at = now + this
  bool group_invalid = false;      // the target is not a usable group at all, for any account
  /// An unknown refusal of this group: counted once per cycle; the kStrikesToDrop-th drops the
  /// group for this account (outcome DROPPED instead of FAILED).
  bool strike = false;

  // Request scope.
  bool retry = false;  // transient: same random_id, after a backoff
  /// The slot keeps its PENDING row and random_id through a wait (an earlier try of it may
  /// have been delivered). Set by the driver.
  bool keep_random_id = false;
  /// With outcome SKIPPED: the same slot of the next cycle is sent with this one's random_id.
  bool carry = false;
  /// Adbot scope (the source): the adbot stops with `detail` as its reason.
  bool stop_adbot = false;

  std::string detail;
  std::string admin_detail;
};

inline constexpr int64_t kCoolingThresholdSeconds = 3600;
inline constexpr int64_t kLimitedPauseSeconds = 24 * 3600;
inline constexpr int64_t kPeerFloodPauseSeconds = kLimitedPauseSeconds;
inline constexpr int64_t kRecheckAfterDropSeconds = 3 * 24 * 3600;
inline constexpr int kStrikesToDrop = 3;

/// Customer-facing sentences the driver and the store share.
inline constexpr const char* kAwaitingApprovalText =
    "waiting for the group's admins to approve the join request";
inline constexpr const char* kNoJoinsText =
    "the account serving this group cannot join more groups; an administrator was told";
inline constexpr const char* kSourceProtectedText =
    "this post cannot be forwarded: its channel restricts forwarding";

/// A forward's reply (about the group it was sent to, or the source for the source kinds).
Reaction react(const telegram::Outcome<int32_t>& reply);
/// An error of a forward, a join or a resolution, about the group or about the post's channel.
Reaction react_error(const telegram::RpcError& error, About about = About::kGroup);

}  // namespace hqadz::engine
