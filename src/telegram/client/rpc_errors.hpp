#pragma once
/// RPC error names → typed RpcError: the one place Telegram's strings are matched (DESIGN
/// section 5). The engine and the CLI branch on RpcErrc only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "telegram/account.hpp"

namespace hqadz::telegram {

/// Maps an rpc_error (code, message) to its kind; waits carry their seconds. 5xx and
/// unknown -500-style codes are kTransient.
RpcError rpc_error_from(std::int32_t code, std::string_view message);
/// A network-level failure (no reply from Telegram): kTransient with this name.
RpcError transient_error(std::string name);
/// The kind's stable name, used as the CLI's error code: "FLOOD_WAIT", "AUTH_KEY_UNREGISTERED",
/// "TRANSIENT", ... (kOther: "OTHER"; callers print the error's own name instead).
std::string_view errc_name(RpcErrc kind);
/// X of USER_MIGRATE_X / PHONE_MIGRATE_X / NETWORK_MIGRATE_X (303 errors), if it is one.
std::optional<int> migrate_dc(const RpcError& error);

}  // namespace hqadz::telegram
