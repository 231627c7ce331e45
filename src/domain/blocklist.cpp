// The operator's group blocklist and the public opt-out for group owners (DESIGN section 6:
// no adbot ever posts to a group on it).
#include "domain/adbot_rows.hpp"
#include "domain/adbots.hpp"
#include "domain/audit.hpp"
#include "domain/links.hpp"
#include "domain/notifications.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

nlohmann::json entry_json(const soci::row& r) {
  auto contact = storage::opt_str(r, "contact");
  return {{"id", storage::i64(r, "id")},
          {"target", storage::str(r, "target")},
          {"reason", storage::str(r, "reason")},
          {"source", storage::str(r, "source")},
          {"status", storage::str(r, "status")},
          {"contact", contact ? nlohmann::json(*contact) : nlohmann::json()},
          {"created_at", iso_or_null(storage::i64(r, "created_at"))},
          {"decided_at", iso_or_null(storage::opt_i64(r, "decided_at"))}};
}

std::optional<nlohmann::json> load_entry(storage::Tx& tx, int64_t id) {
  const long long lid = id;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << "SELECT * FROM group_blocklist WHERE id = :id", soci::use(lid));
  for (const auto& r : rows) {
    return entry_json(r);
  }
  return std::nullopt;
}

}  // namespace

core::Result<nlohmann::json> AdbotService::blocklist(const std::optional<std::string>& status) {
  return db_.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    const std::string s = status.value_or("");
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT * FROM group_blocklist WHERE (:s = '' OR status = :s2) "
                             "ORDER BY id DESC LIMIT 1000",
         soci::use(s, "s"), soci::use(s, "s2"));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : rows) {
      list.push_back(entry_json(r));
    }
    return nlohmann::json{{"blocklist", list}};
  });
}

core::Result<nlohmann::json> AdbotService::block(const Caller& admin, const std::string& group,
                                                 const std::string& reason,
                                                 const std::string& client_address) {
  auto target = parse_group_target(group);
  if (!target.ok()) {
    return target.error();
  }
  return db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    const long long now = now_ms();
    const long long actor = admin.user_id;
    long long id = 0;
    soci::indicator ind = soci::i_null;
    tx.sql() << "SELECT id FROM group_blocklist WHERE target = :t", soci::into(id, ind),
        soci::use(target->canonical);
    if (tx.sql().got_data() && ind == soci::i_ok) {
      tx.sql() << "UPDATE group_blocklist SET status = 'ACTIVE', reason = :r, decided_by = :a, "
                  "decided_at = :n WHERE id = :id",
          soci::use(reason), soci::use(actor), soci::use(now), soci::use(id);
    } else {
      tx.sql() << "INSERT INTO group_blocklist (target, reason, source, status, created_at, "
                  "decided_by, decided_at) VALUES (:t, :r, 'ADMIN', 'ACTIVE', :n, :a, :n2) "
                  "RETURNING id",
          soci::use(target->canonical, "t"), soci::use(reason, "r"), soci::use(now, "n"),
          soci::use(actor, "a"), soci::use(now, "n2"), soci::into(id);
    }
    record_audit(tx, {admin.user_id, "blocklist.add", "group_blocklist", id,
                      {{"target", target->canonical}, {"reason", reason}}, client_address},
                 now);
    return *load_entry(tx, id);
  });
}

core::Result<nlohmann::json> AdbotService::decide_block(const Caller& admin, int64_t entry_id,
                                                        const std::string& decision,
                                                        const std::string& client_address) {
  if (decision != "confirm" && decision != "reject") {
    return core::Error::invalid("invalid_decision", "decision must be confirm or reject");
  }
  return db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto entry = load_entry(tx, entry_id);
    if (!entry) {
      return core::Error::not_found("no such blocklist entry");
    }
    const std::string status = decision == "confirm" ? "ACTIVE" : "REJECTED";
    const long long now = now_ms();
    const long long actor = admin.user_id;
    const long long id = entry_id;
    tx.sql() << "UPDATE group_blocklist SET status = :s, decided_by = :a, decided_at = :n "
                "WHERE id = :id",
        soci::use(status), soci::use(actor), soci::use(now), soci::use(id);
    record_audit(tx, {admin.user_id, "blocklist." + decision, "group_blocklist", entry_id,
                      {{"target", (*entry)["target"]}}, client_address},
                 now);
    return *load_entry(tx, entry_id);
  });
}

core::Result<nlohmann::json> AdbotService::unblock(const Caller& admin, int64_t entry_id,
                                                   const std::string& client_address) {
  return db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    auto entry = load_entry(tx, entry_id);
    if (!entry) {
      return core::Error::not_found("no such blocklist entry");
    }
    const long long id = entry_id;
    tx.sql() << "DELETE FROM group_blocklist WHERE id = :id", soci::use(id);
    record_audit(tx, {admin.user_id, "blocklist.remove", "group_blocklist", entry_id,
                      {{"target", (*entry)["target"]}}, client_address},
                 now_ms());
    return nlohmann::json{{"deleted", entry_id}};
  });
}

core::Result<nlohmann::json> AdbotService::opt_out(const std::string& group,
                                                   const std::string& contact,
                                                   const std::string& reason,
                                                   const std::string& client_address) {
  auto target = parse_group_target(group);
  if (!target.ok()) {
    return target.error();
  }
  // Per address (one sender cannot flood the admins) and per group (many senders cannot keep
  // one group's entry churning): an opt-out takes effect at once, so its volume is bounded.
  const RateRule per_address{10, std::chrono::hours(1)};
  const RateRule per_group{3, std::chrono::hours(24)};
  for (const auto& [bucket, rule] : {std::pair{"optout:ip:" + client_address, per_address},
                                     std::pair{"optout:group:" + target->canonical, per_group}}) {
    auto wait = limiter_.take(bucket, rule);
    if (!wait.ok()) {
      return wait.error();
    }
    if (*wait > 0) {
      core::Error e{core::Errc::kRateLimited, "rate_limited", "too many requests; try later"};
      e.retry_after_s = *wait;
      return e;
    }
  }
  return db_.write([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
    const long long now = now_ms();
    long long id = 0;
    std::string status;
    soci::indicator ind = soci::i_null;
    tx.sql() << "SELECT id, status FROM group_blocklist WHERE target = :t", soci::into(id, ind),
        soci::into(status), soci::use(target->canonical);
    if (tx.sql().got_data() && ind == soci::i_ok) {
      if (status == "REJECTED") {
        // An admin decided: an anonymous request does not re-open it (that would block the
        // group for every customer again). The repeat is kept for the admins to see.
        record_audit(tx,
                     {std::nullopt,
                      "blocklist.opt_out_repeat",
                      "group_blocklist",
                      id,
                      {{"target", target->canonical}, {"reason", reason}, {"contact", contact}},
                      client_address},
                     now);
        return nlohmann::json{
            {"target", target->canonical},
            {"message",
             "Recorded: an admin has reviewed this group already and will see your "
             "request."}};
      }
    } else {
      tx.sql() << "INSERT INTO group_blocklist (target, reason, source, status, contact, "
                  "created_at) VALUES (:t, :r, 'OPT_OUT', 'PENDING', :c, :n)",
          soci::use(target->canonical), soci::use(reason), soci::use(contact), soci::use(now);
      notify_admins(tx, "opt_out", "Opt-out request",
                    "The owner of " + target->canonical +
                        " asked not to receive ads. It is blocked already; confirm or reject it.",
                    now);
    }
    return nlohmann::json{{"target", target->canonical},
                          {"message", "Done: no adbot will post to this group from now on."}};
  });
}

}  // namespace hqadz::domain
