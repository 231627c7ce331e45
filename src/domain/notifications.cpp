#include "domain/notifications.hpp"

#include "core/clock.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {

void notify_user(storage::Tx& tx, int64_t user_id, const std::string& kind,
                 const std::string& title, const std::string& body, int64_t now_ms) {
  const long long uid = user_id;
  const long long now = now_ms;
  tx.sql() << "INSERT INTO notifications (user_id, kind, title, body, created_at) "
              "VALUES (:u, :k, :t, :b, :c)",
      soci::use(uid), soci::use(kind), soci::use(title), soci::use(body), soci::use(now);
}

void notify_admins(storage::Tx& tx, const std::string& kind, const std::string& title,
                   const std::string& body, int64_t now_ms) {
  const long long now = now_ms;
  tx.sql() << "INSERT INTO notifications (user_id, kind, title, body, created_at) "
              "SELECT id, :k, :t, :b, :c FROM users WHERE role = 'ADMIN' AND status = 'ACTIVE'",
      soci::use(kind), soci::use(title), soci::use(body), soci::use(now);
}

std::vector<nlohmann::json> list_notifications(storage::Tx& tx, int64_t user_id,
                                               const NotificationQuery& q) {
  const long long uid = user_id;
  const long long before = q.before_id.value_or(INT64_MAX);
  const int unread = q.unread_only ? 1 : 0;
  const int limit = q.limit;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << "SELECT id, kind, title, body, created_at, read_at FROM notifications "
                           "WHERE user_id = :u AND id < :b AND (:unread = 0 OR read_at IS NULL) "
                           "ORDER BY id DESC LIMIT :l",
       soci::use(uid, "u"), soci::use(before, "b"), soci::use(unread, "unread"),
       soci::use(limit, "l"));
  std::vector<nlohmann::json> out;
  for (const auto& r : rows) {
    auto read_at = storage::opt_i64(r, "read_at");
    out.push_back(
        {{"id", storage::i64(r, "id")},
         {"kind", storage::str(r, "kind")},
         {"title", storage::str(r, "title")},
         {"body", storage::str(r, "body")},
         {"created_at", core::format_iso8601(core::from_unix_ms(storage::i64(r, "created_at")))},
         {"read_at", read_at ? nlohmann::json(core::format_iso8601(core::from_unix_ms(*read_at)))
                             : nlohmann::json()}});
  }
  return out;
}

int64_t count_unread(storage::Tx& tx, int64_t user_id) {
  const long long uid = user_id;
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM notifications WHERE user_id = :u AND read_at IS NULL",
      soci::into(n), soci::use(uid);
  return n;
}

bool mark_read(storage::Tx& tx, int64_t user_id, std::optional<int64_t> id, int64_t now_ms) {
  const long long uid = user_id;
  const long long now = now_ms;
  if (!id) {
    tx.sql() << "UPDATE notifications SET read_at = :n WHERE user_id = :u AND read_at IS NULL",
        soci::use(now), soci::use(uid);
    return true;
  }
  const long long nid = *id;
  long long owner = 0;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT user_id FROM notifications WHERE id = :i", soci::into(owner, ind),
      soci::use(nid);
  if (!tx.sql().got_data() || owner != uid) {
    return false;
  }
  tx.sql() << "UPDATE notifications SET read_at = :n WHERE id = :i AND read_at IS NULL",
      soci::use(now), soci::use(nid);
  return true;
}

}  // namespace hqadz::domain
