#pragma once
/// /api/auth/*: sign-up, recovery, sign-in with an access code, refresh, me, logout.

#include "api/context.hpp"
#include "http/dispatcher.hpp"

namespace hqadz::api {

void add_auth_routes(http::Router& router, ApiContext& ctx);

/// The access token a request carries: the Bearer token (any method) or the access cookie
/// (GET and HEAD only, for EventSource); empty when none.
std::string access_token_of(const http::Request& request);

/// Bearer token (any method) or the access cookie (GET only, for EventSource).
class TokenAuthenticator final : public http::Authenticator {
 public:
  explicit TokenAuthenticator(domain::IdentityService& identity) : identity_(identity) {}
  core::Result<http::Principal> authenticate(const http::Request& request) override;

 private:
  domain::IdentityService& identity_;
};

inline constexpr const char* kRefreshCookie = "hqadz_refresh";
inline constexpr const char* kAccessCookie = "hqadz_access";
inline constexpr const char* kDeviceCookie = "hqadz_device";

}  // namespace hqadz::api
