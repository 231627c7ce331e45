#pragma once
/// Rows of `adbots`, `adbot_groups`, `adbot_events` and `adbot_stats` shared by the domain and
/// the engine: loading, JSON forms, and the event writer.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace hqadz::domain {

struct AdbotRow {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t order_id = 0;
  int64_t product_id = 0;
  std::string status;
  int sessions_needed = 0;
  int posting_interval_seconds = 0;
  std::string distribution;
  int max_groups = 100;
  int daily_cap_per_account = 500;
  std::optional<int64_t> validity_start;
  std::optional<int64_t> validity_end;
  std::optional<std::string> post_link;
  int64_t cycle_no = 0;
  std::optional<int64_t> cycle_started_at;
  std::optional<int64_t> next_run_at;
  std::optional<std::string> lease_owner;
  std::optional<int64_t> lease_until;
  std::string cycle_state = "IDLE";
  std::optional<std::string> cycle_plan;
  std::optional<std::string> stop_reason;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string product_name;  // read with the row: every view of an adbot names its plan
};

std::optional<AdbotRow> load_adbot(storage::Tx& tx, int64_t id);
/// FOR UPDATE on PostgreSQL (SQLite write transactions are already exclusive).
std::optional<AdbotRow> load_adbot_for_update(storage::Tx& tx, int64_t id);
/// The adbot resource: its fields, with `product` `{id, name}` beside `product_id`.
nlohmann::json adbot_json(const AdbotRow& row);
/// `{posts, success, failures, flood_waits, last_activity}` from adbot_stats: zeros and null
/// for an adbot that has not sent yet.
nlohmann::json stats_json(storage::Tx& tx, int64_t adbot_id);
/// The adbots `ids`, in that order, as the user's and the admin's lists show them: adbot_json
/// plus `stats`, `groups_count` (configured groups), `sessions_assigned` (accounts ASSIGNED to
/// it now), `accounts_count` (every account attached, retired ones included) and
/// `product_name`. Two statements per page, whatever its size.
nlohmann::json adbot_list_json(storage::Tx& tx, const std::vector<int64_t>& ids);

struct GroupRow {
  std::string target;
  int position = 0;
  std::string state;  // ACTIVE | BLOCKED | INVALID
  std::optional<std::string> last_error;
};
std::vector<GroupRow> load_groups(storage::Tx& tx, int64_t adbot_id);

struct EventRow {
  int64_t adbot_id = 0;
  std::string kind;  // SENT, FLOOD_WAIT, SLOWMODE, WRITE_FORBIDDEN, BANNED, JOINED, STARTED, ...
  std::optional<int64_t> session_id;
  std::optional<std::string> target;
  std::optional<int64_t> wait_seconds;
  std::string detail;
};
void add_event(storage::Tx& tx, const EventRow& event, int64_t now_ms);
nlohmann::json event_json(const soci::row& row);

/// "2026-11-27T14:35:06.123Z", or null.
nlohmann::json iso_or_null(const std::optional<int64_t>& ms);

}  // namespace hqadz::domain
