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
