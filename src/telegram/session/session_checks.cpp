#include "telegram/session/session_checks.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace hqadz::telegram {

bool is_ip_literal(const std::string& address) {
  unsigned char buf[16];
  if (address.empty() || address.size() >= INET6_ADDRSTRLEN) {
    return false;
  }
  return inet_pton(AF_INET, address.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, address.c_str(), buf) == 1;
}

core::Status check_session_values(const SessionData& s, const std::string& code_prefix,
                                  const std::string& message_prefix) {
  auto bad = [&](const char* what, const std::string& message) {
    return core::Error::invalid(code_prefix + what, message_prefix + message);
  };
  if (s.dc_id < kMinDcId || s.dc_id > kMaxDcId) {
    return bad("dc_id", "dc id " + std::to_string(s.dc_id) + " is out of range (" +
                            std::to_string(kMinDcId) + ".." + std::to_string(kMaxDcId) + ")");
  }
  if (s.port == 0) {
    return bad("port", "port 0 is not a valid port (1..65535)");
  }
  if (!is_ip_literal(s.server_address)) {
    return bad("address", "the server address is not an IPv4 or IPv6 address");
  }
  if (s.auth_key.size() != kAuthKeyBytes) {
    return bad("key_length",
               "the auth key is " + std::to_string(s.auth_key.size()) + " bytes; 256 expected");
  }
  if (std::all_of(s.auth_key.begin(), s.auth_key.end(), [](char c) { return c == 0; })) {
    return bad("no_key", "the auth key is all zeros (the session never logged in)");
  }
  return core::ok_status();
}

}  // namespace hqadz::telegram
