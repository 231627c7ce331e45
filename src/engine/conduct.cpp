#include "engine/conduct.hpp"

#include <algorithm>

#include "telegram/client/rpc_errors.hpp"

namespace hqadz::engine {
namespace {

using telegram::ErrorKind;

std::string telegram_name(const telegram::RpcError& e) {
  return e.name.empty() ? "error " + std::to_string(e.code) : e.name;
}

bool is_group_kind(ErrorKind k) {
  return k == ErrorKind::kGroupForbidden || k == ErrorKind::kGroupInvalid ||
         k == ErrorKind::kGroupAwaitingApproval || k == ErrorKind::kInviteInvalid;
}

/// A refusal Telegram did not name in a way the table knows.
bool is_unknown_refusal(ErrorKind kind, const telegram::RpcError& e) {
  return kind == ErrorKind::kOther && (e.code == 400 || e.code == 403);
}

void account_wide(Reaction& r, std::string status, std::string kind) {
  r.outcome = "FAILED";
  r.event_kind = std::move(kind);
  r.session_status = std::move(status);
  r.notify_admin = true;
  r.notify_owner = true;
  r.stop_lane = true;
}

void stop_adbot(Reaction& r, std::string kind, std::string why) {
  r.outcome = "FAILED";
  r.event_kind = std::move(kind);
  r.stop_adbot = true;
  r.detail = std::move(why);
}

}  // namespace

Reaction react(const telegram::Outcome<int32_t>& reply) {
  if (reply.ok()) {
    Reaction r;
    r.outcome = "SENT";
    r.event_kind = "SENT";
    r.detail = "message " + std::to_string(reply.value());
    return r;
  }
  return react_error(reply.error());
}

Reaction react_error(const telegram::RpcError& e, About about) {
  Reaction r;
  const std::string tg = telegram_name(e);
  r.admin_detail = tg;
  // RpcError::kind reads the reply as about a group; some names mean another thing about the
  // post's channel (USERNAME_NOT_OCCUPIED: the post is gone).
  const ErrorKind kind =
      about == About::kSource ? telegram::kind_for(e, telegram::Subject::kSource) : e.kind;
  if (about == About::kSource && (is_group_kind(kind) || is_unknown_refusal(kind, e))) {
    // What refuses a group refuses the post's channel here: no slot can be served.
    stop_adbot(r, "SOURCE_UNREACHABLE",
               "the post's channel cannot be reached by the adbot's accounts");
    return r;
  }
  switch (kind) {
    case ErrorKind::kDelivered:
      // Delivered before (a retry after a lost answer): that is a success.
      r.outcome = "SENT";
      r.event_kind = "SENT";
      r.detail = "delivered (random_id already used)";
      break;
    case ErrorKind::kTransient:
      r.event_kind = "RETRY";
      r.retry = true;
      r.detail = "Telegram did not answer (" + tg + "); trying again";
      break;
    case ErrorKind::kAccountWait: {
      const int64_t seconds = std::max(1, e.seconds);
      r.event_kind = "FLOOD_WAIT";
      r.wait_seconds = seconds;
      r.session_pause_seconds = seconds;
      r.detail = "Telegram asked this account to wait " + std::to_string(seconds) + " s";
      if (seconds > kCoolingThresholdSeconds) {
        r.session_status = "COOLING";
        r.notify_admin = true;
        r.stop_lane = true;
        r.admin_detail = "a flood wait of " + std::to_string(seconds) + " s (" + tg + ")";
      }
      break;
    }
    case ErrorKind::kGroupWait:
      r.event_kind = "SLOWMODE";
      r.wait_seconds = e.seconds;
      r.group_wait_seconds = e.seconds;
      r.detail = "the group's slow mode: next post in " + std::to_string(e.seconds) + " s";
      break;
    case ErrorKind::kAccountLimited:
      // Spam restrictions (PEER_FLOOD, USER_BANNED_IN_CHANNEL...) hold for every group: the
      // account's lane stops now rather than trying each group once more.
      account_wide(r, "LIMITED", "LIMITED");
      r.session_pause_seconds = kLimitedPauseSeconds;
      r.detail = "Telegram restricted this account from posting; it is paused for 24 hours";
      r.admin_detail = "restricted by Telegram (" + tg + "); paused 24 h";
      break;
    case ErrorKind::kAccountFrozen:
      account_wide(r, "FROZEN", "FROZEN");
      r.detail = "Telegram froze this account; it is retired";
      r.admin_detail = "frozen by Telegram (" + tg + ")";
      break;
    case ErrorKind::kAccountBanned:
      account_wide(r, "BANNED", "BANNED");
      r.detail = "Telegram banned this account; it is retired";
      r.admin_detail = "banned by Telegram (" + tg + ")";
      break;
    case ErrorKind::kAccountDead:
      account_wide(r, "DEAD", "DEAD");
      r.detail = "this account's login is no longer valid; it is retired";
      r.admin_detail = "logged out by Telegram (" + tg + "); it needs a new login";
      break;
    case ErrorKind::kAccountNoJoins:
      r.outcome = "SKIPPED";
      r.event_kind = "NO_JOINS";
      r.no_joins = true;
      r.notify_admin = true;
      r.detail = kNoJoinsText;
      r.admin_detail = "in too many groups to join another (" + tg +
                       "); it keeps posting to the groups it is in";
      break;
    case ErrorKind::kGroupForbidden:
      r.outcome = "DROPPED";
      r.event_kind = "WRITE_FORBIDDEN";
      r.group_state = "DROPPED";
      r.detail = "this account may not post in this group";
      break;
    case ErrorKind::kGroupInvalid:
      r.outcome = "DROPPED";
      r.event_kind = "INVALID_GROUP";
      r.group_state = "DROPPED";
      r.detail = "this group cannot be found by this account";
      break;
    case ErrorKind::kGroupAwaitingApproval:
      r.outcome = "SKIPPED";
      r.event_kind = "AWAITING_APPROVAL";
      r.group_state = "AWAITING_APPROVAL";
      r.detail = kAwaitingApprovalText;
      break;
    case ErrorKind::kInviteInvalid:
      r.outcome = "DROPPED";
      r.event_kind = "INVITE_INVALID";
      r.group_state = "DROPPED";
      r.detail = "the group's invite link has expired or is not valid";
      break;
    case ErrorKind::kSourceProtected:
      stop_adbot(r, "SOURCE_PROTECTED", kSourceProtectedText);
      break;
    case ErrorKind::kSourceMissing:
      stop_adbot(r, "POST_MISSING",
                 "the post no longer exists, or its channel cannot be reached");
      break;
    case ErrorKind::kOther:
      r.outcome = "FAILED";
      r.event_kind = "ERROR";
      if (is_unknown_refusal(kind, e)) {
        r.strike = true;  // the store drops the group after kStrikesToDrop cycles of it
        r.detail = "Telegram refused this post in this group";
      } else {
        r.detail = "Telegram answered with an error this platform does not know";
      }
      break;
  }
  return r;
}

}  // namespace hqadz::engine
