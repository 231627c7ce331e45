#include "domain/stock_accounts.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

constexpr const char* kColumns =
    "SELECT id, phone_number, api_id, dc_id, server_address, port, auth_key_id, status, "
    "assigned_to_adbot_id, assigned_to_user_id, flood_until, sends_today, tg_user_id, "
    "tg_username, status_reason, no_joins_since, created_at, updated_at FROM tg_sessions ";

StockAccount from_row(const soci::row& r) {
  StockAccount a;
  a.id = storage::i64(r, "id");
  a.phone_number = storage::str(r, "phone_number");
  a.api_id = storage::i64(r, "api_id");
  a.dc_id = static_cast<int>(storage::i64(r, "dc_id"));
  a.server_address = storage::str(r, "server_address");
  a.port = static_cast<int>(storage::i64(r, "port"));
  a.auth_key_id = storage::str(r, "auth_key_id");
  a.status = storage::str(r, "status");
  a.assigned_to_adbot_id = storage::opt_i64(r, "assigned_to_adbot_id");
  a.assigned_to_user_id = storage::opt_i64(r, "assigned_to_user_id");
  a.flood_until = storage::opt_i64(r, "flood_until");
  a.sends_today = storage::i64(r, "sends_today");
  a.tg_user_id = storage::opt_i64(r, "tg_user_id");
  a.tg_username = storage::opt_str(r, "tg_username");
  a.status_reason = storage::opt_str(r, "status_reason");
  a.no_joins_since = storage::opt_i64(r, "no_joins_since");
  a.created_at = storage::i64(r, "created_at");
  a.updated_at = storage::i64(r, "updated_at");
  return a;
}

std::optional<StockAccount> first(soci::rowset<soci::row>& rows) {
  for (const auto& r : rows) {
    return from_row(r);
  }
  return std::nullopt;
}

template <typename T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

std::string iso(int64_t ms) { return core::format_iso8601(core::from_unix_ms(ms)); }

nlohmann::json instant_or_null(const std::optional<int64_t>& ms) {
  return ms ? nlohmann::json(iso(*ms)) : nlohmann::json();
}

}  // namespace

bool is_stock_status(const std::string& status) {
  return std::find_if(kStockStatuses.begin(), kStockStatuses.end(),
                      [&](const char* s) { return status == s; }) != kStockStatuses.end();
}

nlohmann::json to_json(const StockAccount& a) {
  return {{"id", a.id},
          {"phone_number", a.phone_number},
          {"api_id", a.api_id},
          {"dc_id", a.dc_id},
          {"server_address", a.server_address},
          {"port", a.port},
          {"auth_key_id", a.auth_key_id},
          {"status", a.status},
          {"assigned_to_adbot_id", or_null(a.assigned_to_adbot_id)},
          {"assigned_to_user_id", or_null(a.assigned_to_user_id)},
          {"flood_until", instant_or_null(a.flood_until)},
          {"sends_today", a.sends_today},
          {"tg_user_id", or_null(a.tg_user_id)},
          {"tg_username", or_null(a.tg_username)},
          {"status_reason", or_null(a.status_reason)},
          {"no_joins_since", instant_or_null(a.no_joins_since)},
          {"created_at", iso(a.created_at)},
          {"updated_at", iso(a.updated_at)}};
}

namespace stock {

std::optional<StockAccount> find(storage::Tx& tx, int64_t id) {
  const long long lid = id;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << std::string(kColumns) + "WHERE id = :id", soci::use(lid));
  return first(rows);
}

std::optional<StockAccount> find_by_auth_key_id(storage::Tx& tx, const std::string& key_id) {
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << std::string(kColumns) + "WHERE auth_key_id = :k", soci::use(key_id));
  return first(rows);
}

std::optional<StockSecrets> secrets(storage::Tx& tx, int64_t id) {
  const long long lid = id;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << "SELECT auth_key_id, auth_key_enc, api_hash_enc FROM tg_sessions "
                           "WHERE id = :id",
       soci::use(lid));
  for (const auto& r : rows) {
    return StockSecrets{storage::str(r, "auth_key_id"), storage::str(r, "auth_key_enc"),
                        storage::str(r, "api_hash_enc")};
  }
  return std::nullopt;
}

std::vector<StockAccount> list(storage::Tx& tx, const StockFilter& f) {
  const std::string status = f.status.value_or("");
  const long long before = f.before_id.value_or(INT64_MAX);
  const int limit = f.limit;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << std::string(kColumns) +
                               "WHERE (:st = '' OR status = :st2) AND id < :before "
                               "ORDER BY id DESC LIMIT :lim",
       soci::use(status, "st"), soci::use(status, "st2"), soci::use(before, "before"),
       soci::use(limit, "lim"));
  std::vector<StockAccount> out;
  for (const auto& r : rows) {
    out.push_back(from_row(r));
  }
  return out;
}

int64_t insert(storage::Tx& tx, const NewStockRow& row, int64_t now_ms) {
  long long id = 0;
  const long long api_id = row.api_id;
  const long long now = now_ms;
  const int dc = row.dc_id;
  const int port = row.port;
  tx.sql() << "INSERT INTO tg_sessions (phone_number, api_id, api_hash_enc, dc_id, "
              "server_address, port, auth_key_enc, auth_key_id, status, created_at, updated_at) "
              "VALUES (:ph, :ai, :ah, :dc, :sa, :po, :ak, :kid, 'UNUSED', :c, :u) RETURNING id",
      soci::use(row.phone_number), soci::use(api_id), soci::use(row.api_hash_enc), soci::use(dc),
      soci::use(row.server_address), soci::use(port), soci::use(row.auth_key_enc),
      soci::use(row.auth_key_id), soci::use(now), soci::use(now), soci::into(id);
  return id;
}

std::map<std::string, int64_t> count_by_status(storage::Tx& tx) {
  std::map<std::string, int64_t> out;
  for (const char* s : kStockStatuses) {
    out[s] = 0;
  }
  soci::rowset<soci::row> rows = tx.sql().prepare
                                 << "SELECT status, COUNT(*) AS n FROM tg_sessions GROUP BY status";
  for (const auto& r : rows) {
    out[storage::str(r, "status")] = storage::i64(r, "n");
  }
  return out;
}

int64_t count_unused(storage::Tx& tx) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM tg_sessions WHERE status = 'UNUSED'", soci::into(n);
  return n;
}

std::vector<int64_t> claim_unused(storage::Tx& tx, int64_t adbot_id, int64_t user_id, int count,
                                  int64_t now_ms) {
  if (count <= 0) {
    return {};
  }
  // SKIP LOCKED: two payments fulfilled at once on PostgreSQL take different accounts; SQLite
  // write transactions are serialized already (BEGIN IMMEDIATE).
  const std::string lock = tx.is_postgres() ? " FOR UPDATE SKIP LOCKED" : "";
  std::vector<int64_t> ids;
  {
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT id FROM tg_sessions WHERE status = 'UNUSED' ORDER BY id "
                             "LIMIT :n" +
                                 lock,
         soci::use(count));
    for (const auto& r : rows) {
      ids.push_back(storage::i64(r, "id"));
    }
  }
  if (static_cast<int>(ids.size()) < count) {
    return {};
  }
  const long long adbot = adbot_id;
  const long long user = user_id;
  const long long now = now_ms;
  for (int64_t id : ids) {
    const long long lid = id;
    tx.sql() << "UPDATE tg_sessions SET status = 'ASSIGNED', assigned_to_adbot_id = :a, "
                "assigned_to_user_id = :u, status_reason = NULL, updated_at = :n WHERE id = :id",
        soci::use(adbot), soci::use(user), soci::use(now), soci::use(lid);
  }
  return ids;
}

bool set_status(storage::Tx& tx, int64_t id, const std::string& to_status,
                const std::optional<std::string>& reason, const std::string& from_status,
                int64_t now_ms) {
  const long long lid = id;
  const long long now = now_ms;
  storage::NullableStr r(reason);
  soci::statement st =
      (tx.sql().prepare << "UPDATE tg_sessions SET status = :to, status_reason = :r, "
                           "updated_at = :n WHERE id = :id AND (:from = '' OR status = :from2)",
       soci::use(to_status, "to"), soci::use(r.value, r.ind, "r"), soci::use(now, "n"),
       soci::use(lid, "id"), soci::use(from_status, "from"), soci::use(from_status, "from2"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace stock
}  // namespace hqadz::domain
