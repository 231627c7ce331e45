#include "telegram/client/rpc_errors.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace hqadz::telegram {
namespace {

// Exact names → kinds. Waits are matched by prefix below.
constexpr std::array<std::pair<std::string_view, RpcErrc>, 24> kExact = {{
    {"PEER_FLOOD", RpcErrc::kPeerFlood},
    {"CHAT_WRITE_FORBIDDEN", RpcErrc::kWriteForbidden},
    {"CHAT_SEND_PLAIN_FORBIDDEN", RpcErrc::kWriteForbidden},
    {"CHAT_SEND_MEDIA_FORBIDDEN", RpcErrc::kWriteForbidden},
    {"CHAT_SEND_GIFS_FORBIDDEN", RpcErrc::kWriteForbidden},
    {"CHAT_SEND_STICKERS_FORBIDDEN", RpcErrc::kWriteForbidden},
    {"CHAT_SEND_POLL_FORBIDDEN", RpcErrc::kWriteForbidden},
    {"CHAT_ADMIN_REQUIRED", RpcErrc::kWriteForbidden},
    {"CHAT_GUEST_SEND_FORBIDDEN", RpcErrc::kWriteForbidden},
    {"CHANNEL_PRIVATE", RpcErrc::kChannelPrivate},
    {"CHANNEL_INVALID", RpcErrc::kChannelPrivate},
    {"USER_BANNED_IN_CHANNEL", RpcErrc::kUserBannedInChannel},
    {"USER_DEACTIVATED", RpcErrc::kUserDeactivated},
    {"USER_DEACTIVATED_BAN", RpcErrc::kUserDeactivated},
    {"AUTH_KEY_UNREGISTERED", RpcErrc::kAuthKeyUnregistered},
    {"SESSION_REVOKED", RpcErrc::kSessionRevoked},
    {"AUTH_KEY_DUPLICATED", RpcErrc::kAuthKeyDuplicated},
    {"RANDOM_ID_DUPLICATE", RpcErrc::kRandomIdDuplicate},
    {"USERNAME_NOT_OCCUPIED", RpcErrc::kUsernameNotOccupied},
    {"USERNAME_INVALID", RpcErrc::kUsernameNotOccupied},
    {"MESSAGE_ID_INVALID", RpcErrc::kMessageIdInvalid},
    {"CHANNELS_TOO_MUCH", RpcErrc::kChannelsTooMuch},
    {"USER_NOT_PARTICIPANT", RpcErrc::kNotParticipant},
    {"RPC_CALL_FAIL", RpcErrc::kTransient},
}};

std::optional<int> suffix_number(std::string_view name, std::string_view prefix) {
  if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  auto digits = name.substr(prefix.size());
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

RpcError rpc_error_from(std::int32_t code, std::string_view message) {
  RpcError e{RpcErrc::kOther, code, std::string(message), 0};
  if (auto s = suffix_number(message, "FLOOD_WAIT_")) {
    e.kind = RpcErrc::kFloodWait;
    e.seconds = *s == 0 ? 1 : *s;  // as Telethon: X = 0 means "a moment"
    return e;
  }
  if (auto s = suffix_number(message, "SLOWMODE_WAIT_")) {
    e.kind = RpcErrc::kSlowModeWait;
    e.seconds = *s == 0 ? 1 : *s;
    return e;
  }
  if (auto s = suffix_number(message, "FLOOD_PREMIUM_WAIT_")) {
    e.kind = RpcErrc::kFloodWait;
    e.seconds = *s == 0 ? 1 : *s;
    return e;
  }
  for (const auto& [name, kind] : kExact) {
    if (message == name) {
      e.kind = kind;
      return e;
    }
  }
  if (code >= 500 || code == -500 || message == "TIMEOUT" ||
      message == "WORKER_BUSY_TOO_LONG_RETRY" || message.find("_CALL_ERROR") != message.npos) {
    e.kind = RpcErrc::kTransient;
  }
  return e;
}

RpcError transient_error(std::string name) {
  return RpcError{RpcErrc::kTransient, 0, std::move(name), 0};
}

std::string_view errc_name(RpcErrc kind) {
  switch (kind) {
    case RpcErrc::kFloodWait: return "FLOOD_WAIT";
    case RpcErrc::kSlowModeWait: return "SLOWMODE_WAIT";
    case RpcErrc::kPeerFlood: return "PEER_FLOOD";
    case RpcErrc::kWriteForbidden: return "CHAT_WRITE_FORBIDDEN";
    case RpcErrc::kChannelPrivate: return "CHANNEL_PRIVATE";
    case RpcErrc::kUserBannedInChannel: return "USER_BANNED_IN_CHANNEL";
    case RpcErrc::kUserDeactivated: return "USER_DEACTIVATED";
    case RpcErrc::kAuthKeyUnregistered: return "AUTH_KEY_UNREGISTERED";
    case RpcErrc::kSessionRevoked: return "SESSION_REVOKED";
    case RpcErrc::kAuthKeyDuplicated: return "AUTH_KEY_DUPLICATED";
    case RpcErrc::kRandomIdDuplicate: return "RANDOM_ID_DUPLICATE";
    case RpcErrc::kUsernameNotOccupied: return "USERNAME_NOT_OCCUPIED";
    case RpcErrc::kMessageIdInvalid: return "MESSAGE_ID_INVALID";
    case RpcErrc::kChannelsTooMuch: return "CHANNELS_TOO_MUCH";
    case RpcErrc::kNotParticipant: return "NOT_PARTICIPANT";
    case RpcErrc::kTransient: return "TRANSIENT";
    case RpcErrc::kOther: return "OTHER";
  }
  return "OTHER";
}

std::optional<int> migrate_dc(const RpcError& error) {
  if (error.code != 303) {
    return std::nullopt;
  }
  for (std::string_view prefix : {"USER_MIGRATE_", "PHONE_MIGRATE_", "NETWORK_MIGRATE_"}) {
    if (auto dc = suffix_number(error.name, prefix)) {
      return *dc;
    }
  }
  return std::nullopt;
}

}  // namespace hqadz::telegram
