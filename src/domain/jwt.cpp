#include "domain/jwt.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hashing.hpp"

namespace hqadz::domain {
namespace {

core::Error unauthenticated(const std::string& why) {
  return {core::Errc::kUnauthenticated, "invalid_token", why};
}

}  // namespace

std::string sign_jwt(const AccessClaims& c, std::string_view secret) {
  static const std::string kHeader = crypto::to_base64url(R"({"alg":"HS256","typ":"JWT"})");
  const nlohmann::json payload = {{"sub", std::to_string(c.user_id)},
                                  {"uid", c.user_id},
                                  {"role", c.role},
                                  {"status", c.status},
                                  {"iat", c.issued_at},
                                  {"exp", c.expires_at},
                                  {"fam", c.family_id}};
  std::string signing_input = kHeader + "." + crypto::to_base64url(payload.dump());
  const std::string sig = crypto::hmac_sha256(secret, signing_input);
  return signing_input + "." + crypto::to_base64url(sig);
}

core::Result<AccessClaims> verify_jwt(std::string_view token, std::string_view secret,
                                      int64_t now_s) {
  if (token.size() > 4096) {
    return unauthenticated("token too long");
  }
  const auto d1 = token.find('.');
  const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) {
    return unauthenticated("malformed token");
  }
  const auto sig = crypto::from_base64(token.substr(d2 + 1));
  if (!sig || !crypto::constant_time_equal(
                  *sig, crypto::hmac_sha256(secret, token.substr(0, d2)))) {
    return unauthenticated("bad token signature");
  }
  const auto header_raw = crypto::from_base64(token.substr(0, d1));
  const auto payload_raw = crypto::from_base64(token.substr(d1 + 1, d2 - d1 - 1));
  if (!header_raw || !payload_raw) {
    return unauthenticated("malformed token");
  }
  const auto header = nlohmann::json::parse(*header_raw, nullptr, false);
  const auto payload = nlohmann::json::parse(*payload_raw, nullptr, false);
  if (!header.is_object() || header.value("alg", "") != "HS256" || !payload.is_object()) {
    return unauthenticated("unsupported token");
  }
  AccessClaims c;
  try {
    c.user_id = payload.at("uid").get<int64_t>();
    c.role = payload.at("role").get<std::string>();
    c.status = payload.at("status").get<std::string>();
    c.issued_at = payload.at("iat").get<int64_t>();
    c.expires_at = payload.at("exp").get<int64_t>();
    c.family_id = payload.at("fam").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return unauthenticated("malformed token claims");
  }
  if (c.family_id.empty() || c.family_id.size() > 64) {
    return unauthenticated("malformed token claims");
  }
  if (c.expires_at <= now_s) {
    return core::Error{core::Errc::kUnauthenticated, "token_expired", "the access token expired"};
  }
  return c;
}

}  // namespace hqadz::domain
