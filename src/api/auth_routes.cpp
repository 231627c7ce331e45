#include "api/auth_routes.hpp"

#include "api/schema.hpp"
#include "http/cookies.hpp"
#include "http/input.hpp"

#include <strings.h>

namespace hqadz::api {
namespace {

using http::Access;
using http::Request;
using http::Response;

constexpr int64_t kRefreshMaxAge = 30 * 24 * 3600;
constexpr int64_t kDeviceMaxAge = 365 * 24 * 3600;

namespace sc = schema;
const sc::Json kEmailBody = sc::obj({{"email", sc::string()}});
const sc::Json kRefreshBody = sc::obj({sc::opt("refresh_token", sc::string())});

Response session_response(const domain::Session& s, const ApiSettings& settings) {
  Response r = Response::ok({{"token", s.access_token},
                             {"refresh_token", s.refresh_token},
                             {"expires_in", s.expires_in},
                             {"user", domain::to_json(s.user)}});
  r.with_header("Set-Cookie", http::set_cookie_value(kRefreshCookie, s.refresh_token,
                                                     {.path = "/api/auth",
                                                      .max_age_s = kRefreshMaxAge,
                                                      .secure = settings.secure_cookies}));
  r.with_header("Set-Cookie", http::set_cookie_value(kAccessCookie, s.access_token,
                                                     {.path = "/api",
                                                      .max_age_s = s.expires_in,
                                                      .secure = settings.secure_cookies}));
  if (!s.device_token.empty()) {
    r.with_header("Set-Cookie", http::set_cookie_value(kDeviceCookie, s.device_token,
                                                       {.path = "/api/auth",
                                                        .max_age_s = kDeviceMaxAge,
                                                        .secure = settings.secure_cookies}));
  }
  r.with_header("Cache-Control", "no-store");
  return r;
}

/// The refresh token from the JSON body, else from its cookie.
std::string refresh_token_of(const Request& req) {
  if (req.json) {
    if (auto it = req.json->find("refresh_token"); it != req.json->end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  return http::cookie(req, kRefreshCookie).value_or("");
}

/// Refresh and logout accept an empty body (the web UI sends only the cookie).
void parse_optional_json(Request& req) {
  if (!req.body.empty()) {
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (j.is_object()) {
      req.json = std::move(j);
    }
  }
}

}  // namespace

domain::RequestContext request_context(const http::Request& request) {
  domain::RequestContext c;
  c.client_address = request.client_address;
  if (request.principal) {
    c.actor_user_id = request.principal->user_id;
  }
  return c;
}

std::string access_token_of(const http::Request& request) {
  if (auto h = request.header("Authorization")) {
    if (h->size() > 7 && strncasecmp(h->data(), "Bearer ", 7) == 0) {
      return std::string(h->substr(7));
    }
    return {};
  }
  if (request.method == "GET" || request.method == "HEAD") {
    return http::cookie(request, kAccessCookie).value_or("");
  }
  return {};
}

core::Result<http::Principal> TokenAuthenticator::authenticate(const http::Request& request) {
  const std::string token = access_token_of(request);
  if (token.empty()) {
    return core::Error{core::Errc::kUnauthenticated, "unauthenticated",
                       "sign in first (Authorization: Bearer <token>)"};
  }
  auto caller = identity_.authenticate(token);
  if (!caller.ok()) {
    return caller.error();
  }
  return http::Principal{caller->user_id,
                         caller->role == "ADMIN" ? http::Role::kAdmin : http::Role::kUser,
                         caller->email};
}

void add_auth_routes(http::Router& router, ApiContext& ctx) {
  const uint64_t kSmall = 16 * 1024;
  router.add({"POST", "/api/auth/signup", Access::kPublic,
              [&ctx](Request& req) {
                auto email = http::require_string(*req.json, "email", {.max_len = 254});
                if (!email.ok()) {
                  return Response::error(email.error());
                }
                return respond(ctx.identity.sign_up(*email, request_context(req)),
                               [](const nlohmann::json& j) { return j; });
              },
              true, kSmall},
             {.summary =
                  "Sign up with an email; without email configured the code is in the answer",
              .tag = "auth",
              .request = kEmailBody,
              .replies = {{200, "Signed up (or a decoy when the email is taken)",
                           sc::obj({{"email", sc::string()},
                                    {"message", sc::string()},
                                    sc::opt("access_code", sc::string())})}},
              .errors = {429}});

  router.add({"POST", "/api/auth/recover", Access::kPublic,
              [&ctx](Request& req) {
                auto email = http::require_string(*req.json, "email", {.max_len = 254});
                if (!email.ok()) {
                  return Response::error(email.error());
                }
                return respond(ctx.identity.recover(*email, request_context(req)),
                               [](const nlohmann::json& j) { return j; }, 202);
              },
              true, kSmall},
             {.summary = "Email a new access code",
              .tag = "auth",
              .request = kEmailBody,
              .replies = {{202, "Sent if the account exists",
                           sc::obj({{"message", sc::string()}})}},
              .errors = {429}});

  router.add({"POST", "/api/auth/verify-access-code", Access::kPublic,
              [&ctx](Request& req) {
                auto email = http::require_string(*req.json, "email", {.max_len = 254});
                if (!email.ok()) {
                  return Response::error(email.error());
                }
                auto code = http::require_string(*req.json, "access_code", {.max_len = 64});
                if (!code.ok()) {
                  return Response::error(code.error());
                }
                auto s = ctx.identity.sign_in(*email, *code, http::cookie(req, kDeviceCookie),
                                              request_context(req));
                if (!s.ok()) {
                  return Response::error(s.error());
                }
                return session_response(*s, ctx.settings);
              },
              true, kSmall},
             {.summary = "Sign in with email and access code (sets the session cookies)",
              .tag = "auth",
              .request = sc::obj({{"email", sc::string()}, {"access_code", sc::string()}}),
              .replies = {{200, "Signed in", sc::ref("Session")}},
              .errors = {401, 403, 429}});

  router.add({"POST", "/api/auth/refresh", Access::kPublic,
              [&ctx](Request& req) {
                parse_optional_json(req);
                auto s = ctx.identity.refresh(refresh_token_of(req));
                if (!s.ok()) {
                  return Response::error(s.error());
                }
                return session_response(*s, ctx.settings);
              },
              false, kSmall},
             {.summary = "A new access token for the refresh token (body or cookie)",
              .tag = "auth",
              .request = kRefreshBody,
              .replies = {{200, "Refreshed", sc::ref("Session")}},
              .errors = {400, 401, 403}});

  router.add({"POST", "/api/auth/logout", Access::kPublic,
              [&ctx](Request& req) {
                parse_optional_json(req);
                if (auto st = ctx.identity.sign_out(refresh_token_of(req)); !st.ok()) {
                  return Response::error(st.error());
                }
                Response r = Response::no_content();
                r.with_header("Set-Cookie", http::set_cookie_value(kRefreshCookie, "",
                                                                   {.path = "/api/auth",
                                                                    .max_age_s = 0}));
                r.with_header("Set-Cookie", http::set_cookie_value(kAccessCookie, "",
                                                                   {.path = "/api", .max_age_s = 0}));
                return r;
              },
              false, kSmall},
             {.summary = "Sign out: revoke the refresh token, clear the cookies",
              .tag = "auth",
              .request = kRefreshBody,
              .replies = {{204, "Signed out", nullptr}},
              .errors = {400, 401}});

  router.add({"GET", "/api/auth/me", Access::kUser,
              [&ctx](Request& req) {
                return respond(ctx.identity.get_user(req.who().user_id),
                               [](const domain::User& u) { return nlohmann::json{{"user", domain::to_json(u)}}; });
              }},
             {.summary = "The signed-in user",
              .tag = "auth",
              .replies = {{200, "The user", sc::obj({{"user", sc::ref("User")}})}}});
}

}  // namespace hqadz::api
