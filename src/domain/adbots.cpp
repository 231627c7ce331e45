#include "domain/adbots.hpp"

#include "domain/adbot_rows.hpp"
#include "domain/audit.hpp"
#include "domain/links.hpp"
#include "domain/notifications.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

core::Error no_adbot() { return core::Error::not_found("no such adbot"); }

core::Error conflict(const std::string& code, const std::string& message) {
  return core::Error::conflict(code, message);
}

core::Error unprocessable(const std::string& code, const std::string& message) {
  return {core::Errc::kUnprocessable, code, message};
}

/// The adbot if `caller` owns it or is an admin; "not found" otherwise (no existence leak).
core::Result<AdbotRow> owned(storage::Tx& tx, const Caller& caller, int64_t id,
                             bool for_update = false) {
  auto row = for_update ? load_adbot_for_update(tx, id) : load_adbot(tx, id);
  if (!row || (row->user_id != caller.user_id && caller.role != "ADMIN")) {
    return no_adbot();
  }
  return *row;
}

std::string mask_phone(const std::string& phone) {
  if (phone.size() <= 4) {
    return "••••";
  }
  return phone.substr(0, std::min<size_t>(3, phone.size() - 4)) + " ••• " +
         phone.substr(phone.size() - 2);
}

int64_t count_healthy(storage::Tx& tx, int64_t adbot_id, int64_t now) {
  const long long id = adbot_id;
  const long long n = now;
  long long count = 0;
  tx.sql() << "SELECT COUNT(*) FROM tg_sessions WHERE assigned_to_adbot_id = :a AND "
              "status = 'ASSIGNED' AND (flood_until IS NULL OR flood_until <= :n)",
      soci::into(count), soci::use(id), soci::use(n);
  return count;
}

nlohmann::json advertisement_json(storage::Tx& tx, const AdbotRow& a) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : load_groups(tx, a.id)) {
    groups.push_back({{"target", g.target},
                      {"state", g.state},
                      {"last_error", g.last_error ? nlohmann::json(*g.last_error) : nlohmann::json()}});
  }
  return {{"adbot_id", a.id},
          {"post_link", a.post_link ? nlohmann::json(*a.post_link) : nlohmann::json()},
          {"groups", groups},
          {"max_groups", a.max_groups},
          {"status", a.status}};
}

}  // namespace

bool is_blocklisted(storage::Tx& tx, const std::string& target) {
  int n = 0;
  tx.sql() << "SELECT COUNT(*) FROM group_blocklist WHERE target = :t AND status IN "
              "('ACTIVE', 'PENDING')",
      soci::into(n), soci::use(target);
  return n > 0;
}

AdbotService::AdbotService(storage::Database& db, const core::Clock& clock, AdbotSettings settings)
    : db_(db), clock_(clock), settings_(settings), limiter_(db, clock) {}

void AdbotService::changed(int64_t id) const {
  if (on_change_) {
    on_change_(id);
  }
}

core::Result<nlohmann::json> AdbotService::get_advertisement(const Caller& caller, int64_t id) {
  return db_.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto a = owned(tx, caller, id);
    if (!a.ok()) {
      return a.error();
    }
    return advertisement_json(tx, *a);
  });
}

core::Result<nlohmann::json> AdbotService::set_advertisement(
    const Caller& caller, int64_t id, const std::optional<std::string>& post_link,
    const std::optional<std::vector<std::string>>& groups) {
  std::optional<std::string> canonical_post;
  if (post_link) {
    auto p = parse_post_link(*post_link);
    if (!p.ok()) {
      return p.error();
    }
    canonical_post = p->canonical();
  }
  std::optional<GroupList> parsed;
  if (groups) {
    if (groups->size() > 5000) {
      return core::Error::invalid("too_many_groups", "at most 5000 entries at once");
    }
    parsed = parse_group_list(*groups);
  }
  bool running = false;
  auto out = db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto a = owned(tx, caller, id, true);
    if (!a.ok()) {
      return a.error();
    }
    if (a->status == "EXPIRED") {
      return conflict("adbot_expired", "this adbot has expired; renew it to configure it");
    }
    running = a->status == "RUNNING";
    const long long lid = id;
    const long long now = now_ms();
    if (canonical_post) {
      tx.sql() << "UPDATE adbots SET post_link = :p, updated_at = :n WHERE id = :id",
          soci::use(*canonical_post), soci::use(now), soci::use(lid);
      a->post_link = canonical_post;
    }
    nlohmann::json rejected = nlohmann::json::array();
    if (parsed) {
      for (const auto& r : parsed->rejected) {
        rejected.push_back({{"input", r.input}, {"reason", r.reason}});
      }
      // Keep what we learnt about groups that stay.
      std::map<std::string, GroupRow> previous;
      for (auto& g : load_groups(tx, id)) {
        previous[g.target] = g;
      }
      tx.sql() << "DELETE FROM adbot_groups WHERE adbot_id = :id", soci::use(lid);
      int position = 0;
      for (const auto& g : parsed->accepted) {
        if (is_blocklisted(tx, g.canonical)) {
          rejected.push_back({{"input", g.canonical},
                              {"reason", "this group's owner asked not to receive ads here"}});
          continue;
        }
        if (position >= a->max_groups) {
          rejected.push_back({{"input", g.canonical},
                              {"reason", "over your plan's limit of " +
                                             std::to_string(a->max_groups) + " groups"}});
          continue;
        }
        auto prev = previous.find(g.canonical);
        const std::string state = prev != previous.end() ? prev->second.state : "ACTIVE";
        storage::NullableStr err(prev != previous.end() ? prev->second.last_error : std::nullopt);
        tx.sql() << "INSERT INTO adbot_groups (adbot_id, target, position, state, last_error) "
                    "VALUES (:a, :t, :p, :s, :e)",
            soci::use(lid), soci::use(g.canonical), soci::use(position), soci::use(state),
            soci::use(err.value, err.ind);
        ++position;
      }
      tx.sql() << "UPDATE adbots SET updated_at = :n WHERE id = :id", soci::use(now),
          soci::use(lid);
    }
    auto body = advertisement_json(tx, *a);
    body["rejected"] = rejected;
    return body;
  });
  if (out.ok() && running) {
    changed(id);
  }
  return out;
}

core::Result<nlohmann::json> AdbotService::start(const Caller& caller, int64_t id,
                                                 const std::string& client_address) {
  auto out = db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto a = owned(tx, caller, id, true);
    if (!a.ok()) {
      return a.error();
    }
    const int64_t now = now_ms();
    if (a->status == "RUNNING") {
      return adbot_json(*a);
    }
    if (a->status == "EXPIRED" || (a->validity_end && *a->validity_end <= now)) {
      return conflict("adbot_expired", "this adbot has expired; renew it to start it again");
    }
    if (a->status == "QUEUED") {
      return conflict("adbot_queued", "this adbot is waiting for accounts to be assigned");
    }
    if (a->status == "SUSPENDED") {
      return conflict("adbot_suspended", "the owner's account is suspended");
    }
    if (!a->post_link) {
      return unprocessable("no_post_link", "set the post to forward first");
    }
    int groups = 0;
    const long long lid = id;
    tx.sql() << "SELECT COUNT(*) FROM adbot_groups WHERE adbot_id = :a AND state = 'ACTIVE'",
        soci::into(groups), soci::use(lid);
    if (groups == 0) {
      return unprocessable("no_groups", "add at least one group first");
    }
    if (count_healthy(tx, id, now) == 0) {
      return unprocessable("no_healthy_account",
                           "no healthy Telegram account is assigned to this adbot; an admin "
                           "must assign a replacement");
    }
    const long long n = now;
    tx.sql() << "UPDATE adbots SET status = 'RUNNING', next_run_at = :n, cycle_state = 'IDLE', "
                "cycle_plan = NULL, stop_reason = NULL, updated_at = :n2 WHERE id = :id",
        soci::use(n, "n"), soci::use(n, "n2"), soci::use(lid, "id");
    add_event(tx, {id, "STARTED", std::nullopt, std::nullopt, std::nullopt,
                   caller.user_id == a->user_id ? "started by the owner" : "started by an admin"},
              now);
    if (caller.user_id != a->user_id) {
      record_audit(tx, {caller.user_id, "adbot.start", "adbot", id, {}, client_address}, now);
    }
    if (tx.is_postgres()) {
      const std::string payload = std::to_string(id);  // soci::use binds by reference
      tx.sql() << "SELECT pg_notify('hqadz_adbots', :id)", soci::use(payload);
    }
    a->status = "RUNNING";
    a->next_run_at = now;
    return adbot_json(*a);
  });
  if (out.ok()) {
    changed(id);
  }
  return out;
}

core::Result<nlohmann::json> AdbotService::stop(const Caller& caller, int64_t id,
                                                const std::string& client_address) {
  auto out = db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto a = owned(tx, caller, id, true);
    if (!a.ok()) {
      return a.error();
    }
    if (a->status != "RUNNING") {
      return adbot_json(*a);
    }
    const int64_t now = now_ms();
    const bool by_owner = caller.user_id == a->user_id;
    const std::string reason = by_owner ? "stopped by the owner" : "stopped by an admin";
    const long long n = now;
    const long long lid = id;
    tx.sql() << "UPDATE adbots SET status = 'STOPPED', stop_reason = :r, next_run_at = NULL, "
                "updated_at = :n WHERE id = :id",
        soci::use(reason), soci::use(n), soci::use(lid);
    add_event(tx, {id, "STOPPED", std::nullopt, std::nullopt, std::nullopt, reason}, now);
    if (!by_owner) {
      record_audit(tx, {caller.user_id, "adbot.force_stop", "adbot", id, {}, client_address}, now);
      notify_user(tx, a->user_id, "adbot_stopped", "Your adbot was stopped",
                  "An administrator stopped adbot #" + std::to_string(id) + ".", now);
    }
    if (tx.is_postgres()) {
      const std::string payload = std::to_string(id);  // soci::use binds by reference
      tx.sql() << "SELECT pg_notify('hqadz_adbots', :id)", soci::use(payload);
    }
    a->status = "STOPPED";
    a->stop_reason = reason;
    return adbot_json(*a);
  });
  if (out.ok()) {
    changed(id);
  }
  return out;
}

core::Result<nlohmann::json> AdbotService::get(const Caller& caller, int64_t id) {
  return db_.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto a = owned(tx, caller, id);
    if (!a.ok()) {
      return a.error();
    }
    const long long lid = id;
    const int64_t now = now_ms();
    // Per account: health and counters.
    nlohmann::json accounts = nlohmann::json::array();
    std::vector<long long> session_ids;
    {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "SELECT id, phone_number, tg_username, status, flood_until, "
                               "sends_today, counters_day, status_reason, no_joins_since FROM tg_sessions "
                               "WHERE assigned_to_adbot_id = :a ORDER BY id",
           soci::use(lid));
      const int64_t today = now / 86'400'000;
      for (const auto& r : rows) {
        const auto flood = storage::opt_i64(r, "flood_until");
        const bool waiting = flood && *flood > now;
        const auto username = storage::opt_str(r, "tg_username");
        session_ids.push_back(storage::i64(r, "id"));
        accounts.push_back(
            {{"session_id", storage::i64(r, "id")},
             {"phone", mask_phone(storage::str(r, "phone_number"))},
             {"username", username ? nlohmann::json(*username) : nlohmann::json()},
             {"status", storage::str(r, "status")},
             {"healthy", storage::str(r, "status") == "ASSIGNED" && !waiting},
             {"flood_until", waiting ? iso_or_null(flood) : nlohmann::json()},
             {"sends_today",
              storage::i64(r, "counters_day") == today ? storage::i64(r, "sends_today") : 0},
             {"status_reason", storage::opt_str(r, "status_reason")
                                   ? nlohmann::json(*storage::opt_str(r, "status_reason"))
                                   : nlohmann::json()},
             {"no_joins_since", iso_or_null(storage::opt_i64(r, "no_joins_since"))}});
      }
    }
    // Per group, with what each account knows of it.
    std::map<std::string, nlohmann::json> per_target;
    {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "SELECT ag.session_id, ag.target, ag.state, ag.next_allowed_at, "
                               "ag.last_error FROM account_groups ag JOIN tg_sessions s ON "
                               "s.id = ag.session_id WHERE s.assigned_to_adbot_id = :a",
           soci::use(lid));
      for (const auto& r : rows) {
        const auto next = storage::opt_i64(r, "next_allowed_at");
        const auto err = storage::opt_str(r, "last_error");
        per_target[storage::str(r, "target")].push_back(
            {{"session_id", storage::i64(r, "session_id")},
             {"state", storage::str(r, "state")},
             {"next_allowed_at", next && *next > now ? iso_or_null(next) : nlohmann::json()},
             {"last_error", err ? nlohmann::json(*err) : nlohmann::json()}});
      }
    }
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : load_groups(tx, id)) {
      auto it = per_target.find(g.target);
      groups.push_back({{"target", g.target},
                        {"state", g.state},
                        {"last_error", g.last_error ? nlohmann::json(*g.last_error) : nlohmann::json()},
                        {"accounts", it == per_target.end() ? nlohmann::json::array() : it->second}});
    }
    return nlohmann::json{{"adbot", adbot_json(*a)},
                          {"groups", groups},
                          {"accounts", accounts},
                          {"stats", stats_json(tx, id)}};
  });
}

core::Result<nlohmann::json> AdbotService::logs(const Caller& caller, int64_t id,
                                                const LogQuery& q) {
  return db_.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto a = owned(tx, caller, id);
    if (!a.ok()) {
      return a.error();
    }
    const long long lid = id;
    const long long before = q.before_id.value_or(INT64_MAX);
    const long long after = q.after_id.value_or(0);
    const int limit = q.limit;
    // A live tail reads forward from `after`; a page reads backward from `before`.
    const std::string order = q.after_id ? "ASC" : "DESC";
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT id, at, kind, session_id, target, wait_seconds, detail FROM "
                             "adbot_events WHERE adbot_id = :a AND id < :b AND id > :f ORDER BY "
                             "id " + order + " LIMIT :l",
         soci::use(lid, "a"), soci::use(before, "b"), soci::use(after, "f"),
         soci::use(limit, "l"));
    nlohmann::json logs = nlohmann::json::array();
    for (const auto& r : rows) {
      logs.push_back(event_json(r));
    }
    nlohmann::json next;
    if (!q.after_id && static_cast<int>(logs.size()) == limit && !logs.empty()) {
      next = logs.back()["id"];
    }
    return nlohmann::json{{"logs", logs}, {"next_before", next}};
  });
}

core::Result<std::string> AdbotService::post_link_of(const Caller& caller, int64_t id) {
  return db_.read([&](storage::Tx& tx) -> core::Result<std::string> {
    auto a = owned(tx, caller, id);
    if (!a.ok()) {
      return a.error();
    }
    if (!a->post_link) {
      return unprocessable("no_post_link", "set the post to forward first");
    }
    return *a->post_link;
  });
}

core::Result<nlohmann::json> AdbotService::user_stats(const Caller& caller) {
  return db_.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    const long long uid = caller.user_id;
    long long adbots = 0, running = 0;
    tx.sql() << "SELECT COUNT(*) FROM adbots WHERE user_id = :u", soci::into(adbots),
        soci::use(uid);
    tx.sql() << "SELECT COUNT(*) FROM adbots WHERE user_id = :u AND status = 'RUNNING'",
        soci::into(running), soci::use(uid);
    long long posts = 0, success = 0, failures = 0, floods = 0;
    soci::indicator i1, i2, i3, i4;
    tx.sql() << "SELECT SUM(s.posts), SUM(s.success), SUM(s.failures), SUM(s.flood_waits) FROM "
                "adbot_stats s JOIN adbots a ON a.id = s.adbot_id WHERE a.user_id = :u",
        soci::into(posts, i1), soci::into(success, i2), soci::into(failures, i3),
        soci::into(floods, i4), soci::use(uid);
    const long long since = now_ms() - 14LL * 86'400'000;
    nlohmann::json per_day = nlohmann::json::array();
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT f.at / 86400000 AS day, COUNT(*) AS n FROM forwards f JOIN "
                             "adbots a ON a.id = f.adbot_id WHERE a.user_id = :u AND f.outcome = "
                             "'SENT' AND f.at >= :s GROUP BY f.at / 86400000 ORDER BY day",
         soci::use(uid, "u"), soci::use(since, "s"));
    for (const auto& r : rows) {
      per_day.push_back(
          {{"day", core::format_iso8601(core::from_unix_ms(storage::i64(r, "day") * 86'400'000))
                       .substr(0, 10)},
           {"deliveries", storage::i64(r, "n")}});
    }
    return nlohmann::json{{"adbots", adbots},
                          {"running", running},
                          {"posts", i1 == soci::i_ok ? posts : 0},
                          {"success", i2 == soci::i_ok ? success : 0},
                          {"failures", i3 == soci::i_ok ? failures : 0},
                          {"flood_waits", i4 == soci::i_ok ? floods : 0},
                          {"deliveries_per_day", per_day}};
  });
}

}  // namespace hqadz::domain
