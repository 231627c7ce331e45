// The engine against an in-memory Telegram, on SQLite and PostgreSQL: cycles, distribution,
// conduct (waits honoured, bans retire without swapping stock), exactly-once across restarts.
#include "engine/engine.hpp"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "domain/adbots.hpp"
#include "engine/conduct.hpp"
#include "engine/plan.hpp"
#include "engine/testing/fake_telegram.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "storage/row.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::engine {
namespace {

using namespace std::chrono_literals;
using telegram::RpcError;

class EngineTest : public storage::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) {
      return;
    }
    adbots_ = std::make_unique<domain::AdbotService>(db(), clock_);
    tg_.add_channel("promo_channel", {1, 2, 3});
    exec("INSERT INTO users (email, role, access_code_hash, license_key, created_at) VALUES "
         "('owner@x.io', 'USER', 'h', 'L1', 0)");
    exec("INSERT INTO users (email, role, access_code_hash, license_key, created_at) VALUES "
         "('admin@x.io', 'ADMIN', 'h', 'L2', 0)");
    exec("INSERT INTO products (name, tier, sessions_count, posting_interval_seconds, price, "
         "currency, validity_days, created_at, updated_at) VALUES ('Gold', 'STARTER', 3, 60, "
         "'80', 'USD', 30, 0, 0)");
    exec("INSERT INTO orders (user_id, product_id, amount, currency, status, created_at) VALUES "
         "(1, 1, '80', 'USD', 'PAID', 0)");
  }
  void TearDown() override {
    if (engine_) {
      engine_->stop();
    }
  }

  void exec(const std::string& sql) {
    auto st = storage::testing::exec(db(), sql);
    ASSERT_TRUE(st.ok()) << st.error().message << "\n" << sql;
  }
  int64_t scalar(const std::string& sql) { return storage::testing::scalar(db(), sql); }
  std::string text(const std::string& sql) { return storage::testing::text(db(), sql); }

  /// An adbot with `accounts` assigned accounts and `groups` groups named g_group_NN.
  int64_t make_adbot(int accounts, int groups, const std::string& distribution = "EVEN",
                     int interval = 60) {
    const int64_t now = core::to_unix_ms(clock_.now());
    exec("INSERT INTO adbots (user_id, order_id, product_id, status, posting_interval_seconds, "
         "distribution, validity_start, validity_end, post_link, created_at, updated_at) VALUES "
         "(1, 1, 1, 'STOPPED', " + std::to_string(interval) + ", '" + distribution + "', " +
         std::to_string(now) + ", " + std::to_string(now + 30LL * 86'400'000) +
         ", 'https://t.me/promo_channel/2', 0, 0)");
    const int64_t id = scalar("SELECT MAX(id) FROM adbots");
    for (int a = 0; a < accounts; ++a) {
      add_account(id, "ASSIGNED");
    }
    for (int g = 0; g < groups; ++g) {
      char name[32];
      std::snprintf(name, sizeof name, "g_group_%02d", g);
      tg_.add_group(name);
      exec("INSERT INTO adbot_groups (adbot_id, target, position) VALUES (" + std::to_string(id) +
           ", '@" + name + "', " + std::to_string(g) + ")");
    }
    return id;
  }
  int64_t add_account(std::optional<int64_t> adbot, const std::string& status) {
    static int n = 0;
    ++n;
    exec("INSERT INTO tg_sessions (phone_number, api_id, api_hash_enc, dc_id, server_address, "
         "port, auth_key_enc, auth_key_id, status, assigned_to_adbot_id, assigned_to_user_id, "
         "tg_username, created_at, updated_at) VALUES ('+1555000" + std::to_string(n) +
         "', 1, 'x', 2, '127.0.0.1', 443, 'x', 'k" + std::to_string(n) + "_" +
         std::to_string(reinterpret_cast<uintptr_t>(this)) + "', '" + status + "', " +
         (adbot ? std::to_string(*adbot) : "NULL") + ", " + (adbot ? "1" : "NULL") +
         ", 'acc" + std::to_string(n) + "', 0, 0)");
    return scalar("SELECT MAX(id) FROM tg_sessions");
  }

  void start_engine(int gap_max = 0) {
    EngineSettings s;
    s.gap_min_seconds = 0;
    s.gap_max_seconds = gap_max;
    s.scan_every = 50ms;
    s.renew_every = 200ms;
    s.threads = 2;
    engine_ = std::make_unique<Engine>(db(), clock_, [this](int64_t sid) { return tg_.account(sid); },
                                       s);
    adbots_->set_on_change([this](int64_t id) { engine_->wake(id); });
    engine_->start();
  }
  core::Result<nlohmann::json> start_adbot(int64_t id) {
    return adbots_->start({1, "USER", "owner@x.io"}, id, "test");
  }
  /// Waits until the adbot's cycle `n` is done (CYCLE_DONE event).
  bool wait_cycle_done(int64_t adbot, int n, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (scalar("SELECT COUNT(*) FROM adbot_events WHERE adbot_id = " + std::to_string(adbot) +
                 " AND kind = 'CYCLE_DONE'") >= n) {
        return true;
      }
      std::this_thread::sleep_for(10ms);  // polling the database: no signal crosses it
    }
    return false;
  }

  core::SystemClock clock_;
  testing::FakeTelegram tg_;
  std::unique_ptr<domain::AdbotService> adbots_;
  std::unique_ptr<Engine> engine_;
};

TEST(Plan, EvenPartitionsAndAllCoversEverything) {
  std::vector<std::string> targets = {"@a", "@b", "@c", "@d", "@e"};
  auto even = make_plan("EVEN", {3, 1, 2}, targets);
  ASSERT_EQ(even.size(), 5u);
  EXPECT_EQ(even[0], (Slot{1, "@a"}));
  EXPECT_EQ(even[1], (Slot{2, "@b"}));
  EXPECT_EQ(even[3], (Slot{1, "@d"}));
  auto all = make_plan("ALL", {1, 2}, targets);
  EXPECT_EQ(all.size(), 10u);
  EXPECT_EQ(plan_from_json(plan_to_json(all)), all);
  EXPECT_TRUE(make_plan("EVEN", {}, targets).empty());
  EXPECT_TRUE(plan_from_json("not json").empty());
}

// Acceptance 1: every group receives the post exactly once per cycle from the account that
// serves it (EVEN), and the next cycle follows the interval.
TEST_P(EngineTest, EvenCycleDeliversEachGroupOnceThenTheNextCycleFollows) {
  const int64_t id = make_adbot(3, 30, "EVEN", 1);
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(tg_.wait_for(30, 20s));
  ASSERT_TRUE(wait_cycle_done(id, 1));
  auto first = tg_.deliveries();
  std::map<std::string, std::set<int64_t>> by_group;
  for (const auto& d : first) {
    by_group[d.group].insert(d.session_id);
  }
  EXPECT_EQ(first.size(), 30u);
  EXPECT_EQ(by_group.size(), 30u);
  for (const auto& [g, accounts] : by_group) {
    EXPECT_EQ(accounts.size(), 1u) << g;
  }
  // The second cycle comes one interval later.
  ASSERT_TRUE(tg_.wait_for(60, 20s));
  ASSERT_TRUE(wait_cycle_done(id, 2));
  auto all = tg_.deliveries();
  EXPECT_GE(all[30].at - all[29].at, 900ms);
  EXPECT_EQ(scalar("SELECT success FROM adbot_stats WHERE adbot_id = " + std::to_string(id)), 60);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SENT'"), 60);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'PENDING'"), 0);
}

TEST_P(EngineTest, AllDistributionSendsFromEveryAccount) {
  const int64_t id = make_adbot(3, 5, "ALL", 3600);
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  std::set<std::pair<int64_t, std::string>> pairs;
  for (const auto& d : tg_.deliveries()) {
    EXPECT_TRUE(pairs.insert({d.session_id, d.group}).second) << "twice: " << d.group;
  }
  EXPECT_EQ(pairs.size(), 15u);
}

// Acceptance 2: FLOOD_WAIT honoured; a ban retires the account, notifies, swaps nothing in.
TEST_P(EngineTest, FloodWaitIsHonouredBeforeTheAccountSendsAgain) {
  const int64_t id = make_adbot(1, 3, "EVEN", 3600);
  tg_.script_error(scalar("SELECT MIN(id) FROM tg_sessions"),
                   telegram::rpc_error_from(420, "FLOOD_WAIT_2"));
  start_engine();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(tg_.wait_for(3, 20s));
  ASSERT_TRUE(wait_cycle_done(id, 1));
  auto d = tg_.deliveries();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_GE(d[0].at - started, 2s);  // nothing before the wait ended
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM adbot_events WHERE kind = 'FLOOD_WAIT' AND "
                   "wait_seconds = 2"),
            1);
  EXPECT_EQ(scalar("SELECT flood_waits FROM adbot_stats"), 1);
}

TEST_P(EngineTest, SlowModeDefersOnlyThatGroup) {
  const int64_t id = make_adbot(1, 0, "EVEN", 3600);
  tg_.add_group("slow_group", 2);
  tg_.add_group("fast_group");
  exec("INSERT INTO adbot_groups (adbot_id, target, position) VALUES (" + std::to_string(id) +
       ", '@slow_group', 0), (" + std::to_string(id) + ", '@fast_group', 1)");
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  tg_.script_error(sid, telegram::rpc_error_from(420, "SLOWMODE_WAIT_1"));
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  auto d = tg_.deliveries();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].group, "fast_group");  // moved on instead of waiting
  EXPECT_EQ(d[1].group, "slow_group");
  EXPECT_GE(d[1].at - d[0].at, 900ms);
}

TEST_P(EngineTest, ADeactivatedAccountIsRetiredAndNothingIsSwappedIn) {
  const int64_t id = make_adbot(2, 4, "EVEN", 3600);
  const int64_t spare = add_account(std::nullopt, "UNUSED");
  const int64_t victim = scalar("SELECT MIN(id) FROM tg_sessions");
  tg_.script_error(victim, telegram::rpc_error_from(401, "USER_DEACTIVATED_BAN"));
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_EQ(text("SELECT status FROM tg_sessions WHERE id = " + std::to_string(victim)), "BANNED");
  EXPECT_EQ(text("SELECT status FROM tg_sessions WHERE id = " + std::to_string(spare)), "UNUSED");
  // The other account carried on with its groups.
  std::set<int64_t> senders;
  for (const auto& d : tg_.deliveries()) {
    senders.insert(d.session_id);
  }
  EXPECT_EQ(senders, std::set<int64_t>{victim + 1});
  EXPECT_EQ(tg_.deliveries().size(), 2u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = 1"), 1);  // the owner
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = 2"), 1);  // the admin
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM adbot_events WHERE kind = 'BANNED'"), 1);
}

TEST_P(EngineTest, PeerFloodLimitsTheAccount) {
  const int64_t id = make_adbot(1, 2, "EVEN", 3600);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  tg_.script_error(sid, telegram::rpc_error_from(400, "PEER_FLOOD"));
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_EQ(text("SELECT status FROM tg_sessions WHERE id = " + std::to_string(sid)), "LIMITED");
  EXPECT_EQ(tg_.deliveries().size(), 0u);
  EXPECT_GT(scalar("SELECT flood_until FROM tg_sessions WHERE id = " + std::to_string(sid)),
            core::to_unix_ms(clock_.now()) + 23LL * 3'600'000);
}

TEST_P(EngineTest, AGroupThatForbidsWritingIsDroppedForThatAccountAndShown) {
  const int64_t id = make_adbot(1, 2, "EVEN", 3600);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  tg_.forbid_writing("g_group_00", sid);
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_EQ(tg_.deliveries().size(), 1u);
  EXPECT_EQ(text("SELECT state FROM account_groups WHERE target = '@g_group_00'"), "DROPPED");
  EXPECT_NE(text("SELECT last_error FROM adbot_groups WHERE target = '@g_group_00'"), "");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'DROPPED'"), 1);
}

TEST_P(EngineTest, BlocklistedGroupsAndTheDailyCapAreNeverExceeded) {
  const int64_t id = make_adbot(1, 4, "EVEN", 3600);
  exec("UPDATE adbots SET daily_cap_per_account = 2");
  exec("INSERT INTO group_blocklist (target, reason, source, status, created_at) VALUES "
       "('@g_group_00', 'opt-out', 'OPT_OUT', 'PENDING', 0)");
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  auto d = tg_.deliveries();
  EXPECT_EQ(d.size(), 2u);
  for (const auto& x : d) {
    EXPECT_NE(x.group, "g_group_00");
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'CAPPED'"), 1);
}

// Issue 15 (review, minor): a try that got no answer may have been delivered; a FLOOD_WAIT on its
// retry keeps the slot's random_id, so the send after the wait is recognised as a duplicate.
TEST_P(EngineTest, AFloodWaitAfterAnUnansweredTryKeepsTheRandomId) {
  const int64_t id = make_adbot(1, 1, "EVEN", 3600);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  tg_.script_error(sid, telegram::rpc_error_from(-503, "Timeout"), /*delivered_first=*/true);
  tg_.script_error(sid, telegram::rpc_error_from(420, "FLOOD_WAIT_1"));
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_EQ(tg_.deliveries().size(), 1u) << "delivered twice: the wait dropped the random_id";
  EXPECT_EQ(tg_.forward_calls(), 3u);
  EXPECT_EQ(text("SELECT detail FROM forwards WHERE outcome = 'SENT'"),
            "delivered (random_id already used)");
}

// USER_BANNED_IN_CHANNEL (ACCOUNT_LIMITED) holds for every group: the lane stops at the first.
TEST_P(EngineTest, AnAccountWideRestrictionStopsTheLaneAtOnce) {
  const int64_t id = make_adbot(1, 3, "EVEN", 3600);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  tg_.script_error(sid, telegram::rpc_error_from(400, "USER_BANNED_IN_CHANNEL"));
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_EQ(tg_.forward_calls(), 1u) << "another group was tried";
  EXPECT_EQ(text("SELECT status FROM tg_sessions WHERE id = " + std::to_string(sid)), "LIMITED");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SKIPPED'"), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM account_groups WHERE state = 'DROPPED'"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'account_LIMITED'"), 2);
}

// CHANNELS_TOO_MUCH: one refused join, then no more joins from that account (not next cycle
// either); the slots are skipped with a reason the customer can read.
TEST_P(EngineTest, TooManyChannelsStopsTheAccountsJoins) {
  const int64_t id = make_adbot(1, 3, "EVEN", 1);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  tg_.script_join_error(sid, telegram::rpc_error_from(400, "CHANNELS_TOO_MUCH"));
  start_engine();
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(wait_cycle_done(id, 2));
  EXPECT_EQ(tg_.joins(), 1u) << "the account kept joining";
  EXPECT_EQ(text("SELECT status FROM tg_sessions WHERE id = " + std::to_string(sid)), "ASSIGNED");
  EXPECT_GT(scalar("SELECT no_joins_since FROM tg_sessions WHERE id = " + std::to_string(sid)), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SKIPPED' AND detail = '" +
                   std::string(kNoJoinsText) + "'"),
            scalar("SELECT COUNT(*) FROM forwards"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'account_NO_JOINS'"), 1);
}

// Acceptance 3 (in-process form): a PENDING slot left by a crash is re-sent with its stored
// random_id; Telegram's dedupe makes it count once.
TEST_P(EngineTest, APendingSlotFromACrashIsResentWithItsRandomIdAndNotDuplicated) {
  const int64_t id = make_adbot(1, 2, "EVEN", 3600);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  const int64_t now = core::to_unix_ms(clock_.now());
  // The crashed run: cycle 1 planned, the first slot sent, its answer never recorded.
  const std::string plan = plan_to_json(make_plan("EVEN", {sid}, {"@g_group_00", "@g_group_01"}));
  exec("UPDATE adbots SET status = 'RUNNING', cycle_no = 1, cycle_state = 'IN_CYCLE', "
       "cycle_plan = '" + plan + "', next_run_at = " + std::to_string(now) + " WHERE id = " +
       std::to_string(id));
  exec("INSERT INTO forwards (adbot_id, cycle_no, target, session_id, random_id, outcome, "
       "created_at, at) VALUES (" + std::to_string(id) + ", 1, '@g_group_00', " +
       std::to_string(sid) + ", 4242, 'PENDING', " + std::to_string(now) + ", " +
       std::to_string(now) + ")");
  tg_.deliver_silently(sid, "g_group_00", 4242);
  start_engine();
  ASSERT_TRUE(wait_cycle_done(id, 1));
  auto d = tg_.deliveries();
  ASSERT_EQ(d.size(), 2u);  // the silent one and g_group_01: nothing twice
  EXPECT_EQ(d[1].group, "g_group_01");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SENT'"), 2);
}

// Every slot's PENDING row is written when its cycle begins, so a leftover one is judged by the
// cycle's last recorded change: a crash long ago (past the 1 h bound) leaves its PENDING slots
// UNKNOWN, never re-sent, since Telegram may have forgotten their random_ids.
TEST_P(EngineTest, PendingSlotsOfACycleLastChangedLongAgoAreUnknownAndNotResent) {
  const int64_t id = make_adbot(1, 2, "EVEN", 3600);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  const int64_t long_ago = core::to_unix_ms(clock_.now()) - 2 * 3'600'000;
  const std::string plan = plan_to_json(make_plan("EVEN", {sid}, {"@g_group_00", "@g_group_01"}));
  exec("UPDATE adbots SET status = 'RUNNING', cycle_no = 1, cycle_state = 'IN_CYCLE', "
       "cycle_plan = '" + plan + "', cycle_started_at = " + std::to_string(long_ago) +
       ", next_run_at = " + std::to_string(long_ago) + " WHERE id = " + std::to_string(id));
  for (const auto& [target, rid] : {std::pair{"@g_group_00", 4242}, {"@g_group_01", 4343}}) {
    exec("INSERT INTO forwards (adbot_id, cycle_no, target, session_id, random_id, outcome, "
         "created_at, at) VALUES (" + std::to_string(id) + ", 1, '" + target + "', " +
         std::to_string(sid) + ", " + std::to_string(rid) + ", 'PENDING', " +
         std::to_string(long_ago) + ", " + std::to_string(long_ago) + ")");
  }
  start_engine();
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_EQ(tg_.forward_calls(), 0u) << "a slot interrupted long ago was sent again";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'UNKNOWN'"), 2);
}

// ...while a cycle begun long ago that was still recording outcomes shortly before the crash
// re-sends its leftover PENDING slot with the stored random_id (delivered once, not twice).
TEST_P(EngineTest, APendingSlotOfALongCycleThatChangedRecentlyIsResentWithItsRandomId) {
  const int64_t id = make_adbot(1, 2, "EVEN", 3600);
  const int64_t sid = scalar("SELECT MIN(id) FROM tg_sessions");
  const int64_t now = core::to_unix_ms(clock_.now());
  const int64_t long_ago = now - 2 * 3'600'000;
  const std::string plan = plan_to_json(make_plan("EVEN", {sid}, {"@g_group_00", "@g_group_01"}));
  exec("UPDATE adbots SET status = 'RUNNING', cycle_no = 1, cycle_state = 'IN_CYCLE', "
       "cycle_plan = '" + plan + "', cycle_started_at = " + std::to_string(long_ago) +
       ", next_run_at = " + std::to_string(long_ago) + " WHERE id = " + std::to_string(id));
  exec("INSERT INTO forwards (adbot_id, cycle_no, target, session_id, random_id, outcome, "
       "created_at, at) VALUES (" + std::to_string(id) + ", 1, '@g_group_00', " +
       std::to_string(sid) + ", 4242, 'SENT', " + std::to_string(long_ago) + ", " +
       std::to_string(now - 60'000) + ")");
  exec("INSERT INTO forwards (adbot_id, cycle_no, target, session_id, random_id, outcome, "
       "created_at, at) VALUES (" + std::to_string(id) + ", 1, '@g_group_01', " +
       std::to_string(sid) + ", 4343, 'PENDING', " + std::to_string(long_ago) + ", " +
       std::to_string(long_ago) + ")");
  tg_.deliver_silently(sid, "g_group_01", 4343);  // sent just before the crash
  start_engine();
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_GE(tg_.forward_calls(), 1u) << "the leftover PENDING slot was not sent again";
  ASSERT_EQ(tg_.deliveries().size(), 1u);  // the silent one: nothing twice
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SENT'"), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'PENDING'"), 0);
}

// A reply the database could not record (here adbot_stats is away, so the whole reply
// transaction fails) leaves its slot PENDING: it is sent again with its stored random_id once
// the database takes writes, answered RANDOM_ID_DUPLICATE, and counted once.
TEST_P(EngineTest, AReplyThatCouldNotBeRecordedIsResentWithItsRandomIdAndCountedOnce) {
  const int64_t id = make_adbot(1, 2, "EVEN", 3600);
  exec("UPDATE adbots SET status = 'RUNNING' WHERE id = " + std::to_string(id));
  exec("ALTER TABLE adbot_stats RENAME TO adbot_stats_away");
  start_engine();
  ASSERT_TRUE(tg_.wait_for(2, 20s));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'PENDING'"), 2);
  exec("ALTER TABLE adbot_stats_away RENAME TO adbot_stats");
  ASSERT_TRUE(wait_cycle_done(id, 1));
  EXPECT_EQ(tg_.deliveries().size(), 2u);
  // The first slot's reply failed to record before the second was sent: sent again at least.
  EXPECT_GE(tg_.forward_calls(), 3u) << "no slot was sent again with its random_id";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'SENT'"), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'PENDING'"), 0);
  EXPECT_EQ(scalar("SELECT success FROM adbot_stats WHERE adbot_id = " + std::to_string(id)), 2);
}

// Acceptance 5: stop → nothing sent after the send in flight.
TEST_P(EngineTest, StopSendsNothingMore) {
  const int64_t id = make_adbot(1, 20, "EVEN", 3600);
  start_engine(1);  // up to 1 s between sends
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(tg_.wait_for(1, 10s));
  ASSERT_TRUE(adbots_->stop({1, "USER", "owner@x.io"}, id, "test").ok());
  const size_t at_stop = tg_.forward_calls();
  std::this_thread::sleep_for(1500ms);  // a window in which a wrong engine would have sent
  EXPECT_LE(tg_.forward_calls(), at_stop + 1);
  EXPECT_EQ(text("SELECT status FROM adbots WHERE id = " + std::to_string(id)), "STOPPED");
}

TEST_P(EngineTest, ExpiryStopsAndNotifies) {
  const int64_t id = make_adbot(1, 1, "EVEN", 3600);
  exec("UPDATE adbots SET status = 'STOPPED', validity_end = " +
       std::to_string(core::to_unix_ms(clock_.now()) - 1));
  start_engine();
  engine_->run_maintenance_once();
  EXPECT_EQ(text("SELECT status FROM adbots WHERE id = " + std::to_string(id)), "EXPIRED");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'adbot_expired'"), 1);
  auto again = start_adbot(id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "adbot_expired");
}

// The plan ends inside a cycle: the next send is not made, the adbot is EXPIRED at once (not at
// the next maintenance pass, 30 s later) and the owner is told.
TEST_P(EngineTest, ExpiryInsideACycleSendsNothingMore) {
  const int64_t id = make_adbot(1, 20, "EVEN", 3600);
  start_engine(1);  // up to 1 s between sends: the cycle lasts ~10 s
  ASSERT_TRUE(start_adbot(id).ok());
  ASSERT_TRUE(tg_.wait_for(1, 10s));
  exec("UPDATE adbots SET validity_end = " + std::to_string(core::to_unix_ms(clock_.now())) +
       " WHERE id = " + std::to_string(id));
  const size_t at_end = tg_.forward_calls();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (text("SELECT status FROM adbots WHERE id = " + std::to_string(id)) != "EXPIRED" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);  // polling the database: no signal crosses it
  }
  EXPECT_EQ(text("SELECT status FROM adbots WHERE id = " + std::to_string(id)), "EXPIRED");
  EXPECT_LE(tg_.forward_calls(), at_end + 1) << "only the send in flight may land";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'adbot_expired'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM adbot_events WHERE kind = 'EXPIRED'"), 1);
}

// A worker taking over a dead worker's share (a handful of adbots claimed at once) starts them a
// short step apart, not spread over the whole 10 s restart window: they resume soon after the
// lease ran out (issue 7: within 45 s of the kill, with a 30 s lease).
TEST_P(EngineTest, AFewAdbotsClaimedAtOnceStartAStepApart) {
  for (int i = 0; i < 5; ++i) {
    const int64_t id = make_adbot(1, 1, "EVEN", 3600);
    exec("INSERT INTO orders (user_id, product_id, amount, currency, status, created_at) VALUES "
         "(1, 1, '80', 'USD', 'PAID', 0)");  // one order per adbot: order 1 is make_adbot's
    exec("UPDATE adbots SET status = 'RUNNING', order_id = (SELECT MAX(id) FROM orders) WHERE "
         "id = " + std::to_string(id));
  }
  const auto began = std::chrono::steady_clock::now();
  start_engine();  // resume_spread stays at its 10 s default
  ASSERT_TRUE(tg_.wait_for(5, 20s));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - began);
  EXPECT_LT(took.count(), 5000) << "the last adbot waited for its share of the restart spread";
}

// stop() while a scan is claiming: a driver that scan would start after stop() collected the
// drivers would run on, and the pool would never join (seen as a 300 s hang in TearDown under
// load). Each round stops at a different point of a 1 ms scan loop.
TEST_P(EngineTest, StopReturnsEvenWhileAScanIsClaiming) {
  for (int i = 0; i < 3; ++i) {
    const int64_t id = make_adbot(1, 1, "EVEN", 3600);
    exec("INSERT INTO orders (user_id, product_id, amount, currency, status, created_at) VALUES "
         "(1, 1, '80', 'USD', 'PAID', 0)");
    exec("UPDATE adbots SET status = 'RUNNING', order_id = (SELECT MAX(id) FROM orders) WHERE "
         "id = " + std::to_string(id));
  }
  for (int round = 0; round < 40; ++round) {
    EngineSettings s;
    s.gap_min_seconds = 0;
    s.gap_max_seconds = 0;
    s.scan_every = 1ms;
    s.renew_every = 3ms;
    s.threads = 2;
    auto engine = std::make_unique<Engine>(
        db(), clock_, [this](int64_t sid) { return tg_.account(sid); }, s);
    engine->start();
    std::this_thread::sleep_for(std::chrono::milliseconds(round % 7));  // jitter, not a wait
    auto stopped = std::async(std::launch::async, [&engine] { engine->stop(); });
    if (stopped.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "Engine::stop() did not return within 20 s in round " << round;
      std::_Exit(1);  // its pool never joins: end the binary rather than hang the suite
    }
  }
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(EngineTest);

}  // namespace
}  // namespace hqadz::engine
