#include "domain/adbot_rows.hpp"

#include <map>

#include "core/clock.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

constexpr const char* kColumns =
    "SELECT id, user_id, order_id, product_id, status, sessions_needed, posting_interval_seconds, "
    "distribution, max_groups, daily_cap_per_account, validity_start, validity_end, post_link, "
    "cycle_no, cycle_started_at, next_run_at, lease_owner, lease_until, cycle_state, cycle_plan, "
    "stop_reason, created_at, updated_at, "
    "(SELECT p.name FROM products p WHERE p.id = adbots.product_id) AS product_name FROM adbots ";

/// What lists add to an adbot: its counters (a LEFT JOIN: NULL before the first send) and
/// what it is configured with. `{ids}` is replaced by the page's ids.
constexpr const char* kListExtras =
    "SELECT a.id, st.posts, st.success, st.failures, st.flood_waits, st.last_activity, "
    "(SELECT COUNT(*) FROM adbot_groups g WHERE g.adbot_id = a.id) AS groups_count, "
    "(SELECT COUNT(*) FROM tg_sessions s WHERE s.assigned_to_adbot_id = a.id AND "
    "s.status = 'ASSIGNED') AS sessions_assigned, "
    "(SELECT COUNT(*) FROM tg_sessions s WHERE s.assigned_to_adbot_id = a.id) AS accounts_count "
    "FROM adbots a LEFT JOIN adbot_stats st ON st.adbot_id = a.id WHERE a.id IN ";

AdbotRow from_row(const soci::row& r) {
  using namespace storage;
  AdbotRow a;
  a.id = i64(r, "id");
  a.user_id = i64(r, "user_id");
  a.order_id = i64(r, "order_id");
  a.product_id = i64(r, "product_id");
  a.status = str(r, "status");
  a.sessions_needed = static_cast<int>(i64(r, "sessions_needed"));
  a.posting_interval_seconds = static_cast<int>(i64(r, "posting_interval_seconds"));
  a.distribution = str(r, "distribution");
  a.max_groups = static_cast<int>(i64(r, "max_groups", 100));
  a.daily_cap_per_account = static_cast<int>(i64(r, "daily_cap_per_account", 500));
  a.validity_start = opt_i64(r, "validity_start");
  a.validity_end = opt_i64(r, "validity_end");
  a.post_link = opt_str(r, "post_link");
  a.cycle_no = i64(r, "cycle_no");
  a.cycle_started_at = opt_i64(r, "cycle_started_at");
  a.next_run_at = opt_i64(r, "next_run_at");
  a.lease_owner = opt_str(r, "lease_owner");
  a.lease_until = opt_i64(r, "lease_until");
  a.cycle_state = str(r, "cycle_state");
  a.cycle_plan = opt_str(r, "cycle_plan");
  a.stop_reason = opt_str(r, "stop_reason");
  a.created_at = i64(r, "created_at");
  a.updated_at = i64(r, "updated_at");
  a.product_name = str(r, "product_name");
  return a;
}

std::optional<AdbotRow> load(storage::Tx& tx, int64_t id, bool for_update) {
  const long long lid = id;
  std::string sql = std::string(kColumns) + "WHERE id = :id";
  if (for_update && tx.is_postgres()) {
    sql += " FOR UPDATE";
  }
  soci::rowset<soci::row> rows = (tx.sql().prepare << sql, soci::use(lid));
  for (const auto& r : rows) {
    return from_row(r);
  }
  return std::nullopt;
}

nlohmann::json stats_from(const soci::row& r) {
  return {{"posts", storage::i64(r, "posts")},
          {"success", storage::i64(r, "success")},
          {"failures", storage::i64(r, "failures")},
          {"flood_waits", storage::i64(r, "flood_waits")},
          {"last_activity", iso_or_null(storage::opt_i64(r, "last_activity"))}};
}

/// "(3,2,1)": ids are integers read from the database, so they are written into the SQL as
/// numbers (one statement per page instead of one per adbot).
std::string id_list(const std::vector<int64_t>& ids) {
  std::string out = "(";
  for (size_t i = 0; i < ids.size(); ++i) {
    out += (i == 0 ? "" : ",") + std::to_string(ids[i]);
  }
  return out + ")";
}

}  // namespace

nlohmann::json iso_or_null(const std::optional<int64_t>& ms) {
  return ms ? nlohmann::json(core::format_iso8601(core::from_unix_ms(*ms))) : nlohmann::json();
}

std::optional<AdbotRow> load_adbot(storage::Tx& tx, int64_t id) { return load(tx, id, false); }

std::optional<AdbotRow> load_adbot_for_update(storage::Tx& tx, int64_t id) {
  return load(tx, id, true);
}

nlohmann::json adbot_json(const AdbotRow& a) {
  return {{"id", a.id},
          {"user_id", a.user_id},
          {"order_id", a.order_id},
          {"product_id", a.product_id},
          {"product", {{"id", a.product_id}, {"name", a.product_name}}},
          {"status", a.status},
          {"sessions_needed", a.sessions_needed},
          {"posting_interval_seconds", a.posting_interval_seconds},
          {"distribution", a.distribution},
          {"max_groups", a.max_groups},
          {"daily_cap_per_account", a.daily_cap_per_account},
          {"validity_start", iso_or_null(a.validity_start)},
          {"validity_end", iso_or_null(a.validity_end)},
          {"post_link", a.post_link ? nlohmann::json(*a.post_link) : nlohmann::json()},
          {"cycle_no", a.cycle_no},
          {"next_run_at", a.status == "RUNNING" ? iso_or_null(a.next_run_at) : nlohmann::json()},
          {"stop_reason", a.stop_reason ? nlohmann::json(*a.stop_reason) : nlohmann::json()},
          {"created_at", iso_or_null(a.created_at)}};
}

nlohmann::json stats_json(storage::Tx& tx, int64_t adbot_id) {
  const long long id = adbot_id;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << "SELECT posts, success, failures, flood_waits, last_activity FROM "
                           "adbot_stats WHERE adbot_id = :a",
       soci::use(id));
  for (const auto& r : rows) {
    return stats_from(r);
  }
  return {{"posts", 0}, {"success", 0}, {"failures", 0}, {"flood_waits", 0},
          {"last_activity", nullptr}};
}

nlohmann::json adbot_list_json(storage::Tx& tx, const std::vector<int64_t>& ids) {
  nlohmann::json list = nlohmann::json::array();
  if (ids.empty()) {
    return list;
  }
  const std::string in = id_list(ids);
  std::map<int64_t, AdbotRow> rows;
  {
    soci::rowset<soci::row> rs = tx.sql().prepare << std::string(kColumns) + "WHERE id IN " + in;
    for (const auto& r : rs) {
      auto a = from_row(r);
      rows.emplace(a.id, std::move(a));
    }
  }
  std::map<int64_t, nlohmann::json> extras;
  {
    soci::rowset<soci::row> rs = tx.sql().prepare << std::string(kListExtras) + in;
    for (const auto& r : rs) {
      extras[storage::i64(r, "id")] = {{"stats", stats_from(r)},
                                       {"groups_count", storage::i64(r, "groups_count")},
                                       {"sessions_assigned", storage::i64(r, "sessions_assigned")},
                                       {"accounts_count", storage::i64(r, "accounts_count")}};
    }
  }
  for (int64_t id : ids) {
    auto row = rows.find(id);
    if (row == rows.end()) {
      continue;  // deleted between the page's query and this one
    }
    nlohmann::json j = adbot_json(row->second);
    j["product_name"] = row->second.product_name;
    j.update(extras[id]);
    list.push_back(std::move(j));
  }
  return list;
}

std::vector<GroupRow> load_groups(storage::Tx& tx, int64_t adbot_id) {
  const long long id = adbot_id;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << "SELECT target, position, state, last_error FROM adbot_groups "
                           "WHERE adbot_id = :id ORDER BY position",
       soci::use(id));
  std::vector<GroupRow> out;
  for (const auto& r : rows) {
    out.push_back({storage::str(r, "target"), static_cast<int>(storage::i64(r, "position")),
                   storage::str(r, "state"), storage::opt_str(r, "last_error")});
  }
  return out;
}

void add_event(storage::Tx& tx, const EventRow& e, int64_t now_ms) {
  const long long id = e.adbot_id;
  const long long at = now_ms;
  storage::NullableI64 session(e.session_id);
  storage::NullableStr target(e.target);
  storage::NullableI64 wait(e.wait_seconds);
  tx.sql() << "INSERT INTO adbot_events (adbot_id, at, kind, session_id, target, wait_seconds, "
              "detail) VALUES (:a, :at, :k, :s, :t, :w, :d)",
      soci::use(id), soci::use(at), soci::use(e.kind), soci::use(session.value, session.ind),
      soci::use(target.value, target.ind), soci::use(wait.value, wait.ind), soci::use(e.detail);
}

nlohmann::json event_json(const soci::row& r) {
  auto session = storage::opt_i64(r, "session_id");
  auto target = storage::opt_str(r, "target");
  auto wait = storage::opt_i64(r, "wait_seconds");
  return {{"id", storage::i64(r, "id")},
          {"at", core::format_iso8601(core::from_unix_ms(storage::i64(r, "at")))},
          {"kind", storage::str(r, "kind")},
          {"session_id", session ? nlohmann::json(*session) : nlohmann::json()},
          {"target", target ? nlohmann::json(*target) : nlohmann::json()},
          {"wait_seconds", wait ? nlohmann::json(*wait) : nlohmann::json()},
          {"detail", storage::str(r, "detail")}};
}

}  // namespace hqadz::domain
