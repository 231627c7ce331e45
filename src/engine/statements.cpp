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

  struct Adbot {
    long long id = 0;
    std::string status, lease;
    soci::indicator lease_ind = soci::i_null;
    long long end = 0;
    soci::indicator end_ind = soci::i_null;
    soci::statement st;
    explicit Adbot(soci::session& s)
        : st((s.prepare << "SELECT status, lease_owner, validity_end FROM adbots WHERE id = :id",
              soci::into(status), soci::into(lease, lease_ind), soci::into(end, end_ind),
              soci::use(id))) {}
  };
  std::unique_ptr<Adbot> adbot;

  struct Session {
    long long id = 0;
    std::string status;
    long long flood = 0, sends = 0, day = 0;
    soci::indicator flood_ind = soci::i_null;
    soci::statement st;
    explicit Session(soci::session& s)
        : st((s.prepare << "SELECT status, flood_until, sends_today, counters_day FROM "
                           "tg_sessions WHERE id = :s",
              soci::into(status), soci::into(flood, flood_ind), soci::into(sends), soci::into(day),
              soci::use(id))) {}
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

  struct Block {
    std::string target;
    int n = 0;
    soci::statement st;
    explicit Block(soci::session& s)
        : st((s.prepare << "SELECT COUNT(*) FROM group_blocklist WHERE target = :t AND status IN "
                           "('ACTIVE', 'PENDING')",
              soci::into(n), soci::use(target))) {}
  };
  std::unique_ptr<Block> block;

  struct Peer {
    long long sid = 0;
    std::string key, state, type;
    soci::indicator type_ind = soci::i_null;
    long long id = 0, hash = 0, next = 0, recheck = 0;
    soci::indicator id_ind = soci::i_null, hash_ind = soci::i_null, next_ind = soci::i_null,
                    recheck_ind = soci::i_null;
    soci::statement st;
    explicit Peer(soci::session& s)
        : st((s.prepare << "SELECT state, peer_type, peer_id, access_hash, next_allowed_at, "
                           "recheck_at FROM account_groups WHERE session_id = :s AND target = :t",
              soci::into(state), soci::into(type, type_ind), soci::into(id, id_ind),
              soci::into(hash, hash_ind), soci::into(next, next_ind),
              soci::into(recheck, recheck_ind), soci::use(sid), soci::use(key))) {}
  };
  std::unique_ptr<Peer> peer;

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
    std::string outcome, detail;
    NullableBind mid;
    soci::statement update;
    soci::statement insert;  // a slot that failed before its send has no row yet
    explicit Outcome(soci::session& ses)
        : update((ses.prepare << "UPDATE forwards SET outcome = :o, message_id = :m, detail = :d, "
                                 "at = :n WHERE adbot_id = :a AND cycle_no = :c AND target = :t "
                                 "AND session_id = :s",
                  soci::use(outcome), soci::use(mid.value, mid.ind), soci::use(detail),
                  soci::use(n), soci::use(a), soci::use(c), soci::use(t), soci::use(s))),
          insert((ses.prepare << "INSERT INTO forwards (adbot_id, cycle_no, target, session_id, "
                                 "random_id, outcome, message_id, detail, created_at, at) VALUES "
                                 "(:a, :c, :t, :s, 0, :o, :m, :d, :n, :n2)",
                  soci::use(a), soci::use(c), soci::use(t), soci::use(s), soci::use(outcome),
                  soci::use(mid.value, mid.ind), soci::use(detail), soci::use(n), soci::use(n))) {}
  };
  std::unique_ptr<Outcome> outcome;

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

std::optional<Statements::AdbotGate> Statements::adbot_gate(int64_t adbot_id) {
  auto& q = impl_->get(impl_->adbot);
  q.id = adbot_id;
  if (!fetch_one(q.st)) {
    return std::nullopt;
  }
  AdbotGate g;
  g.status = q.status;
  if (q.lease_ind == soci::i_ok) {
    g.lease_owner = q.lease;
  }
  g.validity_end = opt(q.end, q.end_ind);
  return g;
}

std::optional<Statements::SessionGate> Statements::session_gate(int64_t session_id) {
  auto& q = impl_->get(impl_->session);
  q.id = session_id;
  if (!fetch_one(q.st)) {
    return std::nullopt;
  }
  return SessionGate{q.status, opt(q.flood, q.flood_ind), q.sends, q.day};
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

bool Statements::blocklisted(const std::string& target) {
  auto& q = impl_->get(impl_->block);
  q.target = target;
  q.n = 0;
  fetch_one(q.st);
  return q.n > 0;
}

PeerRow Statements::peer(int64_t session_id, const std::string& key) {
  auto& q = impl_->get(impl_->peer);
  q.sid = session_id;
  q.key = key;
  PeerRow row;
  if (!fetch_one(q.st)) {
    return row;
  }
  row.state = q.state;
  row.next_allowed_at = opt(q.next, q.next_ind);
  row.recheck_at = opt(q.recheck, q.recheck_ind);
  if (q.id_ind == soci::i_ok) {
    telegram::Peer p;
    const std::string type = q.type_ind == soci::i_ok ? q.type : "";
    p.kind = type == "user"   ? telegram::Peer::Kind::kUser
             : type == "chat" ? telegram::Peer::Kind::kChat
                              : telegram::Peer::Kind::kChannel;
    p.megagroup = type == "megagroup";
    p.id = q.id;
    p.access_hash = q.hash_ind == soci::i_ok ? q.hash : 0;
    row.peer = p;
  }
  return row;
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
                             int64_t now) {
  auto& q = impl_->get(impl_->outcome);
  q.set(adbot_id, cycle, target, session_id);
  q.outcome = outcome;
  q.mid.set(message_id ? std::optional<int64_t>(*message_id) : std::nullopt);
  q.detail = detail;
  q.n = now;
  q.update.execute(true);
  if (q.update.get_affected_rows() == 0) {
    q.insert.execute(true);
  }
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
