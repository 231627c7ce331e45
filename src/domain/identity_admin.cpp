// The admin's (and the CLI's) user management. Every action writes the audit log in the same
// transaction.
#include "domain/codes.hpp"
#include "domain/identity.hpp"

namespace hqadz::domain {
namespace {

void revoke_all_sessions(storage::Tx& tx, int64_t user_id, long long now) {
  const long long uid = user_id;
  tx.sql() << "UPDATE refresh_tokens SET revoked_at = :n WHERE user_id = :u AND revoked_at IS NULL",
      soci::use(now), soci::use(uid);
}

}  // namespace

core::Result<IssuedCode> IdentityService::create_user(const std::string& email_in,
                                                      const std::string& role,
                                                      const RequestContext& ctx) {
  if (role != "USER" && role != "ADMIN") {
    return core::Error::invalid("invalid_role", "role must be USER or ADMIN");
  }
  auto email = normalize_email(email_in);
  if (!email.ok()) {
    return email.error();
  }
  IssuedCode out;
  out.access_code = generate_access_code();
  auto hash = hash_code(*normalize_access_code(out.access_code));
  if (!hash.ok()) {
    return hash.error();
  }
  auto user = db_.write([&](storage::Tx& tx) -> core::Result<User> {
    if (users::find_by_email(tx, *email)) {
      return core::Error::conflict("email_taken", "a user with this email exists");
    }
    User u;
    u.email = *email;
    u.role = role;
    u.access_code_hash = *hash;
    u.license_key = generate_license_key();
    u.created_at = now_ms();
    u.id = users::insert(tx, u);
    record_audit(tx, {ctx.actor_user_id, "user.create", "user", u.id,
                      {{"email", u.email}, {"role", u.role}}, ctx.client_address},
                 u.created_at);
    return u;
  });
  if (!user.ok()) {
    if (user.error().errc == core::Errc::kConflict) {
      return core::Error::conflict("email_taken", "a user with this email exists");
    }
    return user.error();
  }
  out.user = *user;
  return out;
}

core::Result<std::vector<User>> IdentityService::list_users(const UserFilter& filter) {
  return db_.read(
      [&](storage::Tx& tx) -> core::Result<std::vector<User>> { return users::list(tx, filter); });
}

core::Result<User> IdentityService::set_suspended(int64_t user_id, bool suspended,
                                                  const RequestContext& ctx) {
  if (suspended && ctx.actor_user_id == user_id) {
    return core::Error::invalid("cannot_suspend_self", "you cannot suspend your own account");
  }
  return db_.write([&](storage::Tx& tx) -> core::Result<User> {
    auto user = users::find_by_id(tx, user_id);
    if (!user) {
      return core::Error::not_found("no such user");
    }
    const long long now = now_ms();
    const long long uid = user_id;
    user->status = suspended ? "SUSPENDED" : "ACTIVE";
    users::set_status(tx, user_id, user->status);
    if (suspended) {
      revoke_all_sessions(tx, user_id, now);
      // Their adbots stop; the engine sees SUSPENDED and releases them.
      tx.sql() << "UPDATE adbots SET status = 'SUSPENDED', updated_at = :n "
                  "WHERE user_id = :u AND status IN ('RUNNING', 'STOPPED')",
          soci::use(now), soci::use(uid);
    } else {
      tx.sql() << "UPDATE adbots SET status = 'STOPPED', updated_at = :n "
                  "WHERE user_id = :u AND status = 'SUSPENDED'",
          soci::use(now), soci::use(uid);
    }
    record_audit(tx, {ctx.actor_user_id, suspended ? "user.suspend" : "user.unsuspend", "user",
                      user_id, {{"email", user->email}}, ctx.client_address},
                 now);
    return *user;
  });
}

core::Result<IssuedCode> IdentityService::reset_code(int64_t user_id, const RequestContext& ctx) {
  IssuedCode out;
  out.access_code = generate_access_code();
  auto hash = hash_code(*normalize_access_code(out.access_code));
  if (!hash.ok()) {
    return hash.error();
  }
  auto user = db_.write([&](storage::Tx& tx) -> core::Result<User> {
    auto user = users::find_by_id(tx, user_id);
    if (!user) {
      return core::Error::not_found("no such user");
    }
    const long long now = now_ms();
    users::set_code_hash(tx, user_id, *hash);
    revoke_all_sessions(tx, user_id, now);  // the old code may have leaked: so may sessions
    record_audit(tx, {ctx.actor_user_id, "user.reset_code", "user", user_id,
                      {{"email", user->email}}, ctx.client_address},
                 now);
    return *user;
  });
  if (!user.ok()) {
    return user.error();
  }
  // A fresh start for the account: its sign-in counters (its devices', and the per-email
  // bucket older versions kept) go with the old code.
  (void)limiter_.clear("signin:email:" + user->email);
  (void)limiter_.clear_prefix("signin:device:" + std::to_string(user_id) + ":");
  out.user = *user;
  return out;
}

core::Result<std::vector<nlohmann::json>> IdentityService::list_audit(const AuditFilter& filter) {
  return db_.read([&](storage::Tx& tx) -> core::Result<std::vector<nlohmann::json>> {
    return domain::list_audit(tx, filter);
  });
}

}  // namespace hqadz::domain
