// Issue 15, points 3 and 6: every reaction of the engine to a Telegram reply, end to end on the
// real stack (`hqadz serve` + a `tgsim` process), on SQLite and on PostgreSQL. Each reply is
// injected through tgsim's control API (POST /errors); tgsim's own record is the judge: what it
// delivered (GET /deliveries) and what the client asked it (each rule's hits).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "engine_world.hpp"
#include "storage/row.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {
namespace {

using namespace std::chrono_literals;

class ReactionsIT : public EngineWorldIT, public ::testing::WithParamInterface<storage::Backend> {
 protected:
  void SetUp() override {
    EngineWorldIT::SetUp();
    if (!use_backend(GetParam())) {
      GTEST_SKIP() << "PostgreSQL tests run under scripts/with-postgres";
    }
    start_server();
  }

  /// The adbot's accounts, lowest stock id first (EVEN gives the first one the first group).
  std::vector<int64_t> sessions_of(int64_t adbot) {
    std::vector<int64_t> out;
    auto r = db().read([&](storage::Tx& tx) -> core::Result<int> {
      const long long id = adbot;
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "SELECT id FROM tg_sessions WHERE assigned_to_adbot_id = :a ORDER "
                               "BY id",
           soci::use(id));
      for (const auto& row : rows) {
        out.push_back(storage::i64(row, "id"));
      }
      return 0;
    });
    EXPECT_TRUE(r.ok());
    return out;
  }
  std::string text(const std::string& sql) { return storage::testing::text(db(), sql); }
  /// GET /api/adbots/{id} as the owner (its answer is recorded for contract_validate).
  nlohmann::json detail_of(int64_t adbot) {
    return owner().get("/api/adbots/" + std::to_string(adbot)).json();
  }
  /// The kinds in the adbot's log, as the API answers them.
  std::set<std::string> logged_kinds(int64_t adbot) {
    std::set<std::string> k;
    const nlohmann::json page =
        owner().get("/api/adbots/" + std::to_string(adbot) + "/logs?limit=200").json();
    for (const auto& e : page.value("logs", nlohmann::json::array())) {
      k.insert(e.value("kind", ""));
    }
    return k;
  }
  std::string status_of(int64_t session) {
    return text("SELECT status FROM tg_sessions WHERE id = " + std::to_string(session));
  }
  int64_t cycles_done(int64_t adbot) { return events(adbot, "CYCLE_DONE"); }
  std::set<std::string> notification_kinds(const HttpClient& c) {
    std::set<std::string> k;
    const nlohmann::json list = c.get("/api/user/notifications").json();
    for (const auto& n : list.value("notifications", nlohmann::json::array())) {
      k.insert(n.value("kind", ""));
    }
    return k;
  }
  /// How often tgsim answered rule `id`.
  int hits(int64_t id) {
    for (const auto& e : tg_.errors()) {
      if (e.value("id", int64_t{0}) == id) {
        return e.value("hits", 0);
      }
    }
    return -1;
  }
  /// The (cycle → outcome) of one group's slots.
  std::map<int64_t, std::string> outcomes(int64_t adbot, const std::string& target) {
    std::map<int64_t, std::string> out;
    for (const auto& [rid, s] : slots(adbot)) {
      if (s.target == target) {
        out[s.cycle] = s.outcome;
      }
    }
    return out;
  }
  int deliveries_by(int64_t session, std::optional<int64_t> after_ms = std::nullopt) {
    int n = 0;
    for (const auto& d : tg_.deliveries()) {
      n += d.account == tg_of_.at(session) && (!after_ms || d.at_ms > *after_ms) ? 1 : 0;
    }
    return n;
  }
  int64_t tg(int64_t session) { return tg_of_.at(session); }

};

// USER_BANNED_IN_CHANNEL is an account-wide spam restriction: the first one stops that account's
// lane (tgsim is asked for no second group), the account is LIMITED for 24 h, admin and owner are
// told, and the other account serves its groups.
TEST_P(ReactionsIT, UserBannedInChannelStopsTheAccountAtOnce) {
  const int64_t adbot = buy_adbot(2, "EVEN", 600);
  const auto groups = make_groups(6);
  configure(adbot, groups);
  const auto sessions = sessions_of(adbot);
  ASSERT_EQ(sessions.size(), 2u);
  const int64_t victim = sessions[0];
  const int64_t rule = tg_.add_error({{"method", "messages.forwardMessages"},
                                      {"account", tg(victim)},
                                      {"code", 400},
                                      {"name", "USER_BANNED_IN_CHANNEL"}});
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 1; }, 60s));
  EXPECT_EQ(hits(rule), 1) << "the restricted account tried another group";
  EXPECT_EQ(status_of(victim), "LIMITED");
  EXPECT_GT(scalar("SELECT flood_until FROM tg_sessions WHERE id = " + std::to_string(victim)),
            now_ms() + 23LL * 3'600'000);
  EXPECT_EQ(deliveries_by(victim), 0);
  EXPECT_EQ(deliveries_by(sessions[1]), 3) << "the other account serves its groups";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SKIPPED' AND session_id = " +
                   std::to_string(victim)),
            2)
      << "the rest of its lane is skipped, not tried";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM account_groups WHERE state = 'DROPPED'"), 0)
      << "no group is blamed for an account's restriction";
  EXPECT_TRUE(notification_kinds(admin()).count("account_LIMITED")) << "admin not told";
  EXPECT_TRUE(notification_kinds(owner()).count("account_LIMITED")) << "owner not told";
}

// CHANNELS_TOO_MUCH on a join: the account joins nothing more (tgsim sees no second join, in
// this cycle or the next), admin told, and it keeps posting to the groups it is in.
TEST_P(ReactionsIT, ChannelsTooMuchStopsTheJoinsAndTheSendsGoOn) {
  const int64_t adbot = buy_adbot(1, "EVEN", 2);
  const auto groups = make_groups(5);
  configure(adbot, groups);
  const int64_t account = sessions_of(adbot).at(0);
  std::vector<std::string> names;
  for (const auto& [target, id] : groups) {
    names.push_back(target);
  }
  // The account is in the first two groups already; each of the other three refuses its join.
  tg_.add_member(groups.at(names[0]), tg(account));
  tg_.add_member(groups.at(names[1]), tg(account));
  std::vector<int64_t> rules;
  for (size_t i = 2; i < names.size(); ++i) {
    rules.push_back(tg_.add_error({{"method", "channels.joinChannel"},
                                   {"account", tg(account)},
                                   {"group", names[i]},
                                   {"code", 400},
                                   {"name", "CHANNELS_TOO_MUCH"}}));
  }
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 2; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  int joins_refused = 0;
  for (int64_t r : rules) {
    joins_refused += hits(r);
  }
  EXPECT_EQ(joins_refused, 1) << "the account kept asking to join";
  std::map<int64_t, int> per_group;
  for (const auto& d : tg_.deliveries()) {
    ++per_group[d.group];
  }
  EXPECT_GE(per_group[groups.at(names[0])], 2) << "sends to a joined group stopped";
  EXPECT_GE(per_group[groups.at(names[1])], 2) << "sends to a joined group stopped";
  EXPECT_EQ(per_group.size(), 2u);
  EXPECT_EQ(status_of(account), "ASSIGNED") << "the account still serves";
  EXPECT_GT(scalar("SELECT no_joins_since FROM tg_sessions WHERE id = " + std::to_string(account)),
            0);
  // The API tells it: the account's no_joins_since, the NO_JOINS event.
  const nlohmann::json detail = detail_of(adbot);
  ASSERT_EQ(detail.value("accounts", nlohmann::json::array()).size(), 1u) << detail.dump();
  EXPECT_TRUE(detail["accounts"][0]["no_joins_since"].is_string()) << detail.dump();
  EXPECT_TRUE(logged_kinds(adbot).count("NO_JOINS"));
  const nlohmann::json stock = admin().get("/api/admin/stock?status=ASSIGNED").json();
  bool listed = false;
  for (const auto& a : stock.value("stock", nlohmann::json::array())) {
    if (a.value("id", int64_t{0}) == account) {
      listed = a["no_joins_since"].is_string();
    }
  }
  EXPECT_TRUE(listed) << stock.dump();
  for (size_t i = 2; i < names.size(); ++i) {
    for (const auto& [cycle, outcome] : outcomes(adbot, names[i])) {
      EXPECT_EQ(outcome, "SKIPPED") << names[i] << " cycle " << cycle;
    }
  }
  EXPECT_TRUE(notification_kinds(admin()).count("account_NO_JOINS")) << "admin not told";
}

// FROZEN_METHOD_INVALID (any method): the account is FROZEN, retired like a banned one; admin
// and owner are told; nothing more is asked of it; the engine swaps no stock in.
TEST_P(ReactionsIT, AFrozenAccountIsRetiredAndBothAreTold) {
  const int64_t adbot = buy_adbot(2, "EVEN", 2);
  const int64_t spare = add_stock_account();
  const auto groups = make_groups(4);
  configure(adbot, groups);
  const auto sessions = sessions_of(adbot);
  const int64_t victim = sessions.at(0);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 1; }, 60s));
  const int64_t rule =
      tg_.add_error({{"account", tg(victim)}, {"code", 420}, {"name", "FROZEN_METHOD_INVALID"}});
  const int64_t frozen_at = now_ms();
  ASSERT_TRUE(wait_until([&] { return status_of(victim) == "FROZEN"; }, 30s)) << status_of(victim);
  const int64_t done = cycles_done(adbot);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= done + 2; }, 60s));
  EXPECT_EQ(hits(rule), 1) << "the frozen account was asked again";
  EXPECT_EQ(deliveries_by(victim, frozen_at), 0);
  EXPECT_GT(deliveries_by(sessions.at(1), frozen_at), 0) << "the other account stopped too";
  EXPECT_EQ(status_of(spare), "UNUSED") << "the engine never swaps stock in";
  EXPECT_TRUE(notification_kinds(admin()).count("account_FROZEN")) << "admin not told";
  EXPECT_TRUE(notification_kinds(owner()).count("account_FROZEN")) << "owner not told";
  // The API tells it: the account FROZEN in the adbot and in the stock, the FROZEN event.
  bool shown = false;
  for (const auto& a : detail_of(adbot).value("accounts", nlohmann::json::array())) {
    shown = shown || (a.value("session_id", int64_t{0}) == victim && a["status"] == "FROZEN");
  }
  EXPECT_TRUE(shown);
  const nlohmann::json stock = admin().get("/api/admin/stock?status=FROZEN").json();
  EXPECT_EQ(stock.value("stock", nlohmann::json::array()).size(), 1u) << stock.dump();
  EXPECT_TRUE(logged_kinds(adbot).count("FROZEN"));
}

// SESSION_EXPIRED (a 401 the old table did not know): the account is DEAD, retired, told.
TEST_P(ReactionsIT, AnExpiredSessionIsDead) {
  const int64_t adbot = buy_adbot(2, "EVEN", 2);
  const auto groups = make_groups(4);
  configure(adbot, groups);
  const auto sessions = sessions_of(adbot);
  const int64_t victim = sessions.at(0);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 1; }, 60s));
  tg_.add_error({{"account", tg(victim)}, {"code", 401}, {"name", "SESSION_EXPIRED"}});
  const int64_t expired_at = now_ms();
  ASSERT_TRUE(wait_until([&] { return status_of(victim) == "DEAD"; }, 30s)) << status_of(victim);
  const int64_t done = cycles_done(adbot);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= done + 1; }, 60s));
  EXPECT_EQ(deliveries_by(victim, expired_at), 0);
  EXPECT_GT(deliveries_by(sessions.at(1), expired_at), 0);
  EXPECT_TRUE(notification_kinds(admin()).count("account_DEAD")) << "admin not told";
  EXPECT_TRUE(notification_kinds(owner()).count("account_DEAD")) << "owner not told";
}

// A -503 storm of two on a forward, the first one after delivering: the slot is retried with the
// same random_id and counted once; tgsim delivered it once.
TEST_P(ReactionsIT, ATimeoutStormOfTwoIsDeliveredOnceWithItsRandomId) {
  const int64_t adbot = buy_adbot(1, "EVEN", 600);
  const auto groups = make_groups(1);
  configure(adbot, groups);
  const int64_t account = sessions_of(adbot).at(0);
  const int64_t first = tg_.add_error({{"method", "messages.forwardMessages"},
                                       {"account", tg(account)},
                                       {"code", -503},
                                       {"name", "Timeout"},
                                       {"times", 1},
                                       {"delivered", true}});
  const int64_t second = tg_.add_error({{"method", "messages.forwardMessages"},
                                        {"account", tg(account)},
                                        {"code", -503},
                                        {"name", "Timeout"},
                                        {"times", 1}});
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 1; }, 60s));
  EXPECT_EQ(hits(first), 1);
  EXPECT_EQ(hits(second), 1);
  const auto deliveries = tg_.deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  const auto by_rid = slots(adbot);
  ASSERT_EQ(by_rid.size(), 1u);
  ASSERT_EQ(by_rid.count(deliveries[0].random_id), 1u) << "delivered with another random_id";
  EXPECT_EQ(by_rid.at(deliveries[0].random_id).outcome, "SENT");
  EXPECT_EQ(events(adbot, "RETRY"), 2);
  EXPECT_EQ(scalar("SELECT success FROM adbot_stats WHERE adbot_id = " + std::to_string(adbot)),
            1);
}

// A -503 storm longer than the retries (1 + 3 tries, none delivered): the slot is not FAILED; it
// waits for the next cycle, which sends it with the same random_id, delivered once.
TEST_P(ReactionsIT, ATimeoutStormPastTheRetriesWaitsForTheNextCycleWithItsRandomId) {
  const int64_t adbot = buy_adbot(1, "EVEN", 2);
  const auto groups = make_groups(1);
  configure(adbot, groups);
  const int64_t account = sessions_of(adbot).at(0);
  const int64_t storm = tg_.add_error({{"method", "messages.forwardMessages"},
                                       {"account", tg(account)},
                                       {"code", -503},
                                       {"name", "Timeout"},
                                       {"times", 4}});
  ASSERT_EQ(control(adbot, "start").status, 200);
  // 1 + 3 tries take 15 s (1, 4 and 10 s apart); the next cycle follows 2 s later.
  ASSERT_TRUE(wait_until(
      [&] {
        return scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SENT' AND adbot_id = " +
                      std::to_string(adbot)) >= 1;
      },
      90s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  EXPECT_EQ(hits(storm), 4);
  const auto deliveries = tg_.deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  auto rid_of = [&](int64_t cycle) {
    return scalar("SELECT random_id FROM forwards WHERE adbot_id = " + std::to_string(adbot) +
                  " AND cycle_no = " + std::to_string(cycle));
  };
  EXPECT_EQ(text("SELECT outcome FROM forwards WHERE cycle_no = 1 AND adbot_id = " +
                 std::to_string(adbot)),
            "SKIPPED")
      << "the storm's slot is not FAILED";
  EXPECT_EQ(text("SELECT outcome FROM forwards WHERE cycle_no = 2 AND adbot_id = " +
                 std::to_string(adbot)),
            "SENT");
  EXPECT_EQ(rid_of(2), rid_of(1)) << "the next cycle's slot took a new random_id";
  EXPECT_EQ(deliveries[0].random_id, rid_of(1));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'FAILED'"), 0);
}

// CHAT_FORWARDS_RESTRICTED (the source channel has noforwards): the adbot stops with a reason the
// customer can read; tgsim is asked once.
TEST_P(ReactionsIT, AProtectedSourceStopsTheAdbotWithTheReason) {
  const int64_t adbot = buy_adbot(1, "EVEN", 2);
  configure(adbot, make_groups(3));
  const int64_t rule = tg_.add_error({{"method", "messages.forwardMessages"},
                                      {"code", 400},
                                      {"name", "CHAT_FORWARDS_RESTRICTED"}});
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until(
      [&] {
        return text("SELECT status FROM adbots WHERE id = " + std::to_string(adbot)) == "STOPPED";
      },
      60s));
  EXPECT_EQ(text("SELECT stop_reason FROM adbots WHERE id = " + std::to_string(adbot)),
            "this post cannot be forwarded: its channel restricts forwarding");
  EXPECT_EQ(hits(rule), 1);
  EXPECT_TRUE(tg_.deliveries().empty());
  EXPECT_TRUE(notification_kinds(owner()).count("adbot_stopped")) << "owner not told";
}

// INVITE_REQUEST_SENT on a join: the group waits for its admins' approval, shown to the customer,
// and is not joined again in the next cycles (tgsim is asked once); the other group is served.
TEST_P(ReactionsIT, AJoinRequestLeavesTheGroupAwaitingApproval) {
  const int64_t adbot = buy_adbot(1, "EVEN", 2);
  const auto groups = make_groups(2);
  configure(adbot, groups);
  const std::string club = groups.begin()->first;
  const int64_t rule = tg_.add_error({{"method", "channels.joinChannel"},
                                      {"group", club},
                                      {"code", 400},
                                      {"name", "INVITE_REQUEST_SENT"}});
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 3; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  EXPECT_EQ(hits(rule), 1) << "the group was joined again";
  EXPECT_EQ(text("SELECT state FROM account_groups WHERE target = '" + club + "'"),
            "AWAITING_APPROVAL");
  const auto club_slots = outcomes(adbot, club);
  ASSERT_GE(club_slots.size(), 3u);
  for (const auto& [cycle, outcome] : club_slots) {
    EXPECT_EQ(outcome, "SKIPPED") << "cycle " << cycle;
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE target = '" + club +
                   "' AND detail = 'waiting for the group''s admins to approve the join "
                   "request'"),
            static_cast<int64_t>(club_slots.size()));
  EXPECT_NE(text("SELECT last_error FROM adbot_groups WHERE target = '" + club + "'")
                .find("approve the join request"),
            std::string::npos);
  EXPECT_GE(tg_.deliveries().size(), 3u) << "the other group is served every cycle";
  // The API tells it: the account's state for the group, the AWAITING_APPROVAL event.
  std::string state;
  for (const auto& g : detail_of(adbot).value("groups", nlohmann::json::array())) {
    if (g.value("target", "") == club && !g["accounts"].empty()) {
      state = g["accounts"][0].value("state", "");
    }
  }
  EXPECT_EQ(state, "AWAITING_APPROVAL");
  EXPECT_TRUE(logged_kinds(adbot).count("AWAITING_APPROVAL"));
}

// An unknown 400 on one group: a failure in each of three cycles, then GROUP_FORBIDDEN for that
// account: the fourth cycle does not ask tgsim again.
TEST_P(ReactionsIT, AnUnknownRefusalInThreeCyclesDropsTheGroupForThatAccount) {
  const int64_t adbot = buy_adbot(1, "EVEN", 1);
  const auto groups = make_groups(2);
  configure(adbot, groups);
  const std::string odd = groups.begin()->first;
  const int64_t rule = tg_.add_error({{"method", "messages.forwardMessages"},
                                      {"group", odd},
                                      {"code", 400},
                                      {"name", "SOMETHING_NEW_IN_2027"}});
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 5; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  EXPECT_EQ(hits(rule), 3) << "three strikes, then never asked again";
  EXPECT_EQ(text("SELECT state FROM account_groups WHERE target = '" + odd + "'"), "DROPPED");
  const auto odd_slots = outcomes(adbot, odd);
  ASSERT_GE(odd_slots.size(), 5u);
  EXPECT_EQ(odd_slots.at(1), "FAILED");
  EXPECT_EQ(odd_slots.at(2), "FAILED");
  EXPECT_EQ(odd_slots.at(3), "DROPPED");
  EXPECT_EQ(odd_slots.at(4), "DROPPED");
  EXPECT_GE(tg_.deliveries().size(), 5u) << "the other group is served every cycle";
}

// Group kinds (TOPIC_CLOSED, the newer CHAT_SEND_PHOTOS_FORBIDDEN, PEER_ID_INVALID; unknown to
// the old table): each group is dropped for that account after one answer, with a sentence the
// customer can read, and is not asked again next cycle; the other group is served.
TEST_P(ReactionsIT, GroupKindsDropTheGroupForThatAccountWithAPlainReason) {
  const int64_t adbot = buy_adbot(1, "EVEN", 1);
  const auto groups = make_groups(4);
  configure(adbot, groups);
  std::vector<std::string> names;
  for (const auto& [target, id] : groups) {
    names.push_back(target);
  }
  const std::vector<std::pair<int, std::string>> replies = {
      {400, "TOPIC_CLOSED"}, {403, "CHAT_SEND_PHOTOS_FORBIDDEN"}, {400, "PEER_ID_INVALID"}};
  std::vector<int64_t> rules;
  for (size_t i = 0; i < replies.size(); ++i) {
    rules.push_back(tg_.add_error({{"method", "messages.forwardMessages"},
                                   {"group", names[i]},
                                   {"code", replies[i].first},
                                   {"name", replies[i].second}}));
  }
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 3; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  for (size_t i = 0; i < replies.size(); ++i) {
    SCOPED_TRACE(replies[i].second);
    EXPECT_EQ(hits(rules[i]), 1) << "asked again after the drop";
    EXPECT_EQ(text("SELECT state FROM account_groups WHERE target = '" + names[i] + "'"),
              "DROPPED");
    for (const auto& [cycle, outcome] : outcomes(adbot, names[i])) {
      EXPECT_EQ(outcome, "DROPPED") << "cycle " << cycle;
    }
    const std::string shown =
        text("SELECT last_error FROM adbot_groups WHERE target = '" + names[i] + "'");
    EXPECT_NE(shown, "");
    EXPECT_EQ(shown.find(replies[i].second), std::string::npos) << shown;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE target = '" + names[i] + "' AND detail "
                     "LIKE '%" + replies[i].second + "%'"),
              0);
  }
  std::set<int64_t> reached;
  for (const auto& d : tg_.deliveries()) {
    reached.insert(d.group);
  }
  EXPECT_EQ(reached, std::set<int64_t>{groups.at(names[3])});
  EXPECT_EQ(status_of(sessions_of(adbot).at(0)), "ASSIGNED") << "a group kind is not the account's";
}

// An unknown refusal about the post's channel (its resolution): the adbot stops with the reason.
TEST_P(ReactionsIT, AnUnknownRefusalOfTheSourceStopsTheAdbotWithTheReason) {
  const int64_t adbot = buy_adbot(1, "EVEN", 2);
  configure(adbot, make_groups(2));
  const int64_t rule = tg_.add_error({{"method", "contacts.resolveUsername"},
                                      {"group", "@promo_channel"},
                                      {"code", 400},
                                      {"name", "SOMETHING_ODD_ABOUT_CHANNELS"}});
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until(
      [&] {
        return text("SELECT status FROM adbots WHERE id = " + std::to_string(adbot)) == "STOPPED";
      },
      60s));
  EXPECT_EQ(text("SELECT stop_reason FROM adbots WHERE id = " + std::to_string(adbot)),
            "the post's channel cannot be reached by the adbot's accounts");
  EXPECT_EQ(hits(rule), 1);
  EXPECT_TRUE(tg_.deliveries().empty());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ReactionsIT, ::testing::Values(storage::Backend::kSqlite),
                         storage::testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, ReactionsIT, ::testing::Values(storage::Backend::kPostgres),
                         storage::testing::backend_name);

}  // namespace
}  // namespace hqadz::testing
