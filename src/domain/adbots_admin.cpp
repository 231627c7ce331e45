// The admin's view of adbots: the fleet list, extending validity, the dashboard.
#include <map>

#include "domain/adbot_rows.hpp"
#include "domain/adbots.hpp"
#include "domain/audit.hpp"
#include "domain/notifications.hpp"
#include "domain/stock_accounts.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {

core::Result<nlohmann::json> AdbotService::admin_list(const AdminAdbotFilter& f) {
  return db_.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    const std::string status = f.status.value_or("");
    const long long uid = f.user_id.value_or(0);
    const int has_user = f.user_id ? 1 : 0;
    const long long before = f.before_id.value_or(INT64_MAX);
    const int limit = f.limit;
    std::vector<int64_t> ids;
    std::map<int64_t, std::string> emails;
    {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "SELECT a.id, u.email FROM adbots a JOIN users u ON u.id = "
                               "a.user_id WHERE (:st = '' OR a.status = :st2) AND (:hu = 0 OR "
                               "a.user_id = :u) AND a.id < :b ORDER BY a.id DESC LIMIT :l",
           soci::use(status, "st"), soci::use(status, "st2"), soci::use(has_user, "hu"),
           soci::use(uid, "u"), soci::use(before, "b"), soci::use(limit, "l"));
      for (const auto& r : rows) {
        ids.push_back(storage::i64(r, "id"));
        emails[ids.back()] = storage::str(r, "email");
      }
    }
    nlohmann::json list = adbot_list_json(tx, ids);
    for (auto& j : list) {
      j["user_email"] = emails[j["id"].get<int64_t>()];
    }
    nlohmann::json next;
    if (static_cast<int>(list.size()) == limit && !list.empty()) {
      next = list.back()["id"];
    }
    return nlohmann::json{{"adbots", list}, {"next_cursor", next}};
  });
}

core::Result<nlohmann::json> AdbotService::extend(const Caller& admin, int64_t id, int days,
                                                  const std::string& client_address) {
  if (days < 1 || days > 3650) {
    return core::Error::invalid("invalid_days", "days must be between 1 and 3650");
  }
  return db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto a = load_adbot_for_update(tx, id);
    if (!a) {
      return core::Error::not_found("no such adbot");
    }
    const int64_t now = now_ms();
    // Extending never loses days still owed: count from the later of now and the old end.
    const int64_t base = std::max(now, a->validity_end.value_or(now));
    const long long end = base + static_cast<int64_t>(days) * 86'400'000;
    const std::string status = a->status == "EXPIRED" ? "STOPPED" : a->status;
    const long long n = now;
    const long long lid = id;
    tx.sql() << "UPDATE adbots SET validity_end = :e, status = :s, expiry_notice_at = NULL, "
                "updated_at = :n WHERE id = :id",
        soci::use(end), soci::use(status), soci::use(n), soci::use(lid);
    record_audit(tx, {admin.user_id, "adbot.extend", "adbot", id,
                      {{"days", days}, {"validity_end", iso_or_null(end)}}, client_address},
                 now);
    notify_user(tx, a->user_id, "adbot_extended", "Your adbot was extended",
                "Adbot #" + std::to_string(id) + " now runs until " +
                    iso_or_null(end).get<std::string>() + ".",
                now);
    a->validity_end = end;
    a->status = status;
    return adbot_json(*a);
  });
}

core::Result<nlohmann::json> AdbotService::admin_dashboard() {
  return db_.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    nlohmann::json by_status = nlohmann::json::object();
    for (const char* s : {"RUNNING", "STOPPED", "QUEUED", "EXPIRED", "SUSPENDED"}) {
      by_status[s] = 0;
    }
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT status, COUNT(*) AS n FROM adbots GROUP BY status");
    for (const auto& r : rows) {
      by_status[storage::str(r, "status")] = storage::i64(r, "n");
    }
    nlohmann::json stock = nlohmann::json::object();
    for (const char* s : kStockStatuses) {
      stock[s] = 0;
    }
    soci::rowset<soci::row> srows =
        (tx.sql().prepare << "SELECT status, COUNT(*) AS n FROM tg_sessions GROUP BY status");
    for (const auto& r : srows) {
      stock[storage::str(r, "status")] = storage::i64(r, "n");
    }
    const int64_t now = now_ms();
    const long long day_ago = now - 86'400'000;
    nlohmann::json per_hour = nlohmann::json::array();
    soci::rowset<soci::row> hrows =
        (tx.sql().prepare << "SELECT at / 3600000 AS hour, COUNT(*) AS n FROM forwards WHERE "
                             "outcome = 'SENT' AND at >= :s GROUP BY at / 3600000 ORDER BY hour",
         soci::use(day_ago));
    int64_t last_hour = 0;
    for (const auto& r : hrows) {
      const int64_t hour = storage::i64(r, "hour");
      per_hour.push_back({{"hour", core::format_iso8601(core::from_unix_ms(hour * 3'600'000))},
                          {"deliveries", storage::i64(r, "n")}});
      if (hour == now / 3'600'000) {
        last_hour = storage::i64(r, "n");
      }
    }
    long long users = 0;
    tx.sql() << "SELECT COUNT(*) FROM users", soci::into(users);
    // Revenue: exact decimals summed per currency in the database's own decimal type.
    nlohmann::json revenue = nlohmann::json::array();
    soci::rowset<soci::row> rrows =
        (tx.sql().prepare << std::string("SELECT currency, COUNT(*) AS n, ") +
                                 (tx.is_postgres() ? "SUM(amount)::TEXT" : "SUM(CAST(amount AS REAL))") +
                                 " AS total FROM orders WHERE status = 'PAID' GROUP BY currency");
    for (const auto& r : rrows) {
      revenue.push_back({{"currency", storage::str(r, "currency")},
                         {"orders", storage::i64(r, "n")},
                         {"total", storage::opt_f64(r, "total").value_or(0.0)}});
    }
    return nlohmann::json{{"adbots", by_status},
                          {"running_adbots", by_status["RUNNING"]},
                          {"deliveries_last_hour", last_hour},
                          {"deliveries_per_hour", per_hour},
                          {"stock", stock},
                          {"users", users},
                          {"revenue", revenue}};
  });
}

}  // namespace hqadz::domain
