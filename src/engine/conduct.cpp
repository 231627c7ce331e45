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
  using telegram::RpcErrc;
  Reaction r;
  r.detail = e.name.empty() ? "error" : e.name;
  switch (e.kind) {
    case RpcErrc::kRandomIdDuplicate:
      // Delivered before (a retry after a lost answer): that is a success.
      r.outcome = "SENT";
      r.event_kind = "SENT";
      r.detail = "delivered (random_id already used)";
      break;
    case RpcErrc::kFloodWait:
      r.event_kind = "FLOOD_WAIT";
      r.wait_seconds = e.seconds;
      r.session_pause_seconds = e.seconds;
      if (e.seconds > kCoolingThresholdSeconds) {
        r.session_status = "COOLING";
        r.notify_admin = true;
        r.stop_lane = true;
      }
      break;
    case RpcErrc::kSlowModeWait:
      r.event_kind = "SLOWMODE";
      r.wait_seconds = e.seconds;
      r.group_wait_seconds = e.seconds;
      break;
    case RpcErrc::kPeerFlood:
      r.outcome = "FAILED";
      r.event_kind = "PEER_FLOOD";
      r.session_status = "LIMITED";
      r.session_pause_seconds = kPeerFloodPauseSeconds;
      r.notify_admin = true;
      r.stop_lane = true;
      break;
    case RpcErrc::kWriteForbidden:
    case RpcErrc::kChannelPrivate:
    case RpcErrc::kUserBannedInChannel:
    case RpcErrc::kNotParticipant:
      r.outcome = "DROPPED";
      r.event_kind = "WRITE_FORBIDDEN";
      r.drop_group_for_account = true;
      break;
    case RpcErrc::kUsernameNotOccupied:
      r.outcome = "DROPPED";
      r.event_kind = "INVALID_GROUP";
      r.group_invalid = true;
      break;
    case RpcErrc::kUserDeactivated:
      r.outcome = "FAILED";
      r.event_kind = "BANNED";
      r.session_status = "BANNED";
      r.notify_admin = r.notify_owner = true;
      r.stop_lane = true;
      break;
    case RpcErrc::kAuthKeyUnregistered:
    case RpcErrc::kSessionRevoked:
    case RpcErrc::kAuthKeyDuplicated:
      r.outcome = "FAILED";
      r.event_kind = "DEAD";
      r.session_status = "DEAD";
      r.notify_admin = r.notify_owner = true;
      r.stop_lane = true;
      break;
    case RpcErrc::kMessageIdInvalid:
      r.outcome = "FAILED";
      r.event_kind = "POST_MISSING";
      r.post_missing = true;
      break;
    case RpcErrc::kChannelsTooMuch:
      r.outcome = "DROPPED";
      r.event_kind = "WRITE_FORBIDDEN";
      r.drop_group_for_account = true;
      r.detail = "the account is in too many groups to join another";
      break;
    case RpcErrc::kTransient:
      r.event_kind = "RETRY";
      r.retry = true;
      break;
    case RpcErrc::kOther:
      r.outcome = "FAILED";
      r.event_kind = "ERROR";
      break;
  }
  return r;
}

}  // namespace hqadz::engine
