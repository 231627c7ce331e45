// Telethon's StringSession (telethon/sessions/string.py): "1" + urlsafe base64 (padded) of
// struct.pack('>B{4|16}sH256s', dc_id, ip, port, key). The decoder there picks the address
// length from the text length (352 characters: IPv4, otherwise IPv6); we accept exactly 352 or
// 368 and say what is wrong otherwise.
#include <arpa/inet.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "crypto/encoding.hpp"
#include "telegram/session/session_checks.hpp"
#include "telegram/session/session_data.hpp"

namespace hqadz::telegram {
namespace {

constexpr char kVersion = '1';
constexpr size_t kIpv4Chars = 352;  // base64 of 1 + 4 + 2 + 256 bytes
constexpr size_t kIpv6Chars = 368;  // base64 of 1 + 16 + 2 + 256 bytes

core::Error bad(const std::string& what, const std::string& message) {
  return core::Error::invalid("bad_string_session_" + what, "string_session: " + message);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

core::Result<SessionData> parse_string_session(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    return bad("empty", "the string session is empty");
  }
  if (text.front() != kVersion) {
    return bad("version", "a Telethon string session starts with '1'");
  }
  const std::string_view body = text.substr(1);
  if (body.size() != kIpv4Chars && body.size() != kIpv6Chars) {
    return bad("length", "a Telethon string session has " + std::to_string(kIpv4Chars + 1) +
                             " (IPv4) or " + std::to_string(kIpv6Chars + 1) +
                             " (IPv6) characters, this one has " + std::to_string(text.size()));
  }
  const bool url_safe_alphabet = std::all_of(body.begin(), body.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '=';
  });
  auto raw = url_safe_alphabet ? crypto::from_base64(body) : std::nullopt;
  const size_t ip_len = body.size() == kIpv4Chars ? 4 : 16;
  if (!raw || raw->size() != 1 + ip_len + 2 + kAuthKeyBytes) {
    return bad("base64", "the string session is not valid URL-safe base64");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(raw->data());
  SessionData out;
  out.dc_id = p[0];
  char addr[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(ip_len == 4 ? AF_INET : AF_INET6, p + 1, addr, sizeof addr) == nullptr) {
    return bad("address", "the server address cannot be read");
  }
  out.server_address = addr;
  out.port = static_cast<uint16_t>((p[1 + ip_len] << 8) | p[2 + ip_len]);
  out.auth_key = raw->substr(3 + ip_len);
  if (auto st = check_session_values(out, "bad_string_session_", "string_session: "); !st.ok()) {
    return st.error();
  }
  return out;
}

std::string to_string_session(const SessionData& session) {
  unsigned char ip[16] = {};
  size_t ip_len = 4;
  if (inet_pton(AF_INET, session.server_address.c_str(), ip) != 1) {
    ip_len = 16;
    if (inet_pton(AF_INET6, session.server_address.c_str(), ip) != 1) {
      return {};
    }
  }
  if (session.dc_id < 0 || session.dc_id > 255 || session.auth_key.size() != kAuthKeyBytes) {
    return {};
  }
  std::string raw;
  raw.push_back(static_cast<char>(session.dc_id));
  raw.append(reinterpret_cast<const char*>(ip), ip_len);
  raw.push_back(static_cast<char>(session.port >> 8));
  raw.push_back(static_cast<char>(session.port & 0xff));
  raw += session.auth_key;
  return std::string(1, kVersion) + crypto::to_base64url(raw, /*padded=*/true);
}

int64_t auth_key_id(std::string_view auth_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(auth_key.data(), auth_key.size(), digest, &len, EVP_sha1(), nullptr);
  uint64_t id = 0;
  for (int i = 7; i >= 0; --i) {  // bytes 12..20, little-endian
    id = (id << 8) | digest[12 + i];
  }
  return static_cast<int64_t>(id);
}

std::string auth_key_id_hex(std::string_view auth_key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  auto id = static_cast<uint64_t>(auth_key_id(auth_key));
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[id & 0xf];
    id >>= 4;
  }
  return out;
}

}  // namespace hqadz::telegram
