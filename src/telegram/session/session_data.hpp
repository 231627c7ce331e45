#pragma once
/// One Telegram account's MTProto session as Telethon stores it: data centre, address, port
/// and the 256-byte auth key. Importers for Telethon's two formats, and writers of them (for
/// tgsim and tests). Parsers treat their input as untrusted: precise errors, no crash.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hqadz::telegram {

struct SessionData {
  int dc_id = 0;                // 1..5 on Telegram; tgsim may use others in range 1..1000
  std::string server_address;   // IPv4 or IPv6 literal
  uint16_t port = 0;
  std::string auth_key;         // exactly 256 raw bytes
};

/// Telethon StringSession: "1" + urlsafe base64 (with padding) of
/// >B dc_id, 4- or 16-byte IP, >H port, 256-byte key. Error codes: "bad_string_session_*".
core::Result<SessionData> parse_string_session(std::string_view text);
std::string to_string_session(const SessionData& session);

/// Telethon SQLite .session file, version 7, loaded in memory (sqlite3_deserialize, read-only,
/// trusted_schema=OFF), never written to disk. Error codes: "bad_session_file_*" naming the
/// fault (not_sqlite, corrupt, too_large, no_version, wrong_version, no_sessions_table,
/// row_count, key_length, port, dc_id, address, ...).
core::Result<SessionData> parse_session_file(std::string_view bytes);
/// The bytes of a Telethon v7 .session file holding `session` (for tgsim and tests).
core::Result<std::string> make_session_file(const SessionData& session);

/// auth_key_id: the low 64 bits of SHA1(auth_key), as Telegram computes it. Not secret.
int64_t auth_key_id(std::string_view auth_key);
/// auth_key_id as 16 lowercase hex digits (of the unsigned value): how stock stores and shows it.
std::string auth_key_id_hex(std::string_view auth_key);

inline constexpr size_t kMaxSessionFileBytes = 1 << 20;
inline constexpr size_t kAuthKeyBytes = 256;
inline constexpr int kMinDcId = 1;
inline constexpr int kMaxDcId = 1000;

}  // namespace hqadz::telegram
