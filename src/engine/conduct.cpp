#include "engine/conduct.hpp"

namespace hqadz::engine {

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

Reaction react_error(const telegram::RpcError& e) {
  using telegram::ErrorKind;
  Reaction r;
  r.detail = e.name.empty() ? "error" : e.name;
  switch (e.kind) {
    case ErrorKind::kDelivered:
      // Delivered before (a retry after a lost answer): that is a success.
      r.outcome = "SENT";
      r.event_kind = "SENT";
      r.detail = "delivered (random_id already used)";
      break;
    case ErrorKind::kAccountWait:
      r.event_kind = "FLOOD_WAIT";
      r.wait_seconds = e.seconds;
      r.session_pause_seconds = e.seconds;
      if (e.seconds > kCoolingThresholdSeconds) {
        r.session_status = "COOLING";
        r.notify_admin = true;
        r.stop_lane = true;
      }
      break;
    case ErrorKind::kGroupWait:
      r.event_kind = "SLOWMODE";
      r.wait_seconds = e.seconds;
      r.group_wait_seconds = e.seconds;
      break;
    case ErrorKind::kAccountLimited:
      r.outcome = "FAILED";
      r.event_kind = "PEER_FLOOD";
      r.session_status = "LIMITED";
      r.session_pause_seconds = kPeerFloodPauseSeconds;
      r.notify_admin = true;
      r.stop_lane = true;
      break;
    case ErrorKind::kGroupForbidden:
      r.outcome = "DROPPED";
      r.event_kind = "WRITE_FORBIDDEN";
      r.drop_group_for_account = true;
      break;
    case ErrorKind::kGroupInvalid:
      r.outcome = "DROPPED";
      r.event_kind = "INVALID_GROUP";
      r.group_invalid = true;
      break;
    case ErrorKind::kAccountBanned:
      r.outcome = "FAILED";
      r.event_kind = "BANNED";
      r.session_status = "BANNED";
      r.notify_admin = r.notify_owner = true;
      r.stop_lane = true;
      break;
    case ErrorKind::kAccountDead:
      r.outcome = "FAILED";
      r.event_kind = "DEAD";
      r.session_status = "DEAD";
      r.notify_admin = r.notify_owner = true;
      r.stop_lane = true;
      break;
    case ErrorKind::kSourceMissing:
      r.outcome = "FAILED";
      r.event_kind = "POST_MISSING";
      r.post_missing = true;
      break;
    case ErrorKind::kAccountNoJoins:
      r.outcome = "DROPPED";
      r.event_kind = "WRITE_FORBIDDEN";
      r.drop_group_for_account = true;
      r.detail = "the account is in too many groups to join another";
      break;
    case ErrorKind::kTransient:
      r.event_kind = "RETRY";
      r.retry = true;
      break;
    // Kinds the engine does not react to yet (issue 15 point 3 is the engine's part): as before.
    case ErrorKind::kAccountFrozen:
    case ErrorKind::kGroupAwaitingApproval:
    case ErrorKind::kInviteInvalid:
    case ErrorKind::kSourceProtected:
    case ErrorKind::kOther:
      r.outcome = "FAILED";
      r.event_kind = "ERROR";
      break;
  }
  return r;
}

}  // namespace hqadz::engine
