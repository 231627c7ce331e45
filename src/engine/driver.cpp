// One adbot's cycles. Everything here runs on the driver's strand; database calls block a pool
// thread briefly, Telegram calls are asynchronous and come back through on_strand().
#include <spdlog/spdlog.h>

#include "crypto/random.hpp"
#include "engine/engine_impl.hpp"

namespace hqadz::engine {
namespace {

using V = store::Preflight::Verdict;

// How long a slot waits when the database could not record it (before or after its send).
constexpr int64_t kDbRetryMs = 2000;

bool is_user_already_participant(const telegram::RpcError& e) {
  return e.name == "USER_ALREADY_PARTICIPANT";
}

}  // namespace

Driver::Driver(std::shared_ptr<Engine::Impl> engine, int64_t adbot_id)
    : engine_(std::move(engine)),
      id_(adbot_id),
      strand_(net::make_strand(engine_->pool)),
      timer_(strand_) {}

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

void Driver::halt(bool release) {
  on_strand([this, release] {
    if (halted_) {
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
      store::release(engine_->db, id_, engine_->settings.instance_id);
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
  const int64_t now = now_ms();
  auto st = store::load_run_state(engine_->db, id_, engine_->settings.instance_id, now);
  if (!st || st->status != "RUNNING" || !st->leased) {
    halt(st && st->leased);
    return;
  }
  if (st->validity_end && *st->validity_end <= now) {
    store::expire_due(engine_->db, now);
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
      post_ = *p;
    }
  }
  if (in_cycle_) {
    return;  // lanes are running; each send re-checks the adbot first
  }
  if (!post_) {
    store::stop_adbot(engine_->db, id_, "no valid post link is set", now);
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
    store::stop_adbot(engine_->db, id_,
                      "no healthy Telegram account is left; an administrator must assign a "
                      "replacement",
                      now);
    halt(true);
    return;
  }
  auto plan = make_plan(st.distribution, serving, st.targets);
  if (plan.empty()) {
    store::stop_adbot(engine_->db, id_, "no group to post to", now);
    halt(true);
    return;
  }
  int64_t cycle = 0;
  if (!store::begin_cycle(engine_->db, id_, engine_->settings.instance_id, plan, now, &cycle)) {
    halt(false);
    return;
  }
  cycle_no_ = cycle;
  cycle_deadline_ = now + static_cast<int64_t>(interval_seconds_) * 1000;
  lanes_.clear();
  for (const auto& slot : plan) {
    auto& lane = lanes_[slot.session_id];
    if (!lane) {
      lane = std::make_unique<Lane>();
      lane->session_id = slot.session_id;
    }
    lane->queue.push_back({slot.target, 0, 0});
  }
  run_lanes();
}

void Driver::resume_cycle(const store::RunState& st) {
  const int64_t now = now_ms();
  cycle_no_ = st.cycle_no;
  cycle_deadline_ = now + static_cast<int64_t>(interval_seconds_) * 1000;
  const auto plan = plan_from_json(*st.cycle_plan);
  const auto records = store::slot_records(engine_->db, id_, cycle_no_);
  lanes_.clear();
  for (const auto& slot : plan) {
    auto it = records.find({slot.session_id, slot.target});
    if (it != records.end() && it->second.outcome != "PENDING") {
      continue;  // done before the restart
    }
    if (it != records.end() &&
        now - it->second.created_at > engine_->settings.pending_bound.count()) {
      // Too old to resend safely: Telegram may have forgotten the random_id.
      store::record_skip(engine_->db, id_, cycle_no_, slot.session_id, slot.target, "UNKNOWN",
                         "UNKNOWN", "interrupted long ago; not re-sent", now);
      continue;
    }
    auto& lane = lanes_[slot.session_id];
    if (!lane) {
      lane = std::make_unique<Lane>();
      lane->session_id = slot.session_id;
    }
    lane->queue.push_back({slot.target, 0, 0});
  }
  store::record_event(engine_->db, id_, "CYCLE_RESUMED", std::nullopt, std::nullopt, std::nullopt,
                      "cycle " + std::to_string(cycle_no_) + " resumed", now);
  run_lanes();
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
  const int64_t gap_ms = static_cast<int64_t>(crypto::random_between(
      static_cast<uint64_t>(s.gap_min_seconds) * 1000, static_cast<uint64_t>(s.gap_max_seconds) * 1000));
  if (gap_ms == 0) {
    lane_next(lane);
    return;
  }
  lane_wait(lane, now_ms() + gap_ms);
}

void Driver::stop_lane(Lane& lane, const std::string& why) {
  const int64_t now = now_ms();
  for (const auto& slot : lane.queue) {
    store::record_skip(engine_->db, id_, cycle_no_, lane.session_id, slot.target, "SKIPPED",
                       "SKIPPED", why, now);
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
  in_cycle_ = false;
  const int64_t now = now_ms();
  const int64_t next = now + static_cast<int64_t>(interval_seconds_) * 1000;
  store::finish_cycle(engine_->db, id_, engine_->settings.instance_id, next);
  store::record_event(engine_->db, id_, "CYCLE_DONE", std::nullopt, std::nullopt, std::nullopt,
                      "cycle " + std::to_string(cycle_no_) + " done", now);
  timer_.expires_after(std::chrono::milliseconds(next - now));
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) {
      self->tick();
    }
  });
}

void Driver::process(Lane& lane, PendingSlot slot) {
  const int64_t now = now_ms();
  auto pf = store::preflight(engine_->db, id_, engine_->settings.instance_id, lane.session_id,
                             slot.target, source_key(), daily_cap_, now);
  switch (pf.verdict) {
    case V::kStopAdbot:
      lane.busy = false;
      if (pf.expired) {
        store::expire_due(engine_->db, now);  // EXPIRED, its event and the owner's notice
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
        store::record_skip(engine_->db, id_, cycle_no_, lane.session_id, slot.target, "SKIPPED",
                           "SKIPPED", pf.detail + " lasts past this cycle", now);
      } else {
        slot.not_before = pf.until;
        lane.queue.push_back(slot);
      }
      finish_slot(lane, false);
      return;
    case V::kSkip:
      store::record_skip(engine_->db, id_, cycle_no_, lane.session_id, slot.target, pf.outcome,
                         pf.outcome, pf.detail, now);
      finish_slot(lane, false);
      return;
    case V::kGo:
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
        store::save_peer(self->engine_->db, sid, self->source_key(), "KNOWN", r.value(), "", now);
        self->ensure_group(*l, slot, r.value(), pf);
        return;
      }
      const auto& e = r.error();
      if (e.kind == telegram::RpcErrc::kUsernameNotOccupied ||
          e.kind == telegram::RpcErrc::kChannelPrivate) {
        store::stop_adbot(self->engine_->db, self->id_,
                          "the post's channel cannot be reached (" + e.name + ")", now);
        l->busy = false;
        self->halt(true);
        return;
      }
      self->on_reply(*l, slot, telegram::Outcome<int32_t>(e));
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
    store::record_skip(engine_->db, id_, cycle_no_, sid, slot.target, "DROPPED", "INVALID_GROUP",
                       target.error().message, now_ms());
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
          store::save_peer(self->engine_->db, sid, slot.target, "JOINED", r.value(), "",
                           self->now_ms());
          self->send(*l, slot, source, r.value());
          return;
        }
        self->fail_group(*l, slot, r.error());
      });
    });
    return;
  }
  auto after_resolve = [self = shared_from_this(), sid, slot, source,
                        acc](telegram::Outcome<telegram::Peer> r) {
    self->on_strand([self, sid, slot, source, acc, r]() mutable {
      Lane* l = self->lane_of(sid);
      if (l == nullptr || self->halted_) {
        return;
      }
      const int64_t now = self->now_ms();
      if (!r.ok()) {
        self->fail_group(*l, slot, r.error());
        return;
      }
      const telegram::Peer group = r.value();
      if (group.kind != telegram::Peer::Kind::kChannel || !group.megagroup) {
        store::save_peer(self->engine_->db, sid, slot.target, "INVALID", group,
                         "not a group anyone can post in", now);
        store::record_skip(self->engine_->db, self->id_, self->cycle_no_, sid, slot.target,
                           "DROPPED", "INVALID_GROUP", "not a group (a channel or a user)", now);
        self->finish_slot(*l, true);
        return;
      }
      // A public group is joined the first time it is needed, within the daily join cap.
      if (!store::take_join(self->engine_->db, sid, self->engine_->settings.join_cap_per_day, now)) {
        store::record_skip(self->engine_->db, self->id_, self->cycle_no_, sid, slot.target,
                           "SKIPPED", "JOIN_CAPPED", "the account's daily join limit is reached",
                           now);
        self->finish_slot(*l, true);
        return;
      }
      acc->join_channel(group, [self, sid, slot, source, group](telegram::Outcome<telegram::Nothing> j) {
        self->on_strand([self, sid, slot, source, group, j]() mutable {
          Lane* l2 = self->lane_of(sid);
          if (l2 == nullptr || self->halted_) {
            return;
          }
          const int64_t t = self->now_ms();
          if (!j.ok() && !is_user_already_participant(j.error())) {
            self->fail_group(*l2, slot, j.error());
            return;
          }
          store::save_peer(self->engine_->db, sid, slot.target, "JOINED", group, "", t);
          store::record_event(self->engine_->db, self->id_, "JOINED", sid, slot.target,
                              std::nullopt, "joined the group", t);
          self->send(*l2, slot, source, group);
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

void Driver::fail_group(Lane& lane, const PendingSlot& slot, const telegram::RpcError& error) {
  Reaction r = react_error(error);
  if (error.kind == telegram::RpcErrc::kChannelPrivate) {
    // A private group the account is not in: tell the customer whom to invite.
    auto it = usernames_.find(lane.session_id);
    const std::string who = it != usernames_.end() && !it->second.empty()
                                ? "@" + it->second
                                : "account #" + std::to_string(lane.session_id);
    r.detail = "private group: invite " + who + " to it";
  }
  handle(lane, slot, r, std::nullopt);
}

void Driver::send(Lane& lane, PendingSlot slot, telegram::Peer source, telegram::Peer group) {
  const int64_t now = now_ms();
  auto rid = store::pending_random_id(engine_->db, id_, cycle_no_, slot.target, lane.session_id,
                                      now);
  if (!rid.ok()) {
    // Nothing is sent that could not be recorded as PENDING first: try again later.
    slot.not_before = now + kDbRetryMs;
    lane.queue.push_front(slot);
    finish_slot(lane, false);
    return;
  }
  if (!*rid) {
    finish_slot(lane, false);  // already has an outcome
    return;
  }
  auto acc = account(lane.session_id);
  if (!acc) {
    stop_lane(lane, "the account could not be opened");
    finish_slot(lane, false);
    return;
  }
  const int64_t sid = lane.session_id;
  acc->forward_message(source, post_->message_id, group, **rid,
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
    if (slot.attempts > engine_->settings.transient_retries) {
      r.retry = false;
      r.outcome = "FAILED";
      r.event_kind = "ERROR";
      r.detail = "gave up after " + std::to_string(slot.attempts) + " attempts: " + r.detail;
    }
  }
  const bool recorded = store::apply(engine_->db, id_, user_id_, cycle_no_, lane.session_id,
                                     slot.target, r, message_id, now);
  if (halted_) {
    lane.busy = false;
    return;
  }
  if (!recorded) {
    // The reply is lost to the database: the slot stays PENDING and is sent again later with
    // its stored random_id (a delivered one answers RANDOM_ID_DUPLICATE, recorded as SENT
    // then); never before a wait it was told about.
    slot.not_before = now + std::max<int64_t>(kDbRetryMs, r.wait_seconds * 1000);
    lane.queue.push_front(slot);
    finish_slot(lane, true);
    return;
  }
  if (r.post_missing) {
    store::stop_adbot(engine_->db, id_, "the post no longer exists", now);
    lane.busy = false;
    halt(true);
    return;
  }
  if (r.retry) {
    static constexpr int64_t kBackoffMs[] = {1000, 4000, 10000};
    slot.not_before = now + kBackoffMs[std::min(slot.attempts, 3) - 1];
    lane.queue.push_front(slot);
  } else if (!r.outcome) {
    // A wait: the slot is due again after it (flood: the whole lane waits, in preflight).
    slot.not_before = now + r.wait_seconds * 1000;
    if (slot.not_before > cycle_deadline_) {
      store::record_skip(engine_->db, id_, cycle_no_, lane.session_id, slot.target, "SKIPPED",
                         "SKIPPED", r.event_kind + " lasts past this cycle", now);
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
    auto st = store::load_run_state(engine_->db, id_, engine_->settings.instance_id, now_ms());
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
    auto p = *parsed;
    auto check = [acc, p, done](telegram::Outcome<telegram::Peer> peer) {
      if (!peer.ok()) {
        done(core::Result<bool>(false));
        return;
      }
      acc->message_exists(peer.value(), p.message_id, [done](telegram::Outcome<bool> exists) {
        if (!exists.ok()) {
          if (exists.error().kind == telegram::RpcErrc::kTransient) {
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
  });
}

}  // namespace hqadz::engine
