#include "domain/users.hpp"

#include "core/clock.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

constexpr const char* kColumns =
    "SELECT id, email, role, status, license_key, created_at, last_login_at, access_code_hash, "
    "recovery_code_hash, recovery_expires_at FROM users ";

User from_row(const soci::row& r) {
  User u;
  u.id = storage::i64(r, "id");
  u.email = storage::str(r, "email");
  u.role = storage::str(r, "role");
  u.status = storage::str(r, "status");
  u.license_key = storage::str(r, "license_key");
  u.created_at = storage::i64(r, "created_at");
  u.last_login_at = storage::opt_i64(r, "last_login_at");
  u.access_code_hash = storage::str(r, "access_code_hash");
  u.recovery_code_hash = storage::opt_str(r, "recovery_code_hash");
  u.recovery_expires_at = storage::opt_i64(r, "recovery_expires_at");
  return u;
}

std::optional<User> one(soci::rowset<soci::row>& rows) {
  for (const auto& r : rows) {
    return from_row(r);
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json to_json(const User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"role", u.role},
          {"status", u.status},
          {"license_key", u.license_key},
          {"created_at", core::format_iso8601(core::from_unix_ms(u.created_at))},
          {"last_login_at", u.last_login_at
                                ? nlohmann::json(core::format_iso8601(core::from_unix_ms(*u.last_login_at)))
                                : nlohmann::json(nullptr)}};
}

core::Result<std::string> normalize_email(std::string_view input) {
  std::string e;
  for (char c : input) {
    e.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  while (!e.empty() && (e.back() == ' ' || e.back() == '\t')) {
    e.pop_back();
  }
  e.erase(0, e.find_first_not_of(" \t"));
  const auto at = e.find('@');
  const bool shape_ok = !e.empty() && e.size() <= 254 && at != std::string::npos && at > 0 &&
                        e.find('@', at + 1) == std::string::npos &&
                        e.find('.', at + 2) != std::string::npos && e.back() != '.';
  bool chars_ok = true;
  for (unsigned char c : e) {
    chars_ok = chars_ok && c > 0x20 && c != 0x7f && c != '<' && c != '>' && c != ',' && c != ';';
  }
  if (!shape_ok || !chars_ok) {
    return core::Error::invalid("invalid_email", "email is not a valid address");
  }
  return e;
}

namespace users {

std::optional<User> find_by_email(storage::Tx& tx, const std::string& email) {
  soci::rowset<soci::row> rows = (tx.sql().prepare << std::string(kColumns) + "WHERE email = :e",
                                  soci::use(email));
  return one(rows);
}

std::optional<User> find_by_id(storage::Tx& tx, int64_t id) {
  const long long lid = id;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << std::string(kColumns) + "WHERE id = :id", soci::use(lid));
  return one(rows);
}

int64_t insert(storage::Tx& tx, const User& u) {
  long long id = 0;
  const long long created = u.created_at;
  tx.sql() << "INSERT INTO users (email, role, access_code_hash, license_key, status, created_at) "
              "VALUES (:e, :r, :h, :l, :s, :c) RETURNING id",
      soci::use(u.email), soci::use(u.role), soci::use(u.access_code_hash),
      soci::use(u.license_key), soci::use(u.status), soci::use(created), soci::into(id);
  return id;
}

std::vector<User> list(storage::Tx& tx, const UserFilter& f) {
  std::string sql = std::string(kColumns) + "WHERE 1 = 1";
  const std::string role = f.role.value_or("");
  const std::string status = f.status.value_or("");
  const std::string like = "%" + f.email_contains.value_or("") + "%";
  const long long before = f.before_id.value_or(INT64_MAX);
  const int limit = f.limit;
  sql += " AND (:role = '' OR role = :role2)";
  sql += " AND (:status = '' OR status = :status2)";
  sql += " AND email LIKE :like AND id < :before ORDER BY id DESC LIMIT :lim";
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << sql, soci::use(role, "role"), soci::use(role, "role2"),
       soci::use(status, "status"), soci::use(status, "status2"), soci::use(like, "like"),
       soci::use(before, "before"), soci::use(limit, "lim"));
  std::vector<User> out;
  for (const auto& r : rows) {
    out.push_back(from_row(r));
  }
  return out;
}

void set_status(storage::Tx& tx, int64_t id, const std::string& status) {
  const long long lid = id;
  tx.sql() << "UPDATE users SET status = :s WHERE id = :id", soci::use(status), soci::use(lid);
}

void set_code_hash(storage::Tx& tx, int64_t id, const std::string& hash) {
  const long long lid = id;
  tx.sql() << "UPDATE users SET access_code_hash = :h, recovery_code_hash = NULL, "
              "recovery_expires_at = NULL WHERE id = :id",
      soci::use(hash), soci::use(lid);
}

void set_recovery(storage::Tx& tx, int64_t id, const std::optional<std::string>& hash,
                  std::optional<int64_t> expires_at) {
  const long long lid = id;
  storage::NullableStr h(hash);
  storage::NullableI64 e(expires_at);
  tx.sql() << "UPDATE users SET recovery_code_hash = :h, recovery_expires_at = :e WHERE id = :id",
      soci::use(h.value, h.ind), soci::use(e.value, e.ind), soci::use(lid);
}

void touch_login(storage::Tx& tx, int64_t id, int64_t now_ms) {
  const long long lid = id;
  const long long now = now_ms;
  tx.sql() << "UPDATE users SET last_login_at = :t WHERE id = :id", soci::use(now),
      soci::use(lid);
}

}  // namespace users
}  // namespace hqadz::domain
