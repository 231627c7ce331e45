#pragma once
/// Identity: sign-up, recovery, sign-in with an access code, access and refresh tokens, and the
/// admin's user management. Plain class over storage; the API maps results to HTTP.
///
/// Thread-safe (state lives in the database; the hash pool is internally synchronized).

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/hashing.hpp"
#include "domain/audit.hpp"
#include "domain/hash_pool.hpp"
#include "domain/mailer.hpp"
#include "domain/rate_limiter.hpp"
#include "domain/users.hpp"
#include "storage/database.hpp"

namespace hqadz::domain {

struct IdentitySettings {
  std::string jwt_secret;  // required, ≥ 32 bytes
  std::chrono::seconds access_ttl{15 * 60};
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
  std::chrono::seconds recovery_ttl{3600};
  crypto::Argon2Params argon2;
  size_t hash_concurrency = 2;
  size_t hash_queue = 32;
  RateRule sign_in{5, std::chrono::minutes(15)};  // failures, per address and per known device
  RateRule sign_in_global{300, std::chrono::minutes(1)};  // failures, all addresses together
  RateRule sign_up{10, std::chrono::hours(1)};         // requests per address
  RateRule recover{5, std::chrono::hours(1)};          // requests per email and per address
};

/// Who is asking, once a token checked out against the database.
struct Caller {
  int64_t user_id = 0;
  std::string role;
  std::string email;
};

struct Session {
  std::string access_token;
  int64_t expires_in = 0;  // seconds
  std::string refresh_token;
  std::string device_token;  // this browser answers only for its own failures next time
  User user;
};

/// A user and the access code to show once.
struct IssuedCode {
  User user;
  std::string access_code;
};

struct RequestContext {
  std::string client_address;
  std::optional<int64_t> actor_user_id;  // for the audit log
};

class IdentityService {
 public:
  IdentityService(storage::Database& db, const core::Clock& clock, Mailer& mailer,
                  IdentitySettings settings);

  // Public flows.
  /// Creates a USER. With email enabled the code goes by email and the answer holds no code;
  /// otherwise the answer holds it, once. A taken email answers the same way (a decoy code
  /// that opens nothing) and changes nothing.
  core::Result<nlohmann::json> sign_up(const std::string& email, const RequestContext& ctx);
  /// Emails a new code (valid beside the old one until used or expired). Requires email.
  core::Result<nlohmann::json> recover(const std::string& email, const RequestContext& ctx);
  core::Result<Session> sign_in(const std::string& email, const std::string& access_code,
                                const std::optional<std::string>& device_token,
                                const RequestContext& ctx);
  core::Result<Session> refresh(const std::string& refresh_token);
  core::Status sign_out(const std::string& refresh_token);
  /// Verifies an access token and re-reads the user: suspension applies at once.
  core::Result<Caller> authenticate(const std::string& access_token);
  core::Result<User> get_user(int64_t id);

  // Admin (and CLI) flows; every one writes the audit log.
  core::Result<IssuedCode> create_user(const std::string& email, const std::string& role,
                                       const RequestContext& ctx);
  core::Result<std::vector<User>> list_users(const UserFilter& filter);
  core::Result<User> set_suspended(int64_t user_id, bool suspended, const RequestContext& ctx);
  core::Result<IssuedCode> reset_code(int64_t user_id, const RequestContext& ctx);
  core::Result<std::vector<nlohmann::json>> list_audit(const AuditFilter& filter);

 private:
  core::Result<std::string> hash_code(const std::string& normalized);
  core::Result<bool> verify_code(const std::string& hash, const std::string& normalized);
  core::Result<Session> issue_session(storage::Tx& tx, const User& user,
                                      const std::string& family_id);
  std::string device_token_for(int64_t user_id) const;
  bool device_token_valid(const std::string& token, int64_t user_id) const;
  static std::string device_bucket(const std::string& device_token);
  int64_t now_ms() const { return core::to_unix_ms(clock_.now()); }

  storage::Database& db_;
  const core::Clock& clock_;
  Mailer& mailer_;
  IdentitySettings settings_;
  RateLimiter limiter_;
  HashPool hashes_;
};

}  // namespace hqadz::domain
