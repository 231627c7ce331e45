#include "telegram/client/rpc_errors.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace hqadz::telegram {
namespace {

using K = ErrorKind;

// Names whose kind does not depend on what the request was about. Codes (mtcute's
// raw-errors.json, Telethon's errors.csv) are in the unit test; the names decide here.
constexpr std::array<std::pair<std::string_view, ErrorKind>, 36> kExact = {{
    {"USER_ALREADY_PARTICIPANT", K::kDelivered},
    {"RANDOM_ID_DUPLICATE", K::kDelivered},
    {"RPC_CALL_FAIL", K::kTransient},
    {"RPC_MCGET_FAIL", K::kTransient},
    {"WORKER_BUSY_TOO_LONG_RETRY", K::kTransient},
    {"MSGID_DECREASE_RETRY", K::kTransient},
    {"PEER_FLOOD", K::kAccountLimited},
    {"USER_BANNED_IN_CHANNEL", K::kAccountLimited},  // a spam restriction: every group
    {"USER_RESTRICTED", K::kAccountLimited},         // "you're spamreported"
    {"USER_DEACTIVATED", K::kAccountBanned},
    {"USER_DEACTIVATED_BAN", K::kAccountBanned},
    {"SESSION_EXPIRED", K::kAccountDead},
    {"SESSION_REVOKED", K::kAccountDead},
    {"SESSION_PASSWORD_NEEDED", K::kAccountDead},  // the key never finished its login
    {"CHANNELS_TOO_MUCH", K::kAccountNoJoins},
    {"CHAT_WRITE_FORBIDDEN", K::kGroupForbidden},
    {"CHAT_RESTRICTED", K::kGroupForbidden},
    {"CHAT_FORBIDDEN", K::kGroupForbidden},
    {"TOPIC_CLOSED", K::kGroupForbidden},
    {"CHAT_ADMIN_REQUIRED", K::kGroupForbidden},
    {"CHAT_GUEST_SEND_FORBIDDEN", K::kGroupForbidden},
    {"CHANNEL_PUBLIC_GROUP_NA", K::kGroupForbidden},
    {"USER_IS_BLOCKED", K::kGroupForbidden},
    {"YOU_BLOCKED_USER", K::kGroupForbidden},
    {"USER_PRIVACY_RESTRICTED", K::kGroupForbidden},
    {"TOPIC_DELETED", K::kGroupInvalid},
    {"TOPIC_ID_INVALID", K::kGroupInvalid},
    {"CHAT_INVALID", K::kGroupInvalid},
    {"INPUT_USER_DEACTIVATED", K::kGroupInvalid},
    {"INVITE_REQUEST_SENT", K::kGroupAwaitingApproval},
    {"INVITE_HASH_EXPIRED", K::kInviteInvalid},
    {"INVITE_HASH_INVALID", K::kInviteInvalid},
    {"INVITE_HASH_EMPTY", K::kInviteInvalid},
    {"CHAT_FORWARDS_RESTRICTED", K::kSourceProtected},
    {"MESSAGE_ID_INVALID", K::kSourceMissing},
    {"MSG_ID_INVALID", K::kSourceMissing},
}};

// Names that say "this peer cannot be used": a group the account may not write to or that
// does not exist, or, for the post's channel, a source the adbot cannot reach.
struct PeerName {
  std::string_view name;
  ErrorKind target;
};
constexpr std::array<PeerName, 8> kPeer = {{
    {"CHANNEL_PRIVATE", K::kGroupForbidden},
    {"USER_NOT_PARTICIPANT", K::kGroupForbidden},
    {"CHANNEL_INVALID", K::kGroupInvalid},
    {"CHANNEL_ID_INVALID", K::kGroupInvalid},
    {"PEER_ID_INVALID", K::kGroupInvalid},
    {"CHAT_ID_INVALID", K::kGroupInvalid},
    {"USERNAME_NOT_OCCUPIED", K::kGroupInvalid},
    {"USERNAME_INVALID", K::kGroupInvalid},
}};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::optional<int> suffix_number(std::string_view name, std::string_view prefix) {
  if (name.size() <= prefix.size() || !starts_with(name, prefix)) {
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

// X of a name ending in _X (FLOOD_WAIT_30, 2FA_CONFIRM_WAIT_604800), if it does.
std::optional<int> trailing_number(std::string_view name) {
  auto underscore = name.rfind('_');
  if (underscore == std::string_view::npos) {
    return std::nullopt;
  }
  return suffix_number(name, name.substr(0, underscore + 1));
}

struct Wait {
  ErrorKind kind;
  int seconds;
};

std::optional<Wait> wait_of(std::int32_t code, std::string_view name) {
  if (auto s = suffix_number(name, "SLOWMODE_WAIT_")) {
    return Wait{K::kGroupWait, *s};
  }
  for (std::string_view p : {"FLOOD_WAIT_", "FLOOD_PREMIUM_WAIT_", "FLOOD_TEST_PHONE_WAIT_"}) {
    if (auto s = suffix_number(name, p)) {
      return Wait{K::kAccountWait, *s};
    }
  }
  if (code == 420) {
    if (auto s = trailing_number(name)) {  // 2FA_CONFIRM_WAIT_X, TAKEOUT_INIT_DELAY_X, ...
      return Wait{K::kAccountWait, *s};
    }
  }
  return std::nullopt;
}

}  // namespace

ErrorKind classify(std::int32_t code, std::string_view name, Subject subject) {
  if (auto w = wait_of(code, name)) {
    return w->kind;
  }
  if (starts_with(name, "FROZEN_")) {
    return K::kAccountFrozen;  // FROZEN_METHOD_INVALID, FROZEN_PARTICIPANT_MISSING: any code
  }
  for (const auto& [known, kind] : kExact) {
    if (name == known) {
      return kind;
    }
  }
  for (const auto& p : kPeer) {
    if (name == p.name) {
      return subject == Subject::kSource ? K::kSourceMissing : p.target;
    }
  }
  if (starts_with(name, "AUTH_KEY_")) {
    return K::kAccountDead;  // UNREGISTERED, INVALID, PERM_EMPTY, DUPLICATED
  }
  if (starts_with(name, "CHAT_SEND_") && ends_with(name, "_FORBIDDEN")) {
    return K::kGroupForbidden;  // PLAIN, MEDIA, GIFS, ..., and whatever Telegram adds
  }
  if (ends_with(name, "_CALL_ERROR") || ends_with(name, "_CALL_RICH_ERROR") ||
      iequals(name, "Timeout") || iequals(name, "Timedout")) {
    return K::kTransient;
  }
  if (code >= 500 || code <= -500) {
    return K::kTransient;
  }
  switch (code) {
    case 401: return K::kAccountDead;
    case 420:  // a flood without seconds
    case 406: return K::kAccountLimited;
    default: return K::kOther;
  }
}

std::string_view kind_name(ErrorKind kind) {
  switch (kind) {
    case K::kDelivered: return "DELIVERED";
    case K::kTransient: return "TRANSIENT";
    case K::kAccountWait: return "ACCOUNT_WAIT";
    case K::kAccountLimited: return "ACCOUNT_LIMITED";
    case K::kAccountFrozen: return "ACCOUNT_FROZEN";
    case K::kAccountBanned: return "ACCOUNT_BANNED";
    case K::kAccountDead: return "ACCOUNT_DEAD";
    case K::kAccountNoJoins: return "ACCOUNT_NO_JOINS";
    case K::kGroupWait: return "GROUP_WAIT";
    case K::kGroupForbidden: return "GROUP_FORBIDDEN";
    case K::kGroupInvalid: return "GROUP_INVALID";
    case K::kGroupAwaitingApproval: return "GROUP_AWAITING_APPROVAL";
    case K::kInviteInvalid: return "INVITE_INVALID";
    case K::kSourceProtected: return "SOURCE_PROTECTED";
    case K::kSourceMissing: return "SOURCE_MISSING";
    case K::kOther: return "OTHER";
  }
  return "OTHER";
}

RpcError rpc_error_from(std::int32_t code, std::string_view message) {
  RpcError e{classify(code, message, Subject::kTarget), code, std::string(message), 0};
  if (auto w = wait_of(code, message)) {
    e.seconds = w->seconds == 0 ? 1 : w->seconds;  // as Telethon: X = 0 means "a moment"
  }
  return e;
}

RpcError transient_error(std::string name) {
  return RpcError{ErrorKind::kTransient, 0, std::move(name), 0};
}

bool is_not_participant(const RpcError& error) {
  return error.name == "USER_NOT_PARTICIPANT" || error.name == "CHANNEL_PRIVATE";
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
