#include "domain/audit.hpp"

#include "core/clock.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {

void record_audit(storage::Tx& tx, const AuditEntry& e, int64_t now_ms) {
  storage::NullableI64 actor(e.actor_user_id);
  storage::NullableI64 target(e.target_id);
  const std::string detail = e.detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const long long at = now_ms;
  tx.sql() << "INSERT INTO audit_log (actor_user_id, action, target_type, target_id, detail, "
              "client_address, at) VALUES (:a, :act, :tt, :ti, :d, :c, :at)",
      soci::use(actor.value, actor.ind), soci::use(e.action), soci::use(e.target_type),
      soci::use(target.value, target.ind), soci::use(detail), soci::use(e.client_address),
      soci::use(at);
}

std::vector<nlohmann::json> list_audit(storage::Tx& tx, const AuditFilter& f) {
  const long long actor = f.actor_user_id.value_or(0);
  const int has_actor = f.actor_user_id ? 1 : 0;
  const std::string action = f.action.value_or("");
  const std::string target_type = f.target_type.value_or("");
  const long long target_id = f.target_id.value_or(0);
  const int has_target = f.target_id ? 1 : 0;
  const long long before = f.before_id.value_or(INT64_MAX);
  const int limit = f.limit;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare
           << "SELECT id, at, actor_user_id, action, target_type, target_id, detail, "
              "client_address FROM audit_log WHERE (:ha = 0 OR actor_user_id = :a) "
              "AND (:act = '' OR action = :act2) AND (:tt = '' OR target_type = :tt2) "
              "AND (:ht = 0 OR target_id = :ti) AND id < :before ORDER BY id DESC LIMIT :lim",
       soci::use(has_actor, "ha"), soci::use(actor, "a"), soci::use(action, "act"),
       soci::use(action, "act2"), soci::use(target_type, "tt"), soci::use(target_type, "tt2"),
       soci::use(has_target, "ht"), soci::use(target_id, "ti"), soci::use(before, "before"),
       soci::use(limit, "lim"));
  std::vector<nlohmann::json> out;
  for (const auto& r : rows) {
    auto actor_id = storage::opt_i64(r, "actor_user_id");
    auto tid = storage::opt_i64(r, "target_id");
    out.push_back({{"id", storage::i64(r, "id")},
                   {"at", core::format_iso8601(core::from_unix_ms(storage::i64(r, "at")))},
                   {"actor_user_id", actor_id ? nlohmann::json(*actor_id) : nlohmann::json()},
                   {"action", storage::str(r, "action")},
                   {"target_type", storage::str(r, "target_type")},
                   {"target_id", tid ? nlohmann::json(*tid) : nlohmann::json()},
                   {"detail", nlohmann::json::parse(storage::str(r, "detail"), nullptr, false)},
                   {"client_address", storage::str(r, "client_address")}});
  }
  return out;
}

}  // namespace hqadz::domain
