#include "domain/identity.hpp"

#include <spdlog/spdlog.h>

#include <mutex>
#include <stdexcept>

#include "core/logging.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "domain/codes.hpp"
#include "domain/jwt.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

core::Error rate_limited(int64_t seconds) {
  core::Error e{core::Errc::kRateLimited, "rate_limited",
                "too many attempts; try again in " + std::to_string(seconds) + " s"};
  e.retry_after_s = seconds;
  return e;
}

core::Error invalid_credentials() {
  return {core::Errc::kUnauthenticated, "invalid_credentials", "wrong email or access code"};
}

core::Error suspended_error() {
  return {core::Errc::kForbidden, "account_suspended", "this account is suspended"};
}

core::Error bad_refresh(const std::string& why) {
  return {core::Errc::kUnauthenticated, "invalid_refresh_token", why};
}

std::string token_hash(const std::string& token) { return crypto::to_hex(crypto::sha256(token)); }

}  // namespace

IdentityService::IdentityService(storage::Database& db, const core::Clock& clock, Mailer& mailer,
                                 IdentitySettings settings)
    : db_(db),
      clock_(clock),
      mailer_(mailer),
      settings_(std::move(settings)),
      limiter_(db, clock),
      hashes_(settings_.hash_concurrency, settings_.hash_queue) {
  if (settings_.jwt_secret.size() < 32) {
    throw std::invalid_argument("the JWT secret must be at least 32 bytes");
  }
}

core::Result<std::string> IdentityService::hash_code(const std::string& normalized) {
  core::Result<std::string> out = core::Error::internal();
  auto ran = hashes_.run([&] {
    out = crypto::argon2id_hash(normalized, settings_.argon2);
    return out.ok();
  });
  if (!ran.ok()) {
    return ran.error();
  }
  return out;
}

core::Result<bool> IdentityService::verify_code(const std::string& hash,
                                                const std::string& normalized) {
  return hashes_.run([&] { return crypto::argon2id_verify(hash, normalized); });
}

std::string IdentityService::device_token_for(int64_t user_id) const {
  const std::string body = std::to_string(user_id) + ":" + crypto::random_hex(8);
  return body + ":" +
         crypto::to_base64url(crypto::hmac_sha256(settings_.jwt_secret, "device:" + body));
}

std::string IdentityService::device_bucket(const std::string& device_token) {
  // "signin:device:<user id>:" + a hash of the whole token: reset-code clears the user's.
  const std::string uid = device_token.substr(0, device_token.find(':'));
  return "signin:device:" + uid + ":" + token_hash(device_token).substr(0, 32);
}

bool IdentityService::device_token_valid(const std::string& token, int64_t user_id) const {
  const auto last = token.rfind(':');
  if (last == std::string::npos || token.size() > 200) {
    return false;
  }
  const std::string body = token.substr(0, last);
  if (body.substr(0, body.find(':')) != std::to_string(user_id)) {
    return false;
  }
  const auto mac = crypto::from_base64(token.substr(last + 1));
  return mac && crypto::constant_time_equal(
                    *mac, crypto::hmac_sha256(settings_.jwt_secret, "device:" + body));
}

core::Result<Session> IdentityService::issue_session(storage::Tx& tx, const User& user,
                                                     const std::string& family_id) {
  Session s;
  s.refresh_token = crypto::to_base64url(crypto::random_bytes(32));
  const std::string hash = token_hash(s.refresh_token);
  const long long now = now_ms();
  const long long expires = now + settings_.refresh_ttl.count() * 1000;
  const long long uid = user.id;
  tx.sql() << "INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, "
              "expires_at) VALUES (:u, :f, :h, :c, :e)",
      soci::use(uid), soci::use(family_id), soci::use(hash), soci::use(now), soci::use(expires);
  const int64_t now_s = now / 1000;
  s.expires_in = settings_.access_ttl.count();
  s.access_token =
      sign_jwt({user.id, user.role, user.status, now_s, now_s + s.expires_in, family_id},
               settings_.jwt_secret);
  s.user = user;
  return s;
}

core::Result<nlohmann::json> IdentityService::sign_up(const std::string& email_in,
                                                      const RequestContext& ctx) {
  auto email = normalize_email(email_in);
  if (!email.ok()) {
    return email.error();
  }
  auto wait = limiter_.take("signup:ip:" + ctx.client_address, settings_.sign_up);
  if (!wait.ok()) {
    return wait.error();
  }
  if (*wait > 0) {
    return rate_limited(*wait);
  }
  const std::string code = generate_access_code();
  auto hash = hash_code(*normalize_access_code(code));
  if (!hash.ok()) {
    return hash.error();
  }
  auto created = db_.write([&](storage::Tx& tx) -> core::Result<bool> {
    if (users::find_by_email(tx, *email)) {
      return false;
    }
    User u;
    u.email = *email;
    u.role = "USER";
    u.access_code_hash = *hash;
    u.license_key = generate_license_key();
    u.created_at = now_ms();
    u.id = users::insert(tx, u);
    record_audit(tx, {u.id, "user.signup", "user", u.id, {{"email", u.email}}, ctx.client_address},
                 u.created_at);
    return true;
  });
  bool is_new = false;
  if (created.ok()) {
    is_new = *created;
  } else if (created.error().errc != core::Errc::kConflict) {  // a racing sign-up: taken
    return created.error();
  }
  nlohmann::json out = {{"email", *email}};
  if (mailer_.enabled()) {
    if (is_new) {
      auto sent = mailer_.send({*email, "Your hqadz access code",
                                "Welcome to hqadz.\n\nYour access code: " + code +
                                    "\n\nKeep it safe: it is your password and is not shown "
                                    "again.\n"});
      if (!sent.ok()) {
        spdlog::warn("sign-up email to a new user failed: {}", sent.error().message);
      }
    }
    out["message"] = "If this address is new, its access code is on its way by email.";
    return out;
  }
  // No email here: the code is shown once. A taken address gets a decoy that opens nothing,
  // so the answer never tells whether an account exists.
  out["access_code"] = is_new ? code : generate_access_code();
  out["message"] =
      "Keep this access code: it is shown only once. If this email already had an account, "
      "its code is unchanged.";
  return out;
}

core::Result<nlohmann::json> IdentityService::recover(const std::string& email_in,
                                                      const RequestContext& ctx) {
  if (!mailer_.enabled()) {
    return core::Error::unavailable(
        "email_unavailable",
        "recovery sends a new code by email, and email is not configured here: ask an admin "
        "to reset your code");
  }
  auto email = normalize_email(email_in);
  if (!email.ok()) {
    return email.error();
  }
  for (const std::string& bucket : {"recover:ip:" + ctx.client_address, "recover:email:" + *email}) {
    auto wait = limiter_.take(bucket, settings_.recover);
    if (!wait.ok()) {
      return wait.error();
    }
    if (*wait > 0) {
      return rate_limited(*wait);
    }
  }
  // Hash whether or not the account exists, so timing tells nothing either.
  const std::string code = generate_access_code();
  auto hash = hash_code(*normalize_access_code(code));
  if (!hash.ok()) {
    return hash.error();
  }
  auto target = db_.write([&](storage::Tx& tx) -> core::Result<std::optional<User>> {
    auto user = users::find_by_email(tx, *email);
    if (!user || user->suspended()) {
      return std::optional<User>{};
    }
    users::set_recovery(tx, user->id, *hash, now_ms() + settings_.recovery_ttl.count() * 1000);
    record_audit(tx, {user->id, "user.recover", "user", user->id, {}, ctx.client_address},
                 now_ms());
    return user;
  });
  if (!target.ok()) {
    return target.error();
  }
  if (*target) {
    auto sent = mailer_.send({*email, "Your new hqadz access code",
                              "A new access code was asked for this address.\n\nNew code: " +
                                  code +
                                  "\n\nIt works for one hour; your old code keeps working until "
                                  "you use this one. If you did not ask, ignore this email.\n"});
    if (!sent.ok()) {
      spdlog::warn("recovery email failed: {}", sent.error().message);
    }
  }
  return nlohmann::json{
      {"message", "If an account exists for this email, a new access code is on its way."}};
}

core::Result<Session> IdentityService::sign_in(const std::string& email_in,
                                               const std::string& access_code,
                                               const std::optional<std::string>& device_token,
                                               const RequestContext& ctx) {
  auto email = normalize_email(email_in);
  if (!email.ok()) {
    return email.error();
  }
  auto user = db_.read([&](storage::Tx& tx) -> core::Result<std::optional<User>> {
    return users::find_by_email(tx, *email);
  });
  if (!user.ok()) {
    return user.error();
  }
  // The limits bound the argon2 work an attacker can buy, so each try is taken from its buckets
  // before any hashing, atomically (and given back when the code was right: only failures
  // count). A 28-character code needs no per-email lockout, which would only let anyone lock a
  // real user out. A browser that signed in to this account before (its device cookie) answers
  // only for its own failures, never for those of its address or of the whole server.
  const bool known_device =
      *user && device_token && device_token_valid(*device_token, (*user)->id);
  std::vector<std::pair<std::string, RateRule>> buckets;
  if (known_device) {
    buckets.emplace_back(device_bucket(*device_token), settings_.sign_in);
  } else {
    buckets.emplace_back("signin:ip:" + ctx.client_address, settings_.sign_in);
    buckets.emplace_back("signin:global", settings_.sign_in_global);
  }
  std::vector<std::string> taken;
  auto give_back_all = [&] {
    for (const auto& b : taken) {
      (void)limiter_.give_back(b);
    }
  };
  for (const auto& [bucket, rule] : buckets) {
    auto wait = limiter_.take(bucket, rule);
    if (!wait.ok()) {
      give_back_all();
      return wait.error();
    }
    taken.push_back(bucket);
    if (*wait > 0) {
      taken.pop_back();  // the refused try stays counted where it was refused
      give_back_all();
      return rate_limited(*wait);
    }
  }

  const auto code = normalize_access_code(access_code);
  bool ok = false;
  bool used_recovery = false;
  if (code && *user) {
    auto v = verify_code((*user)->access_code_hash, *code);
    if (!v.ok()) {
      return v.error();
    }
    ok = *v;
    const auto& u = **user;
    if (!ok && u.recovery_code_hash && u.recovery_expires_at && *u.recovery_expires_at > now_ms()) {
      auto r = verify_code(*u.recovery_code_hash, *code);
      if (!r.ok()) {
        return r.error();
      }
      ok = used_recovery = *r;
    }
  } else if (code) {
    // Unknown email: spend the same effort as a real check.
    static std::once_flag once;
    static std::string dummy;
    std::call_once(once, [&] { dummy = crypto::argon2id_hash("dummy", settings_.argon2).value(); });
    (void)verify_code(dummy, *code);
  }
  if (!ok) {
    spdlog::info("sign-in failed from {}", core::escape_for_log(ctx.client_address, 64));
    return invalid_credentials();
  }
  give_back_all();
  if ((*user)->suspended()) {
    return suspended_error();
  }
  User u = **user;
  auto session = db_.write([&](storage::Tx& tx) -> core::Result<Session> {
    if (used_recovery) {
      users::set_code_hash(tx, u.id, *u.recovery_code_hash);
    }
    users::touch_login(tx, u.id, now_ms());
    u.last_login_at = now_ms();
    return issue_session(tx, u, crypto::random_hex(16));
  });
  if (session.ok()) {
    session->device_token = device_token_for(u.id);
  }
  return session;
}

core::Result<Session> IdentityService::refresh(const std::string& refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 256) {
    return bad_refresh("missing or malformed refresh token");
  }
  const std::string hash = token_hash(refresh_token);
  enum class Verdict { kOk, kReused, kInvalid, kSuspended };
  Verdict verdict = Verdict::kInvalid;
  auto session = db_.write([&](storage::Tx& tx) -> core::Result<std::optional<Session>> {
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT id, user_id, family_id, expires_at, rotated_at, revoked_at "
                             "FROM refresh_tokens WHERE token_hash = :h",
         soci::use(hash));
    for (auto& r : rows) {
      long long id = storage::i64(r, "id");
      long long uid = storage::i64(r, "user_id");
      std::string family = storage::str(r, "family_id");
      const long long now = now_ms();
      auto revoke_family = [&] {
        tx.sql() << "UPDATE refresh_tokens SET revoked_at = :n WHERE family_id = :f "
                    "AND revoked_at IS NULL",
            soci::use(now), soci::use(family);
      };
      if (storage::opt_i64(r, "revoked_at") || storage::i64(r, "expires_at") <= now) {
        return std::optional<Session>{};
      }
      if (storage::opt_i64(r, "rotated_at")) {
        // A rotated token came back: someone holds a copy. End the whole family.
        revoke_family();
        verdict = Verdict::kReused;
        return std::optional<Session>{};
      }
      auto user = users::find_by_id(tx, uid);
      if (!user || user->suspended()) {
        revoke_family();
        verdict = Verdict::kSuspended;
        return std::optional<Session>{};
      }
      soci::statement st = (tx.sql().prepare << "UPDATE refresh_tokens SET rotated_at = :n "
                                                "WHERE id = :id AND rotated_at IS NULL",
                            soci::use(now), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() != 1) {
        revoke_family();
        verdict = Verdict::kReused;
        return std::optional<Session>{};
      }
      auto s = issue_session(tx, *user, family);
      if (!s.ok()) {
        return s.error();
      }
      verdict = Verdict::kOk;
      return std::optional<Session>{std::move(*s)};
    }
    return std::optional<Session>{};
  });
  if (!session.ok()) {
    return session.error();
  }
  switch (verdict) {
    case Verdict::kOk:
      return std::move(**session);
    case Verdict::kReused:
      spdlog::warn("refresh token reused: its family is revoked");
      return bad_refresh("this refresh token was already used; sign in again");
    case Verdict::kSuspended:
      return suspended_error();
    case Verdict::kInvalid:
      break;
  }
  return bad_refresh("unknown, expired or revoked refresh token");
}

core::Status IdentityService::sign_out(const std::string& refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 256) {
    return core::ok_status();
  }
  const std::string hash = token_hash(refresh_token);
  return db_.write([&](storage::Tx& tx) -> core::Status {
    const long long now = now_ms();
    tx.sql() << "UPDATE refresh_tokens SET revoked_at = :n WHERE revoked_at IS NULL AND "
                "family_id IN (SELECT family_id FROM refresh_tokens WHERE token_hash = :h)",
        soci::use(now), soci::use(hash);
    return core::ok_status();
  });
}

core::Result<Caller> IdentityService::authenticate(const std::string& access_token) {
  auto claims = verify_jwt(access_token, settings_.jwt_secret, now_ms() / 1000);
  if (!claims.ok()) {
    return claims.error();
  }
  // The user row and the token's refresh family are read on every request, from the one
  // database every process shares: logout, reset-code and suspension end access at once in
  // every process, with no cache to invalidate.
  bool family_live = false;
  auto user = db_.read([&](storage::Tx& tx) -> core::Result<std::optional<User>> {
    auto u = users::find_by_id(tx, claims->user_id);
    if (u) {
      long long live = 0;
      const long long uid = u->id;
      tx.sql() << "SELECT COUNT(*) FROM refresh_tokens WHERE family_id = :f AND user_id = :u "
                  "AND revoked_at IS NULL",
          soci::into(live), soci::use(claims->family_id), soci::use(uid);
      family_live = live > 0;
    }
    return u;
  });
  if (!user.ok()) {
    return user.error();
  }
  if (!*user) {
    return core::Error{core::Errc::kUnauthenticated, "invalid_token", "unknown user"};
  }
  if ((*user)->suspended()) {
    return suspended_error();
  }
  if (!family_live) {
    return core::Error{core::Errc::kUnauthenticated, "invalid_token",
                       "this session ended (signed out, code reset or suspended); sign in again"};
  }
  return Caller{(*user)->id, (*user)->role, (*user)->email};
}

core::Result<User> IdentityService::get_user(int64_t id) {
  auto user = db_.read([&](storage::Tx& tx) -> core::Result<std::optional<User>> {
    return users::find_by_id(tx, id);
  });
  if (!user.ok()) {
    return user.error();
  }
  if (!*user) {
    return core::Error::not_found("no such user");
  }
  return **user;
}

}  // namespace hqadz::domain
