#pragma once
/// `hqadz session check|forward` as library functions (the CLI parses flags and prints): one
/// account, one short-lived connection, one JSON document as the answer.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "telegram/account.hpp"

namespace hqadz::telegram {

struct SessionToolOptions {
  SessionData session;
  std::int32_t api_id = 0;
  std::string api_hash;
  std::string telegram_dcs;  // HQADZ_TELEGRAM_DCS; empty: Telegram's own DCs
  std::chrono::milliseconds timeout{30'000};  // per request
  /// The wait before each retry of a TRANSIENT error, as the engine's: at most
  /// retry_delays.size() retries after the first try, with the same random_id. Tests pass zeros.
  std::vector<std::chrono::milliseconds> retry_delays{std::chrono::seconds(1),
                                                      std::chrono::seconds(4),
                                                      std::chrono::seconds(10)};
};

/// {"error": {"code", "message", "kind"}}: code is Telegram's own name (or ours for a local
/// failure), kind is kind_name(error.kind).
nlohmann::json error_json(const RpcError& error);
nlohmann::json error_json(std::string code, std::string message, std::string_view kind = "OTHER");

/// users.getUsers(self) → {"id", "first_name", "username", "layer"} or an error.
nlohmann::json check_session(const SessionToolOptions& options);

/// "https://t.me/name/123", "t.me/name/123", "@name/123" → channel username and post id.
struct PostLink {
  std::string username;
  std::int32_t post_id = 0;
};
core::Result<PostLink> parse_post_link(std::string_view link);
/// "https://t.me/name", "t.me/name", "@name", "name" → username. Private links are refused.
core::Result<std::string> parse_chat_link(std::string_view link);

/// Resolves both ends and forwards the post → {"message_id", "random_id", "attempts"} or an
/// error. message_id is null when Telegram did not say (a retry answered RANDOM_ID_DUPLICATE:
/// an earlier try delivered it).
nlohmann::json forward_post(const SessionToolOptions& options, std::string_view from_link,
                            std::string_view to_link);

}  // namespace hqadz::telegram
