// One adbot's cycles. Everything here runs on the driver's strand; database work goes to the
// journal and Telegram calls are asynchronous: both come back through on_strand().
#include <spdlog/spdlog.h>

#include "crypto/random.hpp"
#include "engine/engine_impl.hpp"
#include "telegram/client/rpc_errors.hpp"

namespace hqadz::engine {
namespace {

using V = store::Preflight::Verdict;

// How long a slot waits when the database could not record it (before or after its send).
constexpr int64_t kDbRetryMs = 2000;

}  // namespace

Driver::Driver(std::shared_ptr<Engine::Impl> engine, int64_t adbot_id)
    : engine_(std::move(engine)), id_(adbot_id), strand_(engine_->driver_exec), timer_(strand_) {}

void Driver::start(std::chrono::milliseconds delay) {
  on_strand([this, delay] {
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) {
        self->tick();
      }
    });
  });
}

void Driver::poke() {
  on_strand([this] { tick(); });
}

void Driver::halt(bool release, std::function<void()> released) {
  on_strand([this, release, released = std::move(released)]() mutable {
    if (halted_) {
      if (released) {
        released();  // given back already
      }
      return;
    }
    halted_ = true;
    timer_.cancel();
    for (auto& [sid, lane] : lanes_) {
      if (lane->timer) {
        lane->timer->cancel();
      }
    }
    for (auto& [sid, acc] : accounts_) {
      acc->close();
    }
    if (release) {
      // Soon: whoever waits for the lease (a check of the post, another engine) need not wait.
      Journal::Unit unit = [id = id_, owner = &engine_->settings.instance_id](
                               storage::Tx& tx, store::Statements&) {
        store::release(tx, id, *owner);
      };
      if (released) {
        journal(std::move(unit), [released = std::move(released)](bool) { released(); });
      } else {
        engine_->journal.submit(std::move(unit), nullptr);
      }
    } else if (released) {
      released();
    }
    engine_->driver_done(id_);
  });
}

std::shared_ptr<telegram::Account> Driver::account(int64_t session_id) {
  auto it = accounts_.find(session_id);
  if (it != accounts_.end()) {
    return it->second;
  }
  auto acc = engine_->factory(session_id);
  if (acc) {
    accounts_[session_id] = acc;
  }
  return acc;
}

Lane* Driver::lane_of(int64_t session_id) {
  auto it = lanes_.find(session_id);
  return it == lanes_.end() ? nullptr : it->second.get();
}

void Driver::record(Journal::Unit unit) {
  engine_->journal.submit(std::move(unit), nullptr, Journal::Commit::kLater);
}

void Driver::expire(int64_t now) {
  record([now](storage::Tx& tx, store::Statements&) { store::expire_due(tx, now); });
}

void Driver::stop_adbot(const std::string& reason, int64_t now) {
  record([id = id_, reason, now](storage::Tx& tx, store::Statements&) {
    store::stop_adbot(tx, id, reason, now);
  });
}

void Driver::skip(int64_t session_id, const std::string& target, const std::string& outcome,
                  const std::string& kind, const std::string& detail, int64_t now, bool carry) {
  ++unconfirmed_;  // the cycle ends only once its slots' rows are final
  write_skip({id_, cycle_no_, session_id, target}, {outcome, kind, detail, carry}, now);
}

void Driver::write_skip(store::SlotKey key, SkipRecord what, int64_t now) {
  journal(
      [key, what, now](storage::Tx&, store::Statements& q) {
        store::record_skip(q, key, what.outcome, what.kind, what.detail, now, what.carry);
      },
      [this, key, what, now](bool ok) {
        if (!ok && !halted_) {
          // Its PENDING row must not outlive the cycle: write it again once the database
          // takes writes. (Halted: whoever drives the adbot next decides the slot afresh.)
          auto t = std::make_shared<net::steady_timer>(strand_,
                                                       std::chrono::milliseconds(kDbRetryMs));
          t->async_wait([self = shared_from_this(), t, key, what, now](boost::system::error_code) {
            if (self->halted_) {
              --self->unconfirmed_;
              return;
            }
            self->write_skip(key, what, now);
          });
          return;
        }
        --unconfirmed_;
        maybe_finish_cycle();
      },
      Journal::Commit::kLater);
}

void Driver::save_peer(int64_t session_id, const std::string& key, const std::string& state,
                       const std::optional<telegram::Peer>& peer, const std::string& error,
                       int64_t now) {
  record([session_id, key, state, peer, error, now](storage::Tx& tx, store::Statements&) {
    store::save_peer(tx, session_id, key, state, peer, error, now);
  });
}

void Driver::journal(Journal::Unit unit, std::function<void(bool)> then, Journal::Commit when) {
  engine_->journal.submit(
      std::move(unit),
      [self = shared_from_this(), then = std::move(then)](bool ok) mutable {
        self->on_strand([then = std::move(then), ok]() mutable { then(ok); });
      },
      when);
}

void Driver::read(Journal::Unit unit, std::function<void(bool)> then) {
  if (engine_->journal.reads_here()) {
    // SQLite: read in this thread; the answer still comes as a handler of its own (posted, not
    // called from here), as it would from the journal.
    const bool ok = engine_->journal.read_here(unit);
    on_strand([then = std::move(then), ok]() mutable { then(ok); });
    return;
  }
  engine_->journal.read(std::move(unit),
                        [self = shared_from_this(), then = std::move(then)](bool ok) mutable {
                          self->on_strand([then = std::move(then), ok]() mutable { then(ok); });
                        });
}

void Driver::add_to_lane(int64_t session_id, PendingSlot slot,
                         const std::map<int64_t, store::AccountCounters>& counters) {
  auto& lane = lanes_[session_id];
  if (!lane) {
    lane = std::make_unique<Lane>();
    lane->session_id = session_id;
    auto c = counters.find(session_id);
    if (c != counters.end()) {
      lane->counters = c->second;
    }
  }
  lane->queue.push_back(std::move(slot));
}

void Driver::make_lanes(const std::vector<Slot>& plan, const store::CycleBegin& begun) {
  lanes_.clear();
  for (size_t i = 0; i < plan.size(); ++i) {
    add_to_lane(plan[i].session_id,
                {plan[i].target, 0, 0, begun.random_ids.at(i), begun.carried.at(i)},
                begun.accounts);
  }
}

std::string Driver::source_key() const {
  if (!post_) {
    return "src:";
  }
  return post_->username.empty() ? "src:-100" + std::to_string(post_->channel_id)
                                 : "src:@" + post_->username;
}

void Driver::tick() {
  if (halted_) {
    return;
  }
  if (loading_) {
    reload_ = true;  // the state being read may predate what this tick is about
    return;
  }
  loading_ = true;
  load_state([this](std::optional<store::RunState> st) {
    loading_ = false;
    if (reload_) {
      reload_ = false;
      tick();
      return;
    }
    on_state(std::move(st));
  });
}

void Driver::load_state(std::function<void(std::optional<store::RunState>)> then) {
  auto st = std::make_shared<std::optional<store::RunState>>();
  read([st, id = id_, owner = &engine_->settings.instance_id, now = now_ms()](
           storage::Tx&,
           store::Statements& q) { *st = store::load_run_state(q, id, *owner, now); },
       [st, then = std::move(then)](bool ok) {
         then(ok ? std::move(*st) : std::nullopt);  // not read: as if the adbot were gone
       });
}

void Driver::on_state(std::optional<store::RunState> st) {
  if (halted_) {
    return;
  }
  const int64_t now = now_ms();
  if (!st || st->status != "RUNNING" || !st->leased) {
    halt(st && st->leased);
    return;
  }
  if (st->validity_end && *st->validity_end <= now) {
    expire(now);
    halt(true);
    return;
  }
  user_id_ = st->user_id;
  for (const auto& s : st->sessions) {
    usernames_[s.id] = s.tg_username.value_or("");
  }
  interval_seconds_ = std::max(1, st->interval_seconds);
  daily_cap_ = st->daily_cap;
  if (st->post_link) {
    auto p = domain::parse_post_link(*st->post_link);
    if (p.ok()) {
      const std::string before = source_key();
      post_ = *p;
      if (source_key() != before) {
        sources_.clear();  // another channel: resolved again
      }
    }
  }
  if (in_cycle_) {
    return;  // lanes are running; each send re-checks the adbot first
  }
  if (!post_) {
    stop_adbot("no valid post link is set", now);
    halt(true);
    return;
  }
  if (st->cycle_state == "IN_CYCLE" && st->cycle_plan) {
    resume_cycle(*st);
    return;
  }
  const int64_t due = st->next_run_at.value_or(now);
  if (due > now) {
    // Wake at the plan's end too, so an adbot idle between cycles shows EXPIRED on time.
    const int64_t wake = st->validity_end ? std::min(due, *st->validity_end) : due;
    timer_.expires_after(std::chrono::milliseconds(std::max<int64_t>(0, wake - now)));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) {
        self->tick();
      }
    });
    return;
  }
  start_cycle(*st);
}

void Driver::start_cycle(const store::RunState& st) {
  const int64_t now = now_ms();
  std::vector<int64_t> healthy;
  std::vector<int64_t> assigned;
  for (const auto& s : st.sessions) {
    if (s.status != "ASSIGNED") {
      continue;
    }
    assigned.push_back(s.id);
    if (!s.flood_until || *s.flood_until <= now) {
      healthy.push_back(s.id);
    }
  }
  // Accounts inside a flood wait take part only when no other can (they then wait it out).
  const auto& serving = healthy.empty() ? assigned : healthy;
  if (serving.empty()) {
    stop_adbot(
        "no healthy Telegram account is left; an administrator must assign a "
        "replacement",
        now);
    halt(true);
    return;
  }
  auto plan = make_plan(st.distribution, serving, st.targets);
  if (plan.empty()) {
    stop_adbot("no group to post to", now);
    halt(true);
    return;
  }
  in_cycle_ = true;  // no second cycle while this one's begin is being recorded
  beginning_ = true;
  auto begun = std::make_shared<store::CycleBegin>();
  auto shared_plan = std::make_shared<std::vector<Slot>>(std::move(plan));
  journal(
      [begun, shared_plan, id = id_, owner = &engine_->settings.instance_id, now](
          storage::Tx&, store::Statements& q) {
        *begun = store::begin_cycle(q, id, *owner, *shared_plan, now);
      },
      [this, begun, shared_plan, now](bool ok) {
        beginning_ = false;
        if (halted_) {
          return;
        }
        if (!ok || begun->cycle_no == 0) {
          in_cycle_ = false;
          halt(false);
          return;
        }
        cycle_no_ = begun->cycle_no;
        cycle_deadline_ = now + static_cast<int64_t>(interval_seconds_) * 1000;
        make_lanes(*shared_plan, *begun);
        run_lanes();
      });
}

void Driver::resume_cycle(const store::RunState& st) {
  in_cycle_ = true;
  beginning_ = true;
  cycle_no_ = st.cycle_no;
  auto plan = std::make_shared<std::vector<Slot>>(plan_from_json(*st.cycle_plan));
  auto records = std::make_shared<std::map<std::pair<int64_t, std::string>, store::SlotRecord>>();
  auto counters = std::make_shared<std::map<int64_t, store::AccountCounters>>();
  // A write-class unit: it runs after every write queued before it (a previous driver's
  // outcomes), so no slot recorded since looks PENDING.
  journal(
      [records, counters, plan, id = id_, cycle = cycle_no_](storage::Tx& tx,
                                                             store::Statements& q) {
        *records = store::slot_records(tx, id, cycle);
        std::vector<int64_t> sessions;
        for (const auto& slot : *plan) {
          sessions.push_back(slot.session_id);
        }
        *counters = store::account_counters(q, sessions);
      },
      [this, plan, records, counters](bool ok) {
        beginning_ = false;
        if (halted_) {
          return;
        }
        if (!ok) {
          in_cycle_ = false;
          halt(false);  // the database is away: the lease is renewed or lost, then resumed
          return;
        }
        const int64_t now = now_ms();
        cycle_deadline_ = now + static_cast<int64_t>(interval_seconds_) * 1000;
        lanes_.clear();
        // Every slot's row is written when its cycle begins, and a send's checks write nothing:
        // a PENDING slot may have been sent at any time up to the cycle's last recorded change.
        int64_t last_change = 0;
        for (const auto& [key, rec] : *records) {
          last_change = std::max(last_change, rec.at);
        }
        const bool too_old = now - last_change > engine_->settings.pending_bound.count();
        for (const auto& slot : *plan) {
          auto it = records->find({slot.session_id, slot.target});
          if (it != records->end() && it->second.outcome != "PENDING") {
            continue;  // done before the restart
          }
          if (it != records->end() && too_old) {
            // Too old to resend safely: Telegram may have forgotten the random_id.
            skip(slot.session_id, slot.target, "UNKNOWN", "UNKNOWN",
                 "interrupted long ago; not re-sent", now);
            continue;
          }
          // An interrupted send goes again with its stored random_id (Telegram dedupes by it).
          const bool stored = it != records->end();
          add_to_lane(slot.session_id,
                      {slot.target, 0, 0, stored ? it->second.random_id : 0, stored}, *counters);
        }
        record([id = id_, cycle = cycle_no_, now](storage::Tx& tx, store::Statements&) {
          store::record_event(tx, id, "CYCLE_RESUMED", std::nullopt, std::nullopt, std::nullopt,
                              "cycle " + std::to_string(cycle) + " resumed", now);
        });
        run_lanes();
      });
}

void Driver::run_lanes() {
  in_cycle_ = true;
  for (auto& [sid, lane] : lanes_) {
    lane_next(*lane);
  }
  maybe_finish_cycle();
}

void Driver::lane_next(Lane& lane) {
  if (halted_ || lane.busy || lane.done) {
    return;
  }
  const int64_t now = now_ms();
  int64_t earliest = INT64_MAX;
  for (auto it = lane.queue.begin(); it != lane.queue.end(); ++it) {
    if (it->not_before <= now) {
      PendingSlot slot = *it;
      lane.queue.erase(it);
      lane.busy = true;
      process(lane, slot);
      return;
    }
    earliest = std::min(earliest, it->not_before);
  }
  if (lane.queue.empty()) {
    lane.done = true;
    maybe_finish_cycle();
    return;
  }
  lane_wait(lane, earliest);
}

void Driver::lane_wait(Lane& lane, int64_t until) {
  if (!lane.timer) {
    lane.timer = std::make_unique<net::steady_timer>(strand_);
  }
  const int64_t delay = std::max<int64_t>(0, until - now_ms());
  lane.timer->expires_after(std::chrono::milliseconds(delay));
  const int64_t sid = lane.session_id;
  lane.timer->async_wait([self = shared_from_this(), sid](boost::system::error_code ec) {
    if (ec) {
      return;
    }
    if (Lane* l = self->lane_of(sid)) {
      self->lane_next(*l);
    }
  });
}

void Driver::finish_slot(Lane& lane, bool sent_something) {
  lane.busy = false;
  if (halted_) {
    return;
  }
  if (!sent_something) {
    lane_next(lane);
    return;
  }
  // The random gap between two sends of one account.
  const auto& s = engine_->settings;
  const int64_t gap_ms =
      static_cast<int64_t>(crypto::random_between(static_cast<uint64_t>(s.gap_min_seconds) * 1000,
                                                  static_cast<uint64_t>(s.gap_max_seconds) * 1000));
  if (gap_ms == 0) {
    lane_next(lane);
    return;
  }
  lane_wait(lane, now_ms() + gap_ms);
}

void Driver::stop_lane(Lane& lane, const std::string& why) {
  const int64_t now = now_ms();
  for (const auto& slot : lane.queue) {
    // A slot with an unanswered try keeps its random_id for its next cycle.
    skip(lane.session_id, slot.target, "SKIPPED", "SKIPPED", why, now, slot.maybe_delivered);
  }
  lane.queue.clear();
}

void Driver::maybe_finish_cycle() {
  if (halted_ || !in_cycle_) {
    return;
  }
  for (const auto& [sid, lane] : lanes_) {
    if (!lane->done || lane->busy) {
      return;
    }
  }
  if (finishing_ || beginning_ || unconfirmed_ > 0) {
    return;  // (an outcome not yet committed may yet put its slot back)
  }
  finishing_ = true;
  const int64_t now = now_ms();
  const int64_t next = now + static_cast<int64_t>(interval_seconds_) * 1000;
  journal([id = id_, owner = &engine_->settings.instance_id, cycle = cycle_no_, next, now](
              storage::Tx&,
              store::Statements& q) { store::finish_cycle(q, id, *owner, cycle, next, now); },
          [this, next](bool) {
            // Not recorded (the database is away): the next tick finds the cycle IN_CYCLE with
            // every slot done, and finishes it again.
            finishing_ = false;
            in_cycle_ = false;
            if (halted_) {
              return;
            }
            timer_.expires_after(std::chrono::milliseconds(std::max<int64_t>(0, next - now_ms())));
            timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
              if (!ec) {
                self->tick();
              }
            });
          },
          Journal::Commit::kLater);
}

void Driver::process(Lane& lane, PendingSlot slot) {
  const int64_t now = now_ms();
  auto pf = std::make_shared<store::Preflight>();
  read(
      [pf, key = store::SlotKey{id_, cycle_no_, lane.session_id, slot.target},
       owner = &engine_->settings.instance_id, src = source_key(), cap = daily_cap_,
       mine = lane.counters, clock = &engine_->clock](storage::Tx&, store::Statements& q) {
        *pf = store::preflight(q, key, *owner, src, cap, mine, core::to_unix_ms(clock->now()));
      },
      [this, sid = lane.session_id, slot, pf, now](bool ok) mutable {
        Lane* l = lane_of(sid);
        if (l == nullptr) {
          return;
        }
        if (halted_) {
          l->busy = false;  // its PENDING row is sent by whoever drives the adbot next
          return;
        }
        if (!ok) {
          pf->verdict = V::kDefer;
          pf->until = now + 5000;
          pf->detail = "database unavailable";
          pf->db_unavailable = true;
        }
        decide(*l, std::move(slot), std::move(*pf));
      });
}

void Driver::decide(Lane& lane, PendingSlot slot, store::Preflight pf) {
  const int64_t now = now_ms();
  switch (pf.verdict) {
    case V::kStopAdbot:
      lane.busy = false;
      if (pf.expired) {
        expire(now);  // EXPIRED, its event and the owner's notice
      }
      halt(pf.expired);
      return;
    case V::kStopLane:
      lane.queue.push_front(slot);
      stop_lane(lane, pf.detail);
      finish_slot(lane, false);
      return;
    case V::kDefer:
      if (pf.db_unavailable) {
        // Not the slot's fault: it waits for the database however long that takes (a skip
        // could not be recorded anyway).
        slot.not_before = pf.until;
        lane.queue.push_front(slot);
      } else if (pf.until > cycle_deadline_) {
        // Past this cycle's end: the next cycle tries again.
        skip(lane.session_id, slot.target, "SKIPPED", "SKIPPED",
             pf.detail + " lasts past this cycle", now, slot.maybe_delivered);
      } else {
        slot.not_before = pf.until;
        lane.queue.push_back(slot);
      }
      finish_slot(lane, false);
      return;
    case V::kSkip:
      skip(lane.session_id, slot.target, pf.outcome, pf.outcome, pf.detail, now);
      finish_slot(lane, false);
      return;
    case V::kGo:
      if (pf.already_final) {
        finish_slot(lane, false);
        return;
      }
      // What this driver resolved or joined may not be committed yet.
      if (!pf.source.peer) {
        if (auto it = sources_.find(lane.session_id); it != sources_.end()) {
          pf.source.peer = it->second;
        }
      }
      if (auto it = lane.joined.find(slot.target); it != lane.joined.end()) {
        pf.group.peer = it->second;
        pf.group.state = "JOINED";
      }
      ensure_source(lane, slot, pf);
      return;
  }
}

void Driver::ensure_source(Lane& lane, PendingSlot slot, store::Preflight pf) {
  if (pf.source.peer) {
    ensure_group(lane, slot, *pf.source.peer, pf);
    return;
  }
  auto acc = account(lane.session_id);
  if (!acc) {
    stop_lane(lane, "the account could not be opened");
    finish_slot(lane, false);
    return;
  }
  const int64_t sid = lane.session_id;
  auto done = [self = shared_from_this(), sid, slot, pf](telegram::Outcome<telegram::Peer> r) {
    self->on_strand([self, sid, slot, pf, r]() mutable {
      Lane* l = self->lane_of(sid);
      if (l == nullptr || self->halted_) {
        return;
      }
      const int64_t now = self->now_ms();
      if (r.ok()) {
        self->save_peer(sid, self->source_key(), "KNOWN", r.value(), "", now);
        self->sources_[sid] = r.value();
        self->ensure_group(*l, slot, r.value(), pf);
        return;
      }
      // About the post's channel: what would drop a group stops the adbot (after_apply); an
      // account-wide reply stops this account as it would on a send.
      self->handle(*l, slot, react_error(r.error(), About::kSource), std::nullopt);
    });
  };
  if (post_->username.empty()) {
    acc->resolve_channel_id(post_->channel_id, done);
  } else {
    acc->resolve_username(post_->username, done);
  }
}

void Driver::ensure_group(Lane& lane, PendingSlot slot, telegram::Peer source,
                          store::Preflight pf) {
  if (pf.group.peer && pf.group.state == "JOINED") {
    send(lane, slot, source, *pf.group.peer);
    return;
  }
  auto acc = account(lane.session_id);
  if (!acc) {
    stop_lane(lane, "the account could not be opened");
    finish_slot(lane, false);
    return;
  }
  const int64_t sid = lane.session_id;
  auto target = domain::parse_group_target(slot.target);
  if (!target.ok()) {
    skip(sid, slot.target, "DROPPED", "INVALID_GROUP", target.error().message, now_ms());
    finish_slot(lane, false);
    return;
  }
  if (!target->by_username()) {
    // By id: only a group the account is already in can be found.
    acc->resolve_channel_id(target->channel_id, [self = shared_from_this(), sid, slot,
                                                 source](telegram::Outcome<telegram::Peer> r) {
      self->on_strand([self, sid, slot, source, r]() mutable {
        Lane* l = self->lane_of(sid);
        if (l == nullptr || self->halted_) {
          return;
        }
        if (r.ok()) {
          self->save_peer(sid, slot.target, "JOINED", r.value(), "", self->now_ms());
          l->joined[slot.target] = r.value();
          self->send(*l, slot, source, r.value());
          return;
        }
        self->fail_group(*l, slot, r.error());
      });
    });
    return;
  }
  auto after_resolve = [self = shared_from_this(), sid, slot, source, acc,
                        no_joins = pf.no_joins](telegram::Outcome<telegram::Peer> r) {
    self->on_strand([self, sid, slot, source, acc, no_joins, r]() mutable {
      Lane* l = self->lane_of(sid);
      if (l == nullptr || self->halted_) {
        return;
      }
      const int64_t now = self->now_ms();
      if (!r.ok()) {
        self->fail_group(*l, slot, r.error(), /*resolving_name=*/true);
        return;
      }
      const telegram::Peer group = r.value();
      if (group.kind != telegram::Peer::Kind::kChannel || !group.megagroup) {
        self->save_peer(sid, slot.target, "INVALID", group, "not a group anyone can post in", now);
        self->skip(sid, slot.target, "DROPPED", "INVALID_GROUP",
                   "not a group (a channel or a user)", now);
        self->finish_slot(*l, true);
        return;
      }
      if (no_joins || l->no_joins) {
        // Telegram said this account is in too many groups: it joins nothing more (and is not
        // asked again), while it keeps posting to the groups it is in.
        self->skip(sid, slot.target, "SKIPPED", "NO_JOINS", kNoJoinsText, now);
        self->finish_slot(*l, false);
        return;
      }
      // A public group is joined the first time it is needed, within the daily join cap.
      auto took = std::make_shared<bool>(false);
      self->journal(
          [took, sid, cap = self->engine_->settings.join_cap_per_day, now](
              storage::Tx& tx, store::Statements&) { *took = store::take_join(tx, sid, cap, now); },
          [self, sid, slot, source, acc, group, took, now](bool ok) {
            Lane* l = self->lane_of(sid);
            if (l == nullptr || self->halted_) {
              return;
            }
            if (!ok || !*took) {
              self->skip(sid, slot.target, "SKIPPED", "JOIN_CAPPED",
                         "the account's daily join limit is reached", now);
              self->finish_slot(*l, true);
              return;
            }
            acc->join_channel(
                group, [self, sid, slot, source, group](telegram::Outcome<telegram::Nothing> j) {
                  self->on_strand([self, sid, slot, source, group, j]() mutable {
                    Lane* l2 = self->lane_of(sid);
                    if (l2 == nullptr || self->halted_) {
                      return;
                    }
                    const int64_t t = self->now_ms();
                    // kDelivered: USER_ALREADY_PARTICIPANT, a member already.
                    if (!j.ok() && j.error().kind != telegram::ErrorKind::kDelivered) {
                      self->fail_group(*l2, slot, j.error());
                      return;
                    }
                    self->save_peer(sid, slot.target, "JOINED", group, "", t);
                    l2->joined[slot.target] = group;
                    self->record([id = self->id_, sid, target = slot.target, t](
                                     storage::Tx& tx, store::Statements&) {
                      store::record_event(tx, id, "JOINED", sid, target, std::nullopt,
                                          "joined the group", t);
                    });
                    self->send(*l2, slot, source, group);
                  });
                });
          });
    });
  };
  if (pf.group.peer) {
    after_resolve(telegram::Outcome<telegram::Peer>(*pf.group.peer));
  } else {
    acc->resolve_username(target->username, after_resolve);
  }
}

void Driver::fail_group(Lane& lane, const PendingSlot& slot, const telegram::RpcError& error,
                        bool resolving_name) {
  Reaction r = react_error(error);
  if (telegram::is_not_participant(error)) {
    // A private group the account is not in: tell the customer whom to invite.
    auto it = usernames_.find(lane.session_id);
    const std::string who = it != usernames_.end() && !it->second.empty()
                                ? "@" + it->second
                                : "account #" + std::to_string(lane.session_id);
    r.detail = "private group: invite " + who + " to it";
  }
  if (error.kind == telegram::ErrorKind::kGroupInvalid && resolving_name) {
    // Nobody holds that @username: the target is no group for any account.
    r.group_state.reset();
    r.group_invalid = true;
    r.detail = "no Telegram group has this username";
  }
  handle(lane, slot, r, std::nullopt);
}

void Driver::send(Lane& lane, PendingSlot slot, telegram::Peer source, telegram::Peer group) {
  if (slot.random_id != 0) {
    forward(lane, slot, source, group);
    return;
  }
  auto rid = std::make_shared<std::optional<int64_t>>();
  journal(
      [rid, key = store::SlotKey{id_, cycle_no_, lane.session_id, slot.target},
       clock = &engine_->clock](storage::Tx&, store::Statements& q) {
        *rid = store::pend(q, key, 0, core::to_unix_ms(clock->now()));
      },
      [this, sid = lane.session_id, slot, source, group, rid](bool ok) mutable {
        Lane* l = lane_of(sid);
        if (l == nullptr) {
          return;
        }
        if (halted_) {
          l->busy = false;
          return;
        }
        if (!ok) {
          // Nothing is sent that could not be recorded as PENDING first: try again later.
          slot.not_before = now_ms() + kDbRetryMs;
          l->queue.push_front(slot);
          finish_slot(*l, false);
          return;
        }
        if (!*rid) {
          finish_slot(*l, false);  // already has an outcome
          return;
        }
        slot.random_id = **rid;
        forward(*l, slot, source, group);
      });
}

void Driver::forward(Lane& lane, const PendingSlot& slot, const telegram::Peer& source,
                     const telegram::Peer& group) {
  auto acc = account(lane.session_id);
  if (!acc) {
    stop_lane(lane, "the account could not be opened");
    finish_slot(lane, false);
    return;
  }
  const int64_t sid = lane.session_id;
  acc->forward_message(source, post_->message_id, group, slot.random_id,
                       [self = shared_from_this(), sid, slot](telegram::Outcome<int32_t> reply) {
                         self->on_strand([self, sid, slot, reply]() mutable {
                           if (Lane* l = self->lane_of(sid)) {
                             self->on_reply(*l, slot, reply);
                           }
                         });
                       });
}

void Driver::on_reply(Lane& lane, PendingSlot slot, telegram::Outcome<int32_t> reply) {
  handle(lane, slot, react(reply),
         reply.ok() ? std::optional<int32_t>(reply.value()) : std::nullopt);
}

void Driver::handle(Lane& lane, PendingSlot slot, Reaction r, std::optional<int32_t> message_id) {
  const int64_t now = now_ms();
  if (halted_ && r.retry) {
    // Cut off by the halt (its account closed): delivered or not is unknown. The row stays
    // PENDING, and whoever drives the adbot next re-sends it with the same random_id.
    lane.busy = false;
    return;
  }
  if (r.retry) {
    ++slot.attempts;
    slot.maybe_delivered = true;
    if (slot.attempts > engine_->settings.transient_retries) {
      // Delivered or not is unknown: the slot waits for the next cycle, where it is sent with
      // this random_id again (never a new one, never FAILED).
      r.retry = false;
      r.outcome = "SKIPPED";
      r.event_kind = "RETRY_NEXT_CYCLE";
      r.carry = true;
      r.detail = "Telegram did not answer " + std::to_string(slot.attempts) +
                 " tries; the post goes again next cycle";
    }
  } else if (!r.outcome && slot.maybe_delivered) {
    // A wait after a try that got no answer: that try may have been delivered, so the slot
    // keeps its PENDING row and random_id through the wait.
    r.keep_random_id = true;
  }
  // The outcome goes with the journal's next commit and the lane goes on at once: its own
  // counters carry what the database has not committed yet, and the cycle ends only once every
  // outcome is committed (a lost one puts its slot back).
  ++unconfirmed_;
  journal(
      [key = store::SlotKey{id_, cycle_no_, lane.session_id, slot.target}, user = user_id_, r,
       message_id, now](storage::Tx& tx, store::Statements& q) {
        store::apply(tx, q, key, user, r, message_id, now);
      },
      [this, sid = lane.session_id, slot, r, now](bool recorded) {
        --unconfirmed_;
        if (!recorded) {
          outcome_lost(sid, slot, r, now);
        }
        maybe_finish_cycle();
      },
      Journal::Commit::kLater);
  after_apply(lane, std::move(slot), r, now);
}

void Driver::outcome_lost(int64_t session_id, PendingSlot slot, const Reaction& r, int64_t now) {
  Lane* lane = lane_of(session_id);
  if (halted_ || lane == nullptr || !r.outcome) {
    // Halted: the row stays PENDING for whoever drives the adbot next. A wait or a retry: the
    // slot is queued again already (only its event is lost).
    return;
  }
  // The slot stays PENDING and is sent again later with its stored random_id (a delivered one
  // answers RANDOM_ID_DUPLICATE, recorded as SENT then); never before a wait it was told about.
  if (*r.outcome == "SENT" && lane->counters.sends_on(now) > 0) {
    --lane->counters.sends;  // counted again when the resend is recorded
  }
  slot.not_before = now_ms() + std::max<int64_t>(kDbRetryMs, r.wait_seconds * 1000);
  lane->queue.push_front(slot);
  lane->done = false;
  if (!lane->busy) {
    lane_next(*lane);
  }
}

void Driver::after_apply(Lane& lane, PendingSlot slot, const Reaction& r, int64_t now) {
  if (r.session_pause_seconds > 0) {
    lane.counters.flood_until =
        std::max(lane.counters.flood_until, now + r.session_pause_seconds * 1000);
  }
  if (r.outcome == std::optional<std::string>("SENT")) {
    lane.counters.count_send(now);
  }
  if (halted_) {
    lane.busy = false;
    return;
  }
  if (r.stop_adbot) {
    stop_adbot(r.detail, now);
    lane.busy = false;
    halt(true);
    return;
  }
  if (r.no_joins) {
    lane.no_joins = true;
  }
  if (!r.outcome && !r.retry && !r.keep_random_id) {
    slot.random_id = 0;  // a wait: its PENDING row is gone, the next try writes a fresh one
  }
  if (r.retry) {
    static constexpr int64_t kBackoffMs[] = {1000, 4000, 10000};
    slot.not_before = now + kBackoffMs[std::min(slot.attempts, 3) - 1];
    lane.queue.push_front(slot);
  } else if (!r.outcome) {
    // A wait: the slot is due again after it (flood: the whole lane waits, in preflight).
    slot.not_before = now + r.wait_seconds * 1000;
    if (slot.not_before > cycle_deadline_) {
      skip(lane.session_id, slot.target, "SKIPPED", "SKIPPED",
           r.detail + "; that lasts past this cycle", now, r.keep_random_id);
    } else {
      lane.queue.push_back(slot);
    }
  }
  if (r.stop_lane) {
    stop_lane(lane, "account " + (r.session_status ? *r.session_status : r.event_kind));
  }
  finish_slot(lane, true);
}

void Driver::check_post(const std::string& link, std::function<void(core::Result<bool>)> done) {
  on_strand([this, link, done = std::move(done)] {
    auto parsed = domain::parse_post_link(link);
    if (!parsed.ok()) {
      done(parsed.error());
      return;
    }
    load_state([this, parsed = *parsed, done](std::optional<store::RunState> st) {
      check_post_with(st, parsed, done);
    });
  });
}

void Driver::check_post_with(const std::optional<store::RunState>& st, const domain::PostLink& p,
                             const std::function<void(core::Result<bool>)>& done) {
  std::shared_ptr<telegram::Account> acc;
  if (st) {
    for (const auto& s : st->sessions) {
      if (s.status == "ASSIGNED" && (acc = account(s.id))) {
        break;
      }
    }
  }
  if (!acc) {
    done(core::Error{core::Errc::kUnprocessable, "no_healthy_account",
                     "no healthy account is assigned to check the post with"});
    return;
  }
  auto check = [acc, p, done](telegram::Outcome<telegram::Peer> peer) {
    if (!peer.ok()) {
      done(core::Result<bool>(false));
      return;
    }
    acc->message_exists(peer.value(), p.message_id, [done](telegram::Outcome<bool> exists) {
      if (!exists.ok()) {
        if (exists.error().kind == telegram::ErrorKind::kTransient) {
          done(core::Error{core::Errc::kBadGateway, "telegram_unavailable",
                           "Telegram did not answer; try again"});
          return;
        }
        done(core::Result<bool>(false));
        return;
      }
      done(core::Result<bool>(exists.value()));
    });
  };
  if (p.username.empty()) {
    acc->resolve_channel_id(p.channel_id, check);
  } else {
    acc->resolve_username(p.username, check);
  }
}

}  // namespace hqadz::engine
