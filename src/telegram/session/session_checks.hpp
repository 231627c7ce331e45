#pragma once
/// Checks shared by both importers: the values of a session, whatever format brought them.

#include <string>

#include "core/result.hpp"
#include "telegram/session/session_data.hpp"

namespace hqadz::telegram {

/// dc id in [kMinDcId, kMaxDcId], port 1..65535, an IPv4/IPv6 literal, a 256-byte non-zero
/// key. Errors are kInvalidArgument with code `code_prefix` + "dc_id"|"port"|"address"|
/// "key_length"|"no_key" and a message starting with `message_prefix`.
core::Status check_session_values(const SessionData& session, const std::string& code_prefix,
                                  const std::string& message_prefix);

/// True for an IPv4 or IPv6 address literal (no host names, no zone ids).
bool is_ip_literal(const std::string& address);

}  // namespace hqadz::telegram
