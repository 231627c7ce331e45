#include "engine/statements.hpp"

namespace hqadz::engine::store {
namespace {

constexpr int64_t kDayMs = 86'400'000;

std::optional<int64_t> opt(long long v, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<int64_t>(v) : std::nullopt;
}

/// Binds an optional as a value and its indicator (the pair must outlive the statement).
struct NullableBind {
  long long value = 0;
  soci::indicator ind = soci::i_null;
  void set(std::optional<int64_t> v) {
    value = v.value_or(0);
    ind = v ? soci::i_ok : soci::i_null;
  }
};

/// The columns that name a slot, bound in the order adbot, cycle, target, session.
struct SlotCols {
  long long a = 0, c = 0, s = 0;
  std::string t;
  void set(int64_t adbot_id, int64_t cycle, const std::string& target, int64_t session_id) {
    a = adbot_id;
    c = cycle;
    t = target;
    s = session_id;
  }
};

/// Runs a prepared single-row SELECT and leaves the statement finished: a SQLite statement
/// stopped on its row would keep the connection's read snapshot open past the commit (and the
/// WAL from being checkpointed).
bool fetch_one(soci::statement& st) {
  const bool got = st.execute(true);
  if (got) {
    while (st.fetch()) {
    }
  }
  return got;
}

}  // namespace

struct Statements::Impl {
  explicit Impl(soci::session& s) : sql(s) {}
  soci::session& sql;

  /// Prepared on first use: a statement that cannot be prepared (a missing table) fails only
  /// the units that need it.
  template <typename T>
  T& get(std::unique_ptr<T>& p) {
    if (!p) {
      p = std::make_unique<T>(sql);
    }
    return *p;
  }

  struct Session {
    long long id = 0;
    std::string status;
    long long flood = 0, sends = 0, day = 0, no_joins = 0;
    soci::indicator flood_ind = soci::i_null, no_joins_ind = soci::i_null;
    soci::statement st;
    explicit Session(soci::session& s)
        : st((s.prepare << "SELECT status, flood_until, sends_today, counters_day, "
                           "no_joins_since FROM tg_sessions WHERE id = :s",
              soci::into(status), soci::into(flood, flood_ind), soci::into(sends), soci::into(day),
              soci::into(no_joins, no_joins_ind), soci::use(id))) {}
  };
  std::unique_ptr<Session> session;

  struct Run {
    long long id = 0;
    Statements::RunRow r;
    std::string lease, plan, link;
    long long user = 0, cycle = 0, next = 0, end = 0;
    int interval = 0, cap = 0;
    soci::indicator lease_ind = soci::i_null, plan_ind = soci::i_null, link_ind = soci::i_null,
                    next_ind = soci::i_null, end_ind = soci::i_null, cap_ind = soci::i_null;
    soci::statement st;
    explicit Run(soci::session& s)
        : st((s.prepare << "SELECT status, lease_owner, user_id, cycle_no, cycle_state, "
                           "cycle_plan, next_run_at, validity_end, post_link, distribution, "
                           "posting_interval_seconds, daily_cap_per_account FROM adbots WHERE id "
                           "= :id",
              soci::into(r.status), soci::into(lease, lease_ind), soci::into(user),
              soci::into(cycle), soci::into(r.cycle_state), soci::into(plan, plan_ind),
              soci::into(next, next_ind), soci::into(end, end_ind), soci::into(link, link_ind),
              soci::into(r.distribution), soci::into(interval), soci::into(cap, cap_ind),
              soci::use(id))) {}
  };
  std::unique_ptr<Run> run;

  struct Targets {
    long long id = 0;
    std::string target;
    soci::statement st;
    explicit Targets(soci::session& s)
        : st((s.prepare << "SELECT g.target FROM adbot_groups g WHERE g.adbot_id = :a AND "
                           "g.state = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM group_blocklist b "
                           "WHERE b.target = g.target AND b.status IN ('ACTIVE', 'PENDING')) "
                           "ORDER BY g.position",
              soci::into(target), soci::use(id))) {}
  };
  std::unique_ptr<Targets> targets;

  struct Accounts {
    long long adbot = 0, id = 0, flood = 0, sends = 0, joins = 0, day = 0;
    std::string status, username;
    soci::indicator flood_ind = soci::i_null, username_ind = soci::i_null;
    soci::statement st;
    explicit Accounts(soci::session& s)
        : st((s.prepare << "SELECT id, status, flood_until, sends_today, joins_today, "
                           "counters_day, tg_username FROM tg_sessions WHERE "
                           "assigned_to_adbot_id = :a ORDER BY id",
              soci::into(id), soci::into(status), soci::into(flood, flood_ind), soci::into(sends),
              soci::into(joins), soci::into(day), soci::into(username, username_ind),
              soci::use(adbot))) {}
  };
  std::unique_ptr<Accounts> accounts;

  struct Begin {
    long long id = 0, n = 0, cycle = 0;
    std::string owner, plan;
    soci::statement update;
    soci::statement select;
    explicit Begin(soci::session& s)
        : update((s.prepare << "UPDATE adbots SET cycle_no = cycle_no + 1, cycle_state = "
                               "'IN_CYCLE', cycle_plan = :p, cycle_started_at = :n, updated_at = "
                               ":n2 WHERE id = :id AND status = 'RUNNING' AND lease_owner = :o",
                  soci::use(plan), soci::use(n), soci::use(n), soci::use(id), soci::use(owner))),
          select((s.prepare << "SELECT cycle_no FROM adbots WHERE id = :id", soci::into(cycle),
                  soci::use(id))) {}
  };
  std::unique_ptr<Begin> begin;

  struct End {
    long long id = 0, next = 0;
    std::string owner;
    soci::statement st;
    explicit End(soci::session& s)
        : st((s.prepare << "UPDATE adbots SET cycle_state = 'IDLE', next_run_at = :n WHERE id = "
                           ":id AND lease_owner = :o AND status = 'RUNNING'",
              soci::use(next), soci::use(id), soci::use(owner))) {}
  };
  std::unique_ptr<End> end;

  /// A peer's columns as bound to a statement.
  struct PeerCols {
    std::string state, type;
    long long id = 0, hash = 0, next = 0, recheck = 0;
    soci::indicator state_ind = soci::i_null, type_ind = soci::i_null, id_ind = soci::i_null,
                    hash_ind = soci::i_null, next_ind = soci::i_null, recheck_ind = soci::i_null;
    PeerRow row() const {
      PeerRow r;
      if (state_ind != soci::i_ok) {
        return r;  // no row: UNKNOWN
      }
      r.state = state;
      r.next_allowed_at = opt(next, next_ind);
      r.recheck_at = opt(recheck, recheck_ind);
      if (id_ind == soci::i_ok) {
        telegram::Peer p;
        const std::string t = type_ind == soci::i_ok ? type : "";
        p.kind = t == "user"   ? telegram::Peer::Kind::kUser
                 : t == "chat" ? telegram::Peer::Kind::kChat
                               : telegram::Peer::Kind::kChannel;
        p.megagroup = t == "megagroup";
        p.id = id;
        p.access_hash = hash_ind == soci::i_ok ? hash : 0;
        r.peer = p;
      }
      return r;
    }
  };

  struct Checks : SlotCols {
    std::string key;  // the source's
    std::string status, lease, outcome, sstatus;
    long long end = 0, flood = 0, sends = 0, day = 0, no_joins = 0;
    int blocked = 0;
    soci::indicator lease_ind = soci::i_null, end_ind = soci::i_null, outcome_ind = soci::i_null,
                    sstatus_ind = soci::i_null, flood_ind = soci::i_null, sends_ind = soci::i_null,
                    day_ind = soci::i_null, no_joins_ind = soci::i_null;
    PeerCols group, source;
    soci::statement st;
    explicit Checks(soci::session& ses)
        : st((ses.prepare
                  << "SELECT a.status, a.lease_owner, a.validity_end, f.outcome, s.status, "
                     "s.flood_until, s.sends_today, s.counters_day, s.no_joins_since, CASE WHEN "
                     "EXISTS (SELECT 1 "
                     "FROM group_blocklist b WHERE b.target = :t AND b.status IN ('ACTIVE', "
                     "'PENDING')) THEN 1 ELSE 0 END, g.state, g.peer_type, g.peer_id, "
                     "g.access_hash, g.next_allowed_at, g.recheck_at, k.state, k.peer_type, "
                     "k.peer_id, k.access_hash, k.next_allowed_at, k.recheck_at FROM adbots a "
                     "LEFT JOIN forwards f ON f.adbot_id = a.id AND f.cycle_no = :c AND f.target "
                     "= :t2 AND f.session_id = :s LEFT JOIN tg_sessions s ON s.id = :s2 LEFT JOIN "
                     "account_groups g ON g.session_id = :s3 AND g.target = :t3 LEFT JOIN "
                     "account_groups k ON k.session_id = :s4 AND k.target = :k WHERE a.id = :a",
              soci::into(status), soci::into(lease, lease_ind), soci::into(end, end_ind),
              soci::into(outcome, outcome_ind), soci::into(sstatus, sstatus_ind),
              soci::into(flood, flood_ind), soci::into(sends, sends_ind), soci::into(day, day_ind),
              soci::into(no_joins, no_joins_ind), soci::into(blocked),
              soci::into(group.state, group.state_ind),
              soci::into(group.type, group.type_ind), soci::into(group.id, group.id_ind),
              soci::into(group.hash, group.hash_ind), soci::into(group.next, group.next_ind),
              soci::into(group.recheck, group.recheck_ind),
              soci::into(source.state, source.state_ind),
              soci::into(source.type, source.type_ind), soci::into(source.id, source.id_ind),
              soci::into(source.hash, source.hash_ind), soci::into(source.next, source.next_ind),
              soci::into(source.recheck, source.recheck_ind), soci::use(t, "t"),
              soci::use(c, "c"), soci::use(t, "t2"), soci::use(s, "s"), soci::use(s, "s2"),
              soci::use(s, "s3"), soci::use(t, "t3"), soci::use(s, "s4"), soci::use(key, "k"),
              soci::use(a, "a"))) {}
  };
  std::unique_ptr<Checks> checks;

  struct Pend : SlotCols {
    long long r = 0, n = 0;
    soci::statement st;
    explicit Pend(soci::session& ses)
        : st((ses.prepare << "INSERT INTO forwards (adbot_id, cycle_no, target, session_id, "
                             "random_id, outcome, created_at, at) VALUES (:a, :c, :t, :s, :r, "
                             "'PENDING', :n, :n2) ON CONFLICT (adbot_id, cycle_no, target, "
                             "session_id) DO NOTHING",
              soci::use(a), soci::use(c), soci::use(t), soci::use(s), soci::use(r), soci::use(n),
              soci::use(n))) {}
  };
  std::unique_ptr<Pend> pend;

  struct Slot : SlotCols {
    std::string outcome;
    long long r = 0;
    soci::statement st;
    explicit Slot(soci::session& ses)
        : st((ses.prepare << "SELECT outcome, random_id FROM forwards WHERE adbot_id = :a AND "
                             "cycle_no = :c AND target = :t AND session_id = :s",
              soci::into(outcome), soci::into(r), soci::use(a), soci::use(c), soci::use(t),
              soci::use(s))) {}
  };
  std::unique_ptr<Slot> slot;

  struct Outcome : SlotCols {
    long long n = 0;
    int carry = 0;
    std::string outcome, detail;
    NullableBind mid;
    soci::statement update;
    soci::statement insert;  // a slot that failed before its send has no row yet
    explicit Outcome(soci::session& ses)
        : update((ses.prepare << "UPDATE forwards SET outcome = :o, message_id = :m, detail = :d, "
                                 "at = :n, carry = :k WHERE adbot_id = :a AND cycle_no = :c AND "
                                 "target = :t AND session_id = :s",
                  soci::use(outcome), soci::use(mid.value, mid.ind), soci::use(detail),
                  soci::use(n), soci::use(carry), soci::use(a), soci::use(c), soci::use(t),
                  soci::use(s))),
          insert((ses.prepare << "INSERT INTO forwards (adbot_id, cycle_no, target, session_id, "
                                 "random_id, outcome, message_id, detail, created_at, at) VALUES "
                                 "(:a, :c, :t, :s, 0, :o, :m, :d, :n, :n2)",
                  soci::use(a), soci::use(c), soci::use(t), soci::use(s), soci::use(outcome),
                  soci::use(mid.value, mid.ind), soci::use(detail), soci::use(n), soci::use(n))) {}
  };
  std::unique_ptr<Outcome> outcome;

  struct Carried {
    long long a = 0, c = 0, s = 0, r = 0;
    std::string t;
    soci::statement st;
    explicit Carried(soci::session& ses)
        : st((ses.prepare << "SELECT session_id, target, random_id FROM forwards WHERE adbot_id = "
                             ":a AND cycle_no = :c AND carry = 1",
              soci::into(s), soci::into(t), soci::into(r), soci::use(a), soci::use(c))) {}
  };
  std::unique_ptr<Carried> carried;

  struct Event {
    long long a = 0, at = 0;
    std::string kind, target, detail;
    soci::indicator target_ind = soci::i_null;
    NullableBind session, wait;
    soci::statement st;
    explicit Event(soci::session& ses)
        : st((ses.prepare << "INSERT INTO adbot_events (adbot_id, at, kind, session_id, target, "
                             "wait_seconds, detail) VALUES (:a, :at, :k, :s, :t, :w, :d)",
              soci::use(a), soci::use(at), soci::use(kind), soci::use(session.value, session.ind),
              soci::use(target, target_ind), soci::use(wait.value, wait.ind), soci::use(detail))) {}
  };
  std::unique_ptr<Event> event;

  struct Stats {
    long long a = 0, n = 0;
    int posts = 0, success = 0, failures = 0, floods = 0;
    soci::statement st;
    explicit Stats(soci::session& ses)
        : st((ses.prepare << "INSERT INTO adbot_stats (adbot_id, posts, success, failures, "
                             "flood_waits, last_activity) VALUES (:a, :p, :s, :f, :w, :n) ON "
                             "CONFLICT (adbot_id) DO UPDATE SET posts = adbot_stats.posts + "
                             "excluded.posts, success = adbot_stats.success + excluded.success, "
                             "failures = adbot_stats.failures + excluded.failures, flood_waits = "
                             "adbot_stats.flood_waits + excluded.flood_waits, last_activity = "
                             "excluded.last_activity",
              soci::use(a), soci::use(posts), soci::use(success), soci::use(failures),
              soci::use(floods), soci::use(n))) {}
  };
  std::unique_ptr<Stats> stats;

  struct Sent {
    long long s = 0, n = 0, day = 0;
    soci::statement st;
    explicit Sent(soci::session& ses)
        : st((ses.prepare << "UPDATE tg_sessions SET sends_today = CASE WHEN counters_day = :d "
                             "THEN sends_today + 1 ELSE 1 END, joins_today = CASE WHEN "
                             "counters_day = :d2 THEN joins_today ELSE 0 END, counters_day = :d3, "
                             "updated_at = :n WHERE id = :s",
              soci::use(day), soci::use(day), soci::use(day), soci::use(n), soci::use(s))) {}
  };
  std::unique_ptr<Sent> sent;
};

Statements::Statements(soci::session& sql) : impl_(std::make_unique<Impl>(sql)) {}
Statements::~Statements() = default;

std::optional<Statements::SessionGate> Statements::session_gate(int64_t session_id) {
  auto& q = impl_->get(impl_->session);
  q.id = session_id;
  if (!fetch_one(q.st)) {
    return std::nullopt;
  }
  return SessionGate{q.status, opt(q.flood, q.flood_ind), q.sends, q.day,
                     q.no_joins_ind == soci::i_ok};
}

std::optional<Statements::RunRow> Statements::run_row(int64_t adbot_id) {
  auto& q = impl_->get(impl_->run);
  q.id = adbot_id;
  if (!fetch_one(q.st)) {
    return std::nullopt;
  }
  RunRow r = q.r;
  r.lease_owner = q.lease_ind == soci::i_ok ? std::optional<std::string>(q.lease) : std::nullopt;
  r.user_id = q.user;
  r.cycle_no = q.cycle;
  r.cycle_plan = q.plan_ind == soci::i_ok ? std::optional<std::string>(q.plan) : std::nullopt;
  r.next_run_at = opt(q.next, q.next_ind);
  r.validity_end = opt(q.end, q.end_ind);
  r.post_link = q.link_ind == soci::i_ok ? std::optional<std::string>(q.link) : std::nullopt;
  r.interval_seconds = q.interval;
  r.daily_cap = q.cap_ind == soci::i_ok ? q.cap : 500;
  return r;
}

std::vector<std::string> Statements::targets(int64_t adbot_id) {
  auto& q = impl_->get(impl_->targets);
  q.id = adbot_id;
  std::vector<std::string> out;
  if (q.st.execute(true)) {
    do {
      out.push_back(q.target);
    } while (q.st.fetch());
  }
  return out;
}

std::vector<Statements::AccountRow> Statements::accounts(int64_t adbot_id) {
  auto& q = impl_->get(impl_->accounts);
  q.adbot = adbot_id;
  std::vector<AccountRow> out;
  if (q.st.execute(true)) {
    do {
      AccountRow a;
      a.id = q.id;
      a.status = q.status;
      a.flood_until = opt(q.flood, q.flood_ind);
      a.sends_today = q.sends;
      a.joins_today = q.joins;
      a.counters_day = q.day;
      a.tg_username =
          q.username_ind == soci::i_ok ? std::optional<std::string>(q.username) : std::nullopt;
      out.push_back(std::move(a));
    } while (q.st.fetch());
  }
  return out;
}

int64_t Statements::begin_cycle(int64_t adbot_id, const std::string& owner,
                                const std::string& plan, int64_t now) {
  auto& q = impl_->get(impl_->begin);
  q.id = adbot_id;
  q.owner = owner;
  q.plan = plan;
  q.n = now;
  q.update.execute(true);
  if (q.update.get_affected_rows() != 1) {
    return 0;
  }
  q.cycle = 0;
  fetch_one(q.select);
  return q.cycle;
}

void Statements::end_cycle(int64_t adbot_id, const std::string& owner, int64_t next_run_at) {
  auto& q = impl_->get(impl_->end);
  q.id = adbot_id;
  q.owner = owner;
  q.next = next_run_at;
  q.st.execute(true);
}

std::optional<Statements::Checks> Statements::checks(int64_t adbot_id, int64_t cycle,
                                                      const std::string& target,
                                                      int64_t session_id,
                                                      const std::string& source_key) {
  auto& q = impl_->get(impl_->checks);
  q.set(adbot_id, cycle, target, session_id);
  q.key = source_key;
  if (!fetch_one(q.st)) {
    return std::nullopt;
  }
  Checks c;
  c.status = q.status;
  c.lease_owner = q.lease_ind == soci::i_ok ? std::optional<std::string>(q.lease) : std::nullopt;
  c.validity_end = opt(q.end, q.end_ind);
  c.outcome = q.outcome_ind == soci::i_ok ? std::optional<std::string>(q.outcome) : std::nullopt;
  if (q.sstatus_ind == soci::i_ok) {
    c.session = SessionGate{q.sstatus, opt(q.flood, q.flood_ind),
                            q.sends_ind == soci::i_ok ? q.sends : 0,
                            q.day_ind == soci::i_ok ? q.day : 0, q.no_joins_ind == soci::i_ok};
  }
  c.blocklisted = q.blocked != 0;
  c.group = q.group.row();
  c.source = q.source.row();
  return c;
}

bool Statements::insert_pending(int64_t adbot_id, int64_t cycle, const std::string& target,
                                int64_t session_id, int64_t random_id, int64_t now) {
  auto& q = impl_->get(impl_->pend);
  q.set(adbot_id, cycle, target, session_id);
  q.r = random_id;
  q.n = now;
  q.st.execute(true);
  return q.st.get_affected_rows() == 1;
}

std::optional<Statements::SlotRow> Statements::slot(int64_t adbot_id, int64_t cycle,
                                                    const std::string& target, int64_t session_id) {
  auto& q = impl_->get(impl_->slot);
  q.set(adbot_id, cycle, target, session_id);
  if (!fetch_one(q.st)) {
    return std::nullopt;
  }
  return SlotRow{q.outcome, q.r};
}

void Statements::set_outcome(int64_t adbot_id, int64_t cycle, const std::string& target,
                             int64_t session_id, const std::string& outcome,
                             std::optional<int32_t> message_id, const std::string& detail,
                             int64_t now, bool carry) {
  auto& q = impl_->get(impl_->outcome);
  q.set(adbot_id, cycle, target, session_id);
  q.outcome = outcome;
  q.mid.set(message_id ? std::optional<int64_t>(*message_id) : std::nullopt);
  q.detail = detail;
  q.n = now;
  q.carry = carry ? 1 : 0;
  q.update.execute(true);
  if (q.update.get_affected_rows() == 0) {
    q.insert.execute(true);  // no row, so no random_id to carry
  }
}

std::map<std::pair<int64_t, std::string>, int64_t> Statements::carried(int64_t adbot_id,
                                                                      int64_t cycle) {
  auto& q = impl_->get(impl_->carried);
  q.a = adbot_id;
  q.c = cycle;
  std::map<std::pair<int64_t, std::string>, int64_t> out;
  if (q.st.execute(true)) {
    do {
      out[{q.s, q.t}] = q.r;
    } while (q.st.fetch());
  }
  return out;
}

void Statements::add_event(const EventArgs& e) {
  auto& q = impl_->get(impl_->event);
  q.a = e.adbot_id;
  q.at = e.at;
  q.kind = e.kind;
  q.session.set(e.session_id);
  q.target = e.target.value_or("");
  q.target_ind = e.target ? soci::i_ok : soci::i_null;
  q.wait.set(e.wait_seconds);
  q.detail = e.detail;
  q.st.execute(true);
}

void Statements::bump_stats(int64_t adbot_id, int posts, int success, int failures, int floods,
                            int64_t now) {
  auto& q = impl_->get(impl_->stats);
  q.a = adbot_id;
  q.posts = posts;
  q.success = success;
  q.failures = failures;
  q.floods = floods;
  q.n = now;
  q.st.execute(true);
}

void Statements::count_send(int64_t session_id, int64_t now) {
  auto& q = impl_->get(impl_->sent);
  q.s = session_id;
  q.n = now;
  q.day = now / kDayMs;
  q.st.execute(true);
}

}  // namespace hqadz::engine::store
