#pragma once
/// The `tg_sessions` table (the stock of Telegram accounts): rows without their secrets, their
/// JSON form, and the queries other modules run inside their own transactions (commerce
/// fulfilment counts and claims UNUSED accounts; the engine reads assigned ones).

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace hqadz::domain {

/// Every status of DESIGN section 3, in display order.
inline constexpr std::array<const char*, 8> kStockStatuses = {
    "UNUSED", "ASSIGNED", "COOLING", "LIMITED", "FROZEN", "BANNED", "DEAD", "RETIRED"};
bool is_stock_status(const std::string& status);

/// One stock account as admins see it: never the auth key or the api hash.
struct StockAccount {
  int64_t id = 0;
  std::string phone_number;
  int64_t api_id = 0;
  int dc_id = 0;
  std::string server_address;
  int port = 0;
  std::string auth_key_id;  // 16 hex digits; not secret
  std::string status = "UNUSED";
  std::optional<int64_t> assigned_to_adbot_id;
  std::optional<int64_t> assigned_to_user_id;
  std::optional<int64_t> flood_until;
  int64_t sends_today = 0;
  std::optional<int64_t> tg_user_id;
  std::optional<std::string> tg_username;
  std::optional<std::string> status_reason;
  std::optional<int64_t> no_joins_since;  // Telegram said it may join no more groups (ms)
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

/// {"id","phone_number","api_id","dc_id","server_address","port","auth_key_id","status",
///  "assigned_to_adbot_id","assigned_to_user_id","flood_until","sends_today","tg_user_id",
///  "tg_username","status_reason","no_joins_since","created_at","updated_at"} — instants as ISO-8601, absent
/// values as null.
nlohmann::json to_json(const StockAccount& account);

struct StockFilter {
  std::optional<std::string> status;
  std::optional<int64_t> before_id;  // cursor: ids below this one, newest first
  int limit = 50;
};

/// What an import stores: the row's public values and the two sealed secrets (base64).
struct NewStockRow {
  std::string phone_number;
  int64_t api_id = 0;
  std::string api_hash_enc;
  int dc_id = 0;
  std::string server_address;
  int port = 0;
  std::string auth_key_enc;
  std::string auth_key_id;
};

/// The sealed secrets of one row, for decryption by the engine.
struct StockSecrets {
  std::string auth_key_id;
  std::string auth_key_enc;
  std::string api_hash_enc;
};

namespace stock {

std::optional<StockAccount> find(storage::Tx& tx, int64_t id);
std::optional<StockAccount> find_by_auth_key_id(storage::Tx& tx, const std::string& auth_key_id);
std::optional<StockSecrets> secrets(storage::Tx& tx, int64_t id);
std::vector<StockAccount> list(storage::Tx& tx, const StockFilter& filter);
/// Inserts an UNUSED row; returns its id. A taken auth_key_id surfaces as a conflict.
int64_t insert(storage::Tx& tx, const NewStockRow& row, int64_t now_ms);

/// Rows per status; every status present (0 when none).
std::map<std::string, int64_t> count_by_status(storage::Tx& tx);
/// How many accounts are UNUSED: what fulfilment can hand out right now.
int64_t count_unused(storage::Tx& tx);

/// Moves exactly `count` UNUSED accounts (oldest first) to ASSIGNED for `adbot_id` / `user_id`
/// and returns their ids — or changes nothing and returns an empty list when fewer are free.
/// Run it inside the caller's write transaction (commerce: payment → adbot, one transaction).
std::vector<int64_t> claim_unused(storage::Tx& tx, int64_t adbot_id, int64_t user_id, int count,
                                  int64_t now_ms);

/// Sets status (and reason) if the row is currently in `from_status` (any when empty);
/// false when the row is missing or in another status. The assignment columns are left alone.
bool set_status(storage::Tx& tx, int64_t id, const std::string& to_status,
                const std::optional<std::string>& reason, const std::string& from_status,
                int64_t now_ms);

}  // namespace stock
}  // namespace hqadz::domain
