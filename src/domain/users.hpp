#pragma once
/// The `users` table: rows, their JSON form, and the queries identity needs.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace hqadz::domain {

struct User {
  int64_t id = 0;
  std::string email;
  std::string role = "USER";      // USER | ADMIN
  std::string status = "ACTIVE";  // ACTIVE | SUSPENDED
  std::string license_key;
  int64_t created_at = 0;
  std::optional<int64_t> last_login_at;
  std::string access_code_hash;
  std::optional<std::string> recovery_code_hash;
  std::optional<int64_t> recovery_expires_at;

  bool is_admin() const { return role == "ADMIN"; }
  bool suspended() const { return status == "SUSPENDED"; }
};

/// Public form: never the hashes.
nlohmann::json to_json(const User& user);

/// Lower-cases and checks an email address (one '@', a dot in the domain, ≤ 254 bytes, no
/// spaces or control characters).
core::Result<std::string> normalize_email(std::string_view input);

struct UserFilter {
  std::optional<std::string> role;
  std::optional<std::string> status;
  std::optional<std::string> email_contains;
  std::optional<int64_t> before_id;  // cursor
  int limit = 50;
};

namespace users {

std::optional<User> find_by_email(storage::Tx& tx, const std::string& email);
std::optional<User> find_by_id(storage::Tx& tx, int64_t id);
/// Inserts and returns the id; a taken email surfaces as a conflict from the database.
int64_t insert(storage::Tx& tx, const User& user);
std::vector<User> list(storage::Tx& tx, const UserFilter& filter);
void set_status(storage::Tx& tx, int64_t id, const std::string& status);
void set_code_hash(storage::Tx& tx, int64_t id, const std::string& hash);
void set_recovery(storage::Tx& tx, int64_t id, const std::optional<std::string>& hash,
                  std::optional<int64_t> expires_at);
void touch_login(storage::Tx& tx, int64_t id, int64_t now_ms);

}  // namespace users
}  // namespace hqadz::domain
