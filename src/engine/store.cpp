#include "engine/store.hpp"

#include <spdlog/spdlog.h>

#include "crypto/random.hpp"
#include "domain/adbot_rows.hpp"
#include "domain/adbots.hpp"
#include "domain/notifications.hpp"
#include "storage/row.hpp"

namespace hqadz::engine::store {
namespace {

constexpr int64_t kDayMs = 86'400'000;

std::string peer_type(const telegram::Peer& p) {
  switch (p.kind) {
    case telegram::Peer::Kind::kUser:
      return "user";
    case telegram::Peer::Kind::kChat:
      return "chat";
    case telegram::Peer::Kind::kChannel:
      return p.megagroup ? "megagroup" : "channel";
  }
  return "channel";
}

void upsert_group_state(storage::Tx& tx, int64_t session_id, const std::string& target,
                        const std::string& state, std::optional<int64_t> next_allowed,
                        std::optional<int64_t> recheck, const std::string& error, int64_t now) {
  const long long sid = session_id;
  const long long n = now;
  storage::NullableI64 na(next_allowed);
  storage::NullableI64 rc(recheck);
  tx.sql() << "INSERT INTO account_groups (session_id, target, state, next_allowed_at, "
              "recheck_at, last_error, updated_at) VALUES (:s, :t, :st, :na, :rc, :e, :n) "
              "ON CONFLICT (session_id, target) DO UPDATE SET state = :st2, next_allowed_at = "
              ":na2, recheck_at = :rc2, last_error = :e2, updated_at = :n2",
      soci::use(sid, "s"), soci::use(target, "t"), soci::use(state, "st"),
      soci::use(na.value, na.ind, "na"), soci::use(rc.value, rc.ind, "rc"), soci::use(error, "e"),
      soci::use(n, "n"), soci::use(state, "st2"), soci::use(na.value, na.ind, "na2"),
      soci::use(rc.value, rc.ind, "rc2"), soci::use(error, "e2"), soci::use(n, "n2");
}

}  // namespace

std::vector<int64_t> claim(storage::Database& db, const std::string& owner, int64_t now,
                           int64_t until, int limit) {
  auto r = db.write([&](storage::Tx& tx) -> core::Result<std::vector<int64_t>> {
    const long long n = now;
    const long long u = until;
    const std::string lock = tx.is_postgres() ? " FOR UPDATE SKIP LOCKED" : "";
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "UPDATE adbots SET lease_owner = :o, lease_until = :u WHERE id IN "
                             "(SELECT id FROM adbots WHERE status = 'RUNNING' AND (lease_owner IS "
                             "NULL OR lease_until IS NULL OR lease_until < :n) ORDER BY id LIMIT "
                             ":l" +
                                 lock + ") RETURNING id",
         soci::use(owner, "o"), soci::use(u, "u"), soci::use(n, "n"), soci::use(limit, "l"));
    std::vector<int64_t> ids;
    for (const auto& row : rows) {
      ids.push_back(storage::i64(row, "id"));
    }
    return ids;
  });
  if (!r.ok()) {
    spdlog::warn("engine: claiming adbots failed: {}", r.error().message);
    return {};
  }
  return *r;
}

core::Result<std::set<int64_t>> renew(storage::Database& db, const std::string& owner,
                                      int64_t until) {
  auto r = db.write([&](storage::Tx& tx) -> core::Result<std::set<int64_t>> {
    const long long u = until;
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "UPDATE adbots SET lease_until = :u WHERE lease_owner = :o AND "
                             "status = 'RUNNING' RETURNING id",
         soci::use(u, "u"), soci::use(owner, "o"));
    std::set<int64_t> ids;
    for (const auto& row : rows) {
      ids.insert(storage::i64(row, "id"));
    }
    return ids;
  });
  if (!r.ok()) {
    spdlog::warn("engine: renewing leases failed: {}", r.error().message);
  }
  return r;
}

void release(storage::Tx& tx, int64_t adbot_id, const std::string& owner) {
  const long long id = adbot_id;
  tx.sql() << "UPDATE adbots SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND "
              "lease_owner = :o",
      soci::use(id), soci::use(owner);
}

void release(storage::Database& db, int64_t adbot_id, const std::string& owner) {
  (void)db.write([&](storage::Tx& tx) -> core::Status {
    release(tx, adbot_id, owner);
    return core::ok_status();
  });
}

std::optional<RunState> load_run_state(Statements& q, int64_t adbot_id, const std::string& owner,
                                       int64_t now) {
  auto a = q.run_row(adbot_id);
  if (!a) {
    return std::nullopt;
  }
  RunState s;
  static_cast<Statements::RunRow&>(s) = std::move(*a);
  s.leased = s.lease_owner == owner;
  s.targets = q.targets(adbot_id);
  s.sessions = q.accounts(adbot_id);
  const int64_t today = now / kDayMs;
  for (auto& si : s.sessions) {
    if (si.counters_day != today) {
      si.sends_today = 0;
      si.joins_today = 0;
    }
  }
  return s;
}

void AccountCounters::count_send(int64_t now) {
  const int64_t today = now / kDayMs;
  if (day != today) {
    day = today;
    sends = 0;
  }
  ++sends;
}

int64_t AccountCounters::sends_on(int64_t now) const { return day == now / kDayMs ? sends : 0; }

std::map<int64_t, AccountCounters> account_counters(Statements& q,
                                                    const std::vector<int64_t>& session_ids) {
  std::map<int64_t, AccountCounters> out;
  for (int64_t id : session_ids) {
    if (out.count(id) != 0) {
      continue;
    }
    AccountCounters c;
    if (auto g = q.session_gate(id)) {
      c.day = g->counters_day;
      c.sends = g->sends_today;
      c.flood_until = g->flood_until.value_or(0);
    }
    out[id] = c;
  }
  return out;
}

CycleBegin begin_cycle(Statements& q, int64_t adbot_id, const std::string& owner,
                       const std::vector<Slot>& plan, int64_t now) {
  CycleBegin out;
  const int64_t c = q.begin_cycle(adbot_id, owner, plan_to_json(plan), now);
  if (c == 0) {
    return out;
  }
  out.cycle_no = c;
  std::vector<int64_t> sessions;
  out.random_ids.reserve(plan.size());
  // A slot whose tries Telegram never answered last cycle goes again with that random_id: one of
  // them may have been delivered, and Telegram dedupes by it.
  const auto carried = q.carried(adbot_id, c - 1);
  for (const auto& slot : plan) {
    int64_t rid = 0;
    if (auto it = carried.find({slot.session_id, slot.target}); it != carried.end()) {
      rid = it->second;
    }
    out.carried.push_back(rid != 0);
    while (rid == 0) {
      rid = static_cast<int64_t>(crypto::random_u64());
    }
    // A new cycle number has no rows: every insert lands.
    q.insert_pending(adbot_id, c, slot.target, slot.session_id, rid, now);
    out.random_ids.push_back(rid);
    sessions.push_back(slot.session_id);
  }
  out.accounts = account_counters(q, sessions);
  q.add_event(
      {adbot_id, now, "CYCLE_STARTED", std::nullopt, std::nullopt, std::nullopt,
       "cycle " + std::to_string(c) + ": " + std::to_string(plan.size()) + " sends planned"});
  return out;
}

void finish_cycle(Statements& q, int64_t adbot_id, const std::string& owner, int64_t cycle_no,
                  int64_t next_run_at, int64_t now) {
  q.end_cycle(adbot_id, owner, next_run_at);
  q.add_event({adbot_id, now, "CYCLE_DONE", std::nullopt, std::nullopt, std::nullopt,
               "cycle " + std::to_string(cycle_no) + " done"});
}

std::map<std::pair<int64_t, std::string>, SlotRecord> slot_records(storage::Tx& tx,
                                                                   int64_t adbot_id,
                                                                   int64_t cycle_no) {
  std::map<std::pair<int64_t, std::string>, SlotRecord> out;
  const long long id = adbot_id;
  const long long c = cycle_no;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << "SELECT session_id, target, outcome, random_id, at FROM "
                           "forwards WHERE adbot_id = :a AND cycle_no = :c",
       soci::use(id), soci::use(c));
  for (const auto& row : rows) {
    out[{storage::i64(row, "session_id"), storage::str(row, "target")}] = {
        storage::str(row, "outcome"), storage::i64(row, "random_id"),
        storage::i64(row, "at")};
  }
  return out;
}

Preflight preflight(Statements& q, const SlotKey& slot, const std::string& owner,
                    const std::string& source_key, int daily_cap, const AccountCounters& mine,
                    int64_t now) {
  Preflight p;
  using V = Preflight::Verdict;
  const auto c = q.checks(slot.adbot_id, slot.cycle, slot.target, slot.session_id, source_key);
  if (!c || c->status != "RUNNING" || c->lease_owner != owner) {
    p.verdict = V::kStopAdbot;
    p.detail = "the adbot is no longer running here";
    return p;
  }
  if (c->validity_end && *c->validity_end <= now) {
    // The plan ended inside a cycle: not one more send (maintenance would notice only later).
    p.verdict = V::kStopAdbot;
    p.expired = true;
    p.detail = "the plan expired";
    return p;
  }
  if (c->outcome && *c->outcome != "PENDING") {
    p.already_final = true;  // recorded already (a retry after a commit reported lost)
    return p;
  }
  const std::string sstatus = c->session ? c->session->status : "gone";
  if (sstatus != "ASSIGNED") {
    p.verdict = V::kStopLane;
    p.detail = "account is " + sstatus;
    return p;
  }
  const auto& account = *c->session;
  const int64_t flood_until = std::max(account.flood_until.value_or(0), mine.flood_until);
  if (flood_until > now) {
    p.verdict = V::kDefer;
    p.until = flood_until;
    p.detail = "flood wait";
    return p;
  }
  if (c->blocklisted) {
    p.verdict = V::kSkip;
    p.outcome = "SKIPPED";
    p.detail = "on the operator's blocklist";
    return p;
  }
  const int64_t committed = account.counters_day == now / kDayMs ? account.sends_today : 0;
  if (std::max(committed, mine.sends_on(now)) >= daily_cap) {
    p.verdict = V::kSkip;
    p.outcome = "CAPPED";
    p.detail = "daily cap of " + std::to_string(daily_cap) + " sends reached for this account";
    return p;
  }
  p.no_joins = account.no_joins;
  p.group = c->group;
  if (p.group.state == "INVALID") {
    p.verdict = V::kSkip;
    p.outcome = "DROPPED";
    p.detail = "not a usable group";
    return p;
  }
  if (p.group.state == "DROPPED" && p.group.recheck_at && *p.group.recheck_at > now) {
    p.verdict = V::kSkip;
    p.outcome = "DROPPED";
    p.detail = "this account cannot post there";
    return p;
  }
  if (p.group.state == "AWAITING_APPROVAL" && p.group.recheck_at && *p.group.recheck_at > now) {
    p.verdict = V::kSkip;
    p.outcome = "SKIPPED";
    p.detail = kAwaitingApprovalText;  // joined again only after the recheck
    return p;
  }
  if (p.group.next_allowed_at && *p.group.next_allowed_at > now) {
    p.verdict = V::kDefer;
    p.until = *p.group.next_allowed_at;
    p.detail = "slow mode";
    return p;
  }
  p.source = c->source;
  return p;
}

void save_peer(storage::Tx& tx, int64_t session_id, const std::string& key,
               const std::string& state, const std::optional<telegram::Peer>& peer,
               const std::string& error, int64_t now) {
  const long long sid = session_id;
  const long long n = now;
  storage::NullableStr type(peer ? std::optional<std::string>(peer_type(*peer)) : std::nullopt);
  storage::NullableI64 pid(peer ? std::optional<int64_t>(peer->id) : std::nullopt);
  storage::NullableI64 hash(peer ? std::optional<int64_t>(peer->access_hash) : std::nullopt);
  storage::NullableI64 recheck(state == "DROPPED"
                                   ? std::optional<int64_t>(now + kRecheckAfterDropSeconds * 1000)
                                   : std::nullopt);
  tx.sql() << "INSERT INTO account_groups (session_id, target, peer_type, peer_id, access_hash, "
              "state, recheck_at, last_error, updated_at) VALUES (:s, :t, :pt, :pi, :ph, :st, "
              ":rc, :e, :n) ON CONFLICT (session_id, target) DO UPDATE SET peer_type = "
              "COALESCE(:pt2, account_groups.peer_type), peer_id = COALESCE(:pi2, "
              "account_groups.peer_id), access_hash = COALESCE(:ph2, account_groups.access_hash), "
              "state = :st2, recheck_at = :rc2, last_error = :e2, updated_at = :n2",
      soci::use(sid, "s"), soci::use(key, "t"), soci::use(type.value, type.ind, "pt"),
      soci::use(pid.value, pid.ind, "pi"), soci::use(hash.value, hash.ind, "ph"),
      soci::use(state, "st"), soci::use(recheck.value, recheck.ind, "rc"), soci::use(error, "e"),
      soci::use(n, "n"), soci::use(type.value, type.ind, "pt2"),
      soci::use(pid.value, pid.ind, "pi2"), soci::use(hash.value, hash.ind, "ph2"),
      soci::use(state, "st2"), soci::use(recheck.value, recheck.ind, "rc2"), soci::use(error, "e2"),
      soci::use(n, "n2");
}

bool take_join(storage::Tx& tx, int64_t session_id, int cap, int64_t now) {
  const long long sid = session_id;
  const long long today = now / kDayMs;
  const int limit = cap;
  soci::statement st =
      (tx.sql().prepare << "UPDATE tg_sessions SET joins_today = CASE WHEN counters_day = :d "
                           "THEN joins_today + 1 ELSE 1 END, sends_today = CASE WHEN "
                           "counters_day = :d2 THEN sends_today ELSE 0 END, counters_day = :d3 "
                           "WHERE id = :s AND (counters_day <> :d4 OR joins_today < :cap)",
       soci::use(today, "d"), soci::use(today, "d2"), soci::use(today, "d3"), soci::use(sid, "s"),
       soci::use(today, "d4"), soci::use(limit, "cap"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<int64_t> pend(Statements& q, const SlotKey& slot, int64_t known, int64_t now) {
  if (known != 0) {
    return known;
  }
  int64_t fresh = 0;
  do {
    fresh = static_cast<int64_t>(crypto::random_u64());
  } while (fresh == 0);
  if (q.insert_pending(slot.adbot_id, slot.cycle, slot.target, slot.session_id, fresh, now)) {
    return fresh;
  }
  // A row exists: PENDING from before a restart (re-sent with its random_id), or final.
  auto row = q.slot(slot.adbot_id, slot.cycle, slot.target, slot.session_id);
  if (!row || row->outcome != "PENDING") {
    return std::nullopt;
  }
  return row->random_id;
}

void record_skip(Statements& q, const SlotKey& slot, const std::string& outcome,
                 const std::string& kind, const std::string& detail, int64_t now, bool carry) {
  q.set_outcome(slot.adbot_id, slot.cycle, slot.target, slot.session_id, outcome, std::nullopt,
                detail, now, carry);
  q.add_event({slot.adbot_id, now, kind, slot.session_id, slot.target, std::nullopt, detail});
}

void record_event(storage::Tx& tx, int64_t adbot_id, const std::string& kind,
                  std::optional<int64_t> session_id, std::optional<std::string> target,
                  std::optional<int64_t> wait_seconds, const std::string& detail, int64_t now) {
  domain::add_event(tx, {adbot_id, kind, session_id, target, wait_seconds, detail}, now);
}

namespace {

/// One more unknown refusal of this group by this account, counted once per cycle; the strikes
/// so far.
int strike(storage::Tx& tx, const SlotKey& slot, const std::string& error, int64_t now) {
  const long long sid = slot.session_id;
  const long long c = slot.cycle;
  const long long n = now;
  int strikes = 0;
  tx.sql() << "INSERT INTO account_groups (session_id, target, state, strikes, strike_cycle, "
              "last_error, updated_at) VALUES (:s, :t, 'UNKNOWN', 1, :c, :e, :n) ON CONFLICT "
              "(session_id, target) DO UPDATE SET strikes = CASE WHEN account_groups.strike_cycle "
              "= :c2 THEN account_groups.strikes ELSE account_groups.strikes + 1 END, "
              "strike_cycle = :c3, last_error = :e2, updated_at = :n2 RETURNING strikes",
      soci::into(strikes), soci::use(sid, "s"), soci::use(slot.target, "t"), soci::use(c, "c"),
      soci::use(error, "e"), soci::use(n, "n"), soci::use(c, "c2"), soci::use(c, "c3"),
      soci::use(error, "e2"), soci::use(n, "n2");
  return strikes;
}

std::string owner_notice(const Reaction& r, int64_t adbot_id) {
  const std::string what = r.session_status == std::optional<std::string>("LIMITED")
                               ? "an account is paused for 24 hours"
                               : "an account was retired";
  const std::string then = r.session_status == std::optional<std::string>("LIMITED")
                               ? "The others carry on."
                               : "The others carry on; an administrator will assign a "
                                 "replacement.";
  return "Adbot #" + std::to_string(adbot_id) + ": " + what + " (" + r.detail + "). " + then;
}

}  // namespace

void apply(storage::Tx& tx, Statements& q, const SlotKey& slot, int64_t user_id,
           const Reaction& reaction, std::optional<int32_t> message_id, int64_t now) {
  Reaction r = reaction;
  const int64_t adbot_id = slot.adbot_id;
  const int64_t session_id = slot.session_id;
  const std::string& target = slot.target;
  const long long id = adbot_id;
  const long long c = slot.cycle;
  const long long sid = session_id;
  const long long n = now;
  const std::string for_admin = r.admin_detail.empty() ? r.detail : r.admin_detail;
  if (r.strike && strike(tx, slot, for_admin, now) >= kStrikesToDrop) {
    // Refused in kStrikesToDrop different cycles: as a group that forbids this account.
    r.outcome = "DROPPED";
    r.event_kind = "WRITE_FORBIDDEN";
    r.group_state = "DROPPED";
    r.detail = "Telegram kept refusing this account's posts in this group";
  }
  if (r.outcome) {
    q.set_outcome(adbot_id, slot.cycle, target, session_id, *r.outcome, message_id, r.detail, now,
                  r.carry);
  } else if (!r.retry && !r.keep_random_id) {
    // A wait proves nothing was delivered: the slot is due again, not PENDING.
    tx.sql() << "DELETE FROM forwards WHERE adbot_id = :a AND cycle_no = :c AND target = :t "
                "AND session_id = :s AND outcome = 'PENDING'",
        soci::use(id), soci::use(c), soci::use(target), soci::use(sid);
  }
  q.add_event({adbot_id, now, r.event_kind, session_id, target,
               r.wait_seconds > 0 ? std::optional<int64_t>(r.wait_seconds) : std::nullopt,
               r.detail});
  const bool sent = r.outcome == std::optional<std::string>("SENT");
  const bool failed = r.outcome == std::optional<std::string>("FAILED") ||
                      r.outcome == std::optional<std::string>("DROPPED");
  q.bump_stats(adbot_id, r.outcome ? 1 : 0, sent ? 1 : 0, failed ? 1 : 0,
               r.event_kind == "FLOOD_WAIT" ? 1 : 0, now);
  if (sent) {
    q.count_send(session_id, now);
  }
  if (r.session_pause_seconds > 0) {
    const long long until = now + r.session_pause_seconds * 1000;
    tx.sql() << "UPDATE tg_sessions SET flood_until = :u, updated_at = :n WHERE id = :s",
        soci::use(until), soci::use(n), soci::use(sid);
  }
  if (r.session_status) {
    tx.sql() << "UPDATE tg_sessions SET status = :st, status_reason = :why, updated_at = :n "
                "WHERE id = :s",
        soci::use(*r.session_status), soci::use(for_admin), soci::use(n), soci::use(sid);
  }
  if (r.no_joins) {
    tx.sql() << "UPDATE tg_sessions SET no_joins_since = COALESCE(no_joins_since, :n), "
                "updated_at = :n2 WHERE id = :s",
        soci::use(n, "n"), soci::use(n, "n2"), soci::use(sid, "s");
  }
  if (r.group_state) {
    upsert_group_state(tx, session_id, target, *r.group_state, std::nullopt,
                       now + kRecheckAfterDropSeconds * 1000, for_admin, now);
    const std::string shown = *r.group_state == "DROPPED"
                                  ? "an account cannot post here: " + r.detail
                                  : "an account is " + r.detail;
    tx.sql() << "UPDATE adbot_groups SET last_error = :e WHERE adbot_id = :a AND target = :t",
        soci::use(shown), soci::use(id), soci::use(target);
  }
  if (r.group_wait_seconds > 0) {
    upsert_group_state(tx, session_id, target, "JOINED", now + r.group_wait_seconds * 1000,
                       std::nullopt, "", now);
  }
  if (r.group_invalid) {
    tx.sql() << "UPDATE adbot_groups SET state = 'INVALID', last_error = :e WHERE adbot_id = :a "
                "AND target = :t",
        soci::use(r.detail), soci::use(id), soci::use(target);
  }
  if (r.notify_admin) {
    const bool retired = r.session_status == std::optional<std::string>("BANNED") ||
                         r.session_status == std::optional<std::string>("DEAD") ||
                         r.session_status == std::optional<std::string>("FROZEN");
    domain::notify_admins(tx, "account_" + r.event_kind,
                          "Account #" + std::to_string(session_id) + ": " + r.event_kind,
                          "Adbot #" + std::to_string(adbot_id) + ": " + for_admin +
                              (retired ? ". It is retired; assign a replacement from stock."
                                       : "."),
                          now);
  }
  if (r.notify_owner) {
    domain::notify_user(tx, user_id, "account_" + r.event_kind,
                        "One of your adbot's accounts stopped working",
                        owner_notice(r, adbot_id), now);
  }
}

void stop_adbot(storage::Tx& tx, int64_t adbot_id, const std::string& reason, int64_t now) {
  const long long id = adbot_id;
  const long long n = now;
  long long user = 0;
  tx.sql() << "SELECT user_id FROM adbots WHERE id = :id", soci::into(user), soci::use(id);
  tx.sql() << "UPDATE adbots SET status = 'STOPPED', stop_reason = :r, next_run_at = NULL, "
              "cycle_state = 'IDLE', updated_at = :n WHERE id = :id AND status = 'RUNNING'",
      soci::use(reason), soci::use(n), soci::use(id);
  domain::add_event(tx, {adbot_id, "STOPPED", std::nullopt, std::nullopt, std::nullopt, reason},
                    now);
  domain::notify_user(tx, user, "adbot_stopped", "Your adbot stopped",
                      "Adbot #" + std::to_string(adbot_id) + ": " + reason, now);
}

int expire_due(storage::Tx& tx, int64_t now) {
  {
    const long long n = now;
    const long long soon = now + 3LL * kDayMs;
    std::vector<std::pair<int64_t, int64_t>> warn;
    {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "UPDATE adbots SET expiry_notice_at = :n WHERE validity_end IS NOT "
                               "NULL AND validity_end > :n2 AND validity_end <= :s AND "
                               "expiry_notice_at IS NULL AND status IN ('RUNNING', 'STOPPED') "
                               "RETURNING id, user_id",
           soci::use(n, "n"), soci::use(n, "n2"), soci::use(soon, "s"));
      for (const auto& row : rows) {
        warn.emplace_back(storage::i64(row, "id"), storage::i64(row, "user_id"));
      }
    }
    for (auto [id, user] : warn) {
      domain::notify_user(tx, user, "adbot_expiring", "Your adbot expires in 3 days",
                          "Adbot #" + std::to_string(id) +
                              " stops at the end of its plan. Renew "
                              "it to keep it running without a gap.",
                          now);
    }
    std::vector<std::pair<int64_t, int64_t>> expired;
    {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "UPDATE adbots SET status = 'EXPIRED', next_run_at = NULL, "
                               "cycle_state = 'IDLE', stop_reason = 'the plan expired', "
                               "updated_at = :n WHERE validity_end IS NOT NULL AND validity_end "
                               "<= :n2 AND status IN ('RUNNING', 'STOPPED', 'SUSPENDED') "
                               "RETURNING id, user_id",
           soci::use(n, "n"), soci::use(n, "n2"));
      for (const auto& row : rows) {
        expired.emplace_back(storage::i64(row, "id"), storage::i64(row, "user_id"));
      }
    }
    for (auto [id, user] : expired) {
      domain::add_event(
          tx, {id, "EXPIRED", std::nullopt, std::nullopt, std::nullopt, "the plan expired"}, now);
      domain::notify_user(tx, user, "adbot_expired", "Your adbot expired",
                          "Adbot #" + std::to_string(id) +
                              " reached the end of its plan and "
                              "stopped. Renew it to start again.",
                          now);
    }
    // Accounts back from a long flood wait or a peer-flood pause serve again.
    tx.sql() << "UPDATE tg_sessions SET status = 'ASSIGNED', status_reason = NULL, updated_at = "
                ":n WHERE status IN ('COOLING', 'LIMITED') AND flood_until IS NOT NULL AND "
                "flood_until <= :n2 AND assigned_to_adbot_id IS NOT NULL",
        soci::use(n, "n"), soci::use(n, "n2");
    return static_cast<int>(expired.size());
  }
}

int expire_due(storage::Database& db, int64_t now) {
  auto r = db.write([&](storage::Tx& tx) -> core::Result<int> { return expire_due(tx, now); });
  return r.ok() ? *r : 0;
}

void prune_events(storage::Database& db, int64_t older_than) {
  (void)db.write([&](storage::Tx& tx) -> core::Status {
    const long long t = older_than;
    tx.sql() << "DELETE FROM adbot_events WHERE at < :t", soci::use(t);
    return core::ok_status();
  });
}

}  // namespace hqadz::engine::store
