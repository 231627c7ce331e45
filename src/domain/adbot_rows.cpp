#include "domain/adbot_rows.hpp"

#include "core/clock.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

constexpr const char* kSelect =
    "SELECT id, user_id, order_id, product_id, status, sessions_needed, posting_interval_seconds, "
    "distribution, max_groups, daily_cap_per_account, validity_start, validity_end, post_link, "
    "cycle_no, cycle_started_at, next_run_at, lease_owner, lease_until, cycle_state, cycle_plan, "
    "stop_reason, created_at, updated_at FROM adbots WHERE id = :id";

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
  return a;
}

std::optional<AdbotRow> load(storage::Tx& tx, int64_t id, bool for_update) {
  const long long lid = id;
  std::string sql = kSelect;
  if (for_update && tx.is_postgres()) {
    sql += " FOR UPDATE";
  }
  soci::rowset<soci::row> rows = (tx.sql().prepare << sql, soci::use(lid));
  for (const auto& r : rows) {
    return from_row(r);
  }
  return std::nullopt;
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
