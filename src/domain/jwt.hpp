#pragma once
/// HS256 JSON Web Tokens, for 15-minute access tokens. Only HS256 is accepted ("alg":"none"
/// and algorithm confusion are refused).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hqadz::domain {

struct AccessClaims {
  int64_t user_id = 0;
  std::string role;    // USER | ADMIN
  std::string status;  // ACTIVE | SUSPENDED (at issue time)
  int64_t issued_at = 0;   // seconds since the epoch
  int64_t expires_at = 0;  // seconds since the epoch
  /// The refresh-token family this token was issued with: the token dies with its family
  /// (logout, reset-code, suspension), checked on every request.
  std::string family_id;
};

std::string sign_jwt(const AccessClaims& claims, std::string_view secret);
/// kUnauthenticated for anything malformed, badly signed or expired at `now_s` (a token without
/// a family, issued before families were carried, is malformed: its holder refreshes).
core::Result<AccessClaims> verify_jwt(std::string_view token, std::string_view secret,
                                      int64_t now_s);

}  // namespace hqadz::domain
