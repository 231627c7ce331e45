#pragma once
/// RPC error names → ErrorKind: the one table where Telegram's strings are matched (DESIGN
/// section 5, issue 15). The engine and the CLI branch on ErrorKind and the predicates below.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "telegram/account.hpp"

namespace hqadz::telegram {

/// The kind of an rpc_error (code, name) about `subject`. Known names first (exact, then the
/// patterns FLOOD_WAIT_X, FROZEN_*, AUTH_KEY_*, CHAT_SEND_*_FORBIDDEN, *_CALL_ERROR, Timeout),
/// then by code: ≥ 500 or ≤ -500 → kTransient, 401 → kAccountDead, 420 without seconds and
/// 406 → kAccountLimited, anything else (400, 403, ...) → kOther. Pure; thread-safe.
ErrorKind classify(std::int32_t code, std::string_view name, Subject subject);
/// The same error read as being about `subject` (RpcError::kind is the kTarget reading).
inline ErrorKind kind_for(const RpcError& error, Subject subject) {
  return classify(error.code, error.name, subject);
}
/// The kind's stable name: "DELIVERED", "TRANSIENT", "ACCOUNT_WAIT", ..., "OTHER".
std::string_view kind_name(ErrorKind kind);

/// Maps an rpc_error (code, message) to an RpcError classified for a target; waits (FLOOD_WAIT_X,
/// SLOWMODE_WAIT_X, any 420 ending in _X) carry X seconds (0 reads as 1, as Telethon does).
RpcError rpc_error_from(std::int32_t code, std::string_view message);
/// A network-level failure (no reply from Telegram): kTransient with this name.
RpcError transient_error(std::string name);

/// The account is not a member of that channel (USER_NOT_PARTICIPANT, CHANNEL_PRIVATE): for a
/// private group, the customer is told whom to invite.
bool is_not_participant(const RpcError& error);
/// X of USER_MIGRATE_X / PHONE_MIGRATE_X / NETWORK_MIGRATE_X (303 errors), if it is one.
std::optional<int> migrate_dc(const RpcError& error);

}  // namespace hqadz::telegram
