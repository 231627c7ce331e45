// Issue 7 acceptance on the real stack: `hqadz serve` (the engine with the real MTProto client)
// against a real `tgsim` process. What tgsim recorded (GET /deliveries) is the judge; the adbot's
// forwards rows map each delivery's random_id back to its slot (cycle, group, account).
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "auth_helpers.hpp"
#include "core/clock.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "storage/database.hpp"
#include "storage/row.hpp"
#include "storage/testing/test_database.hpp"
#include "engine_world.hpp"
#include "tgsim_process.hpp"

namespace hqadz::testing {
namespace {

using namespace std::chrono_literals;

// Every reaction and guarantee on tgsim's record, on SQLite and on PostgreSQL (the engine's
// send path differs: on PostgreSQL its checks go through the journal's thread).
class EngineTgsimIT : public EngineWorldIT, public ::testing::WithParamInterface<storage::Backend> {
 protected:
  void SetUp() override {
    EngineWorldIT::SetUp();
    if (!use_backend(GetParam())) {
      GTEST_SKIP() << "PostgreSQL tests run under scripts/with-postgres";
    }
  }
  void kill_server() {
    server_->process().signal(SIGKILL);
    ASSERT_TRUE(server_->process().wait(10s).has_value());
  }
  nlohmann::json info(int64_t adbot) {
    auto r = owner().get("/api/adbots/" + std::to_string(adbot));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  /// The account's entry in GET /api/adbots/{id} ("accounts"), null when absent.
  nlohmann::json account_view(int64_t adbot, int64_t session) {
    const nlohmann::json view = info(adbot);
    const nlohmann::json accounts = view.value("accounts", nlohmann::json::array());
    for (const auto& a : accounts) {
      if (a.value("session_id", int64_t{0}) == session) {
        return a;
      }
    }
    return nlohmann::json::object();
  }
  std::vector<int64_t> sessions_of(int64_t adbot) {
    std::vector<int64_t> out;
    for (const auto& [sid, tg] : tg_of_) {
      if (scalar("SELECT COUNT(*) FROM tg_sessions WHERE id = " + std::to_string(sid) +
                 " AND assigned_to_adbot_id = " + std::to_string(adbot)) == 1) {
        out.push_back(sid);
      }
    }
    return out;
  }
  int64_t cycles_done(int64_t adbot) {
    return scalar("SELECT COUNT(*) FROM adbot_events WHERE kind = 'CYCLE_DONE' AND adbot_id = " +
                  std::to_string(adbot));
  }
  std::set<std::string> notification_kinds(const HttpClient& c) {
    std::set<std::string> k;
    const nlohmann::json list = c.get("/api/user/notifications").json();
    const nlohmann::json items = list.value("notifications", nlohmann::json::array());
    for (const auto& n : items) {
      k.insert(n.value("kind", ""));
    }
    return k;
  }
  /// Events of `kind` in the adbot's log (optionally of one account and/or one target).
  int count_events(const nlohmann::json& log, const std::string& kind,
                   std::optional<int64_t> session = std::nullopt,
                   std::optional<std::string> target = std::nullopt) {
    int n = 0;
    for (const auto& e : log) {
      if (e.value("kind", "") != kind) {
        continue;
      }
      if (session && !(e["session_id"].is_number() && e["session_id"].get<int64_t>() == *session)) {
        continue;
      }
      if (target && !(e["target"].is_string() && e["target"].get<std::string>() == *target)) {
        continue;
      }
      ++n;
    }
    return n;
  }

  nlohmann::json logs(int64_t adbot) {
    auto r = owner().get("/api/adbots/" + std::to_string(adbot) + "/logs?limit=500");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["logs"];
  }
  static int64_t at_ms(const nlohmann::json& event) {
    auto t = core::parse_iso8601(event.value("at", ""));
    return t ? core::to_unix_ms(*t) : 0;
  }

  /// Every delivery is one slot of `adbot`, and no slot was delivered twice.
  void expect_exactly_once(const std::vector<TgsimDelivery>& deliveries,
                           const std::map<int64_t, Slot>& by_rid,
                           const std::map<std::string, int64_t>& groups) {
    std::set<int64_t> rids;
    std::set<std::tuple<int64_t, std::string, int64_t>> seen;
    for (const auto& d : deliveries) {
      EXPECT_TRUE(rids.insert(d.random_id).second) << "random_id delivered twice: " << d.random_id;
      auto it = by_rid.find(d.random_id);
      ASSERT_NE(it, by_rid.end()) << "a delivery no slot accounts for";
      const Slot& s = it->second;
      EXPECT_EQ(groups.at(s.target), d.group) << s.target;
      EXPECT_EQ(tg_of_.at(s.session), d.account);
      EXPECT_TRUE(seen.insert({s.cycle, s.target, s.session}).second)
          << "slot delivered twice: cycle " << s.cycle << " " << s.target;
    }
  }
};

// 1. One adbot, 3 accounts, 30 groups, EVEN: each group gets the post once per cycle from the
// one account serving it; the second cycle starts an interval after the first ended.
TEST_P(EngineTgsimIT, EvenCyclesDeliverOncePerGroupAndFollowTheInterval) {
  start_server();
  const int64_t adbot = buy_adbot(3, "EVEN", 3);
  const auto groups = make_groups(30);
  configure(adbot, groups);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 60; }, 90s))
      << tg_.deliveries().size() << " deliveries";
  ASSERT_EQ(control(adbot, "stop").status, 200);

  const auto deliveries = tg_.deliveries();
  const auto by_rid = slots(adbot);
  expect_exactly_once(deliveries, by_rid, groups);
  std::map<int64_t, std::map<std::string, int64_t>> account_of;  // cycle → group → account
  std::map<int64_t, std::pair<int64_t, int64_t>> span;            // cycle → first, last at
  for (const auto& d : deliveries) {
    const Slot& s = by_rid.at(d.random_id);
    account_of[s.cycle][s.target] = d.account;
    auto [it, fresh] = span.try_emplace(s.cycle, d.at_ms, d.at_ms);
    it->second.first = std::min(it->second.first, d.at_ms);
    it->second.second = std::max(it->second.second, d.at_ms);
  }
  for (int64_t cycle : {1, 2}) {
    ASSERT_EQ(account_of[cycle].size(), 30u) << "cycle " << cycle;
    std::map<int64_t, int> per_account;
    for (const auto& [target, account] : account_of[cycle]) {
      ++per_account[account];
    }
    EXPECT_EQ(per_account.size(), 3u);
    for (const auto& [account, n] : per_account) {
      EXPECT_EQ(n, 10) << "EVEN gives each account a third of the groups";
    }
  }
  EXPECT_EQ(account_of[1], account_of[2]) << "the partition is stable across cycles";
  const int64_t pause = span[2].first - span[1].second;
  EXPECT_GE(pause, 3000) << "cycle 2 began " << pause << " ms after cycle 1's last send";
  std::cerr << "[ timing ] cycle 1 took " << span[1].second - span[1].first
            << " ms for 30 groups; cycle 2 began " << pause << " ms after it\n";
}

// 1 (ALL): every account posts to every group once per cycle.
TEST_P(EngineTgsimIT, AllDistributionSendsFromEveryAccount) {
  start_server();
  const int64_t adbot = buy_adbot(2, "ALL", 600);
  const auto groups = make_groups(5);
  configure(adbot, groups);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 10; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  const auto deliveries = tg_.deliveries();
  expect_exactly_once(deliveries, slots(adbot), groups);
  std::set<std::pair<int64_t, int64_t>> pairs;
  for (const auto& d : deliveries) {
    pairs.insert({d.group, d.account});
  }
  EXPECT_EQ(deliveries.size(), 10u);
  EXPECT_EQ(pairs.size(), 10u);
}

// 2. FLOOD_WAIT_X: the account sends nothing until X has passed (tgsim's timestamps), and never
// provokes a second, shorter wait by trying early.
TEST_P(EngineTgsimIT, FloodWaitIsHonouredOnTgsimTimestamps) {
  tg_.set_flood(4, 3);  // the 5th forward within a minute: FLOOD_WAIT_3
  start_server();
  const int64_t adbot = buy_adbot(2, "EVEN", 600);
  const auto groups = make_groups(12);
  configure(adbot, groups);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 12; }, 60s))
      << tg_.deliveries().size() << " deliveries";
  // Outcomes are committed in groups, shortly after tgsim counts a delivery.
  ASSERT_TRUE(wait_until(
      [&] {
        return owner().get("/api/adbots/" + std::to_string(adbot)).json()["stats"]["success"] ==
               12;
      },
      10s));
  const auto deliveries = tg_.deliveries();
  expect_exactly_once(deliveries, slots(adbot), groups);
  EXPECT_EQ(deliveries.size(), 12u);
  int waits = 0;
  for (const auto& e : logs(adbot)) {
    if (e["kind"] != "FLOOD_WAIT") {
      continue;
    }
    ++waits;
    EXPECT_EQ(e["wait_seconds"], 3) << "a send before the wait ended: " << e.dump();
    const int64_t from = at_ms(e);
    const int64_t account = tg_of_.at(e["session_id"].get<int64_t>());
    for (const auto& d : deliveries) {
      if (d.account == account && d.at_ms > from) {
        EXPECT_GE(d.at_ms, from + 3000) << "sent " << d.at_ms - from << " ms into a 3 s wait";
      }
    }
  }
  EXPECT_EQ(waits, 2) << "one wait per account (6 sends, 4 allowed a minute)";
  auto info = owner().get("/api/adbots/" + std::to_string(adbot)).json();
  EXPECT_EQ(info["stats"]["flood_waits"], 2);
  EXPECT_EQ(info["stats"]["success"], 12);
}

// 2. SLOWMODE_WAIT_X per group: the account's sends to one group are X apart at least.
TEST_P(EngineTgsimIT, SlowModeIsHonouredPerGroup) {
  start_server();
  const int64_t adbot = buy_adbot(1, "EVEN", 2);
  const auto groups = make_groups(2, /*slowmode_seconds=*/3);
  configure(adbot, groups);
  ASSERT_EQ(control(adbot, "start").status, 200);
  auto per_group = [&] {
    std::map<int64_t, std::vector<int64_t>> at;
    for (const auto& d : tg_.deliveries()) {
      at[d.group].push_back(d.at_ms);
    }
    return at;
  };
  ASSERT_TRUE(wait_until(
      [&] {
        auto at = per_group();
        return at.size() == 2 && at.begin()->second.size() >= 3 && at.rbegin()->second.size() >= 3;
      },
      60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  for (const auto& [group, times] : per_group()) {
    for (size_t i = 1; i < times.size(); ++i) {
      EXPECT_GE(times[i] - times[i - 1], 3000) << "group " << group;
    }
  }
  int slowmodes = 0;
  for (const auto& e : logs(adbot)) {
    slowmodes += e["kind"] == "SLOWMODE" ? 1 : 0;
  }
  EXPECT_GE(slowmodes, 1) << "the 2 s interval is shorter than the 3 s slow mode";
}

// 2. A deactivated account: BANNED in stock, admin and owner notified, the others carry on with
// all the groups, and the engine swaps no stock in.
TEST_P(EngineTgsimIT, DeactivatedAccountIsRetiredWithoutSwappingStock) {
  start_server();
  const int64_t adbot = buy_adbot(3, "EVEN", 2);
  const int64_t spare = add_stock_account();
  const auto groups = make_groups(9);
  configure(adbot, groups);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 9; }, 60s));
  const int64_t victim = scalar("SELECT MIN(id) FROM tg_sessions WHERE assigned_to_adbot_id = " +
                                std::to_string(adbot));
  tg_.account_action(tg_of_.at(victim), "deactivate");
  const int64_t banned_at = now_ms();
  auto stock_status = [&](int64_t id) {
    return admin().get("/api/admin/stock/" + std::to_string(id)).json().value("status", "");
  };
  ASSERT_TRUE(wait_until([&] { return stock_status(victim) == "BANNED"; }, 30s))
      << stock_status(victim);
  // The others carry on: a later cycle reaches all 9 groups without the banned account.
  ASSERT_TRUE(wait_until(
      [&] {
        std::map<int64_t, std::set<int64_t>> groups_of_cycle;
        const auto by_rid = slots(adbot);
        for (const auto& d : tg_.deliveries()) {
          if (d.at_ms > banned_at) {
            groups_of_cycle[by_rid.count(d.random_id) ? by_rid.at(d.random_id).cycle : 0].insert(
                d.group);
          }
        }
        for (const auto& [cycle, g] : groups_of_cycle) {
          if (g.size() == 9) {
            return true;
          }
        }
        return false;
      },
      60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);
  for (const auto& d : tg_.deliveries()) {
    if (d.at_ms > banned_at + 1000) {
      EXPECT_NE(d.account, tg_of_.at(victim)) << "the banned account still posts";
    }
  }
  EXPECT_EQ(stock_status(spare), "UNUSED") << "the engine never swaps stock in";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM tg_sessions WHERE status = 'ASSIGNED' AND "
                   "assigned_to_adbot_id = " + std::to_string(adbot)),
            2)
      << "two healthy accounts are left, and no replacement";
  auto kinds = [](const HttpClient& c) {
    std::set<std::string> k;
    const auto list = c.get("/api/user/notifications").json();
    for (const auto& n : list["notifications"]) {
      k.insert(n.value("kind", ""));
    }
    return k;
  };
  EXPECT_TRUE(kinds(admin()).count("account_BANNED")) << "admin not notified";
  EXPECT_TRUE(kinds(owner()).count("account_BANNED")) << "owner not notified";
}

// 3. kill -9 mid-cycle (replies held back 250 ms, so sends are in flight), restart on the same
// data dir: no group gets two forwards, the cycle completes, stats equal tgsim's record.
TEST_P(EngineTgsimIT, KillMidCycleThenRestartNeverDoubleSends) {
  tg_.set_faults({{"delay_ms", 250}});
  start_server();
  const int64_t adbot = buy_adbot(3, "EVEN", 600);
  const auto groups = make_groups(30);
  configure(adbot, groups);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 10; }, 60s));
  kill_server();
  const size_t before = tg_.deliveries().size();
  const int64_t pending = scalar("SELECT COUNT(*) FROM forwards WHERE outcome = 'PENDING'");
  ASSERT_LT(before, 30u) << "the cycle ended before the kill";
  const auto restarted = std::chrono::steady_clock::now();
  start_server();
  ASSERT_TRUE(wait_until(
      [&] {
        return scalar("SELECT COUNT(*) FROM adbot_events WHERE kind = 'CYCLE_DONE' AND adbot_id = " +
                      std::to_string(adbot)) >= 1;
      },
      60s));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - restarted);
  const auto deliveries = tg_.deliveries();
  const auto by_rid = slots(adbot);
  expect_exactly_once(deliveries, by_rid, groups);
  std::set<int64_t> reached;
  for (const auto& d : deliveries) {
    EXPECT_EQ(by_rid.at(d.random_id).cycle, 1);
    reached.insert(d.group);
  }
  EXPECT_EQ(deliveries.size(), 30u);
  EXPECT_EQ(reached.size(), 30u);
  auto info = owner().get("/api/adbots/" + std::to_string(adbot)).json();
  EXPECT_EQ(info["stats"]["success"], static_cast<int64_t>(deliveries.size())) << info["stats"];
  EXPECT_EQ(info["stats"]["posts"], static_cast<int64_t>(deliveries.size())) << info["stats"];
  std::cerr << "[ timing ] killed after " << before << " deliveries with " << pending
            << " PENDING; cycle done " << took.count() << " ms after the restart\n";
}

// validate-post is asked of one of the adbot's own accounts: while nobody drives the adbot the
// engine takes its lease for the check, while it runs its driver answers. A post that exists is
// valid, one that does not is not, and the account sends nothing for the asking.
TEST_P(EngineTgsimIT, ValidatePostAsksTheAdbotsOwnAccountIdleOrRunning) {
  start_server();
  const int64_t adbot = buy_adbot(1, "EVEN", 3600);
  const auto groups = make_groups(2);
  configure(adbot, groups);
  const std::string path = "/api/bot/validate-post?adbot_id=" + std::to_string(adbot);
  const std::string good = "https://t.me/promo_channel/" + std::to_string(post_);
  const std::string gone = "https://t.me/promo_channel/" + std::to_string(post_ + 1000);

  // Both links asked: the existing post is valid, the missing one is not.
  auto expect_answers = [&](const char* when) {
    for (const auto& [link, valid] : {std::pair{good, true}, std::pair{gone, false}}) {
      auto r = owner().post(path, {{"post_link", link}});
      ASSERT_EQ(r.status, 200) << when << ": " << r.body;
      EXPECT_EQ(r.json()["valid"], valid) << when << ": " << r.body;
    }
  };

  expect_answers("idle");
  EXPECT_TRUE(tg_.deliveries().empty()) << "a check sent something";

  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= groups.size(); }, 10s));
  expect_answers("running");
  // The interval is an hour: the checks added no delivery to the first cycle's.
  EXPECT_EQ(tg_.deliveries().size(), groups.size());
}

// 5. A start when due sends within 1 s; a stop lets only the send in flight land.
// The live log (GET /api/adbots/{id}/events, Server-Sent Events): a client connected before the
// start receives STARTED and one SENT per delivery as they happen, on the open connection; the
// stream authenticates by header like any route.
TEST_P(EngineTgsimIT, LiveLogStreamsEachDeliveryAsItHappens) {
  start_server();
  const int64_t adbot = buy_adbot(1, "EVEN", 600);
  const auto groups = make_groups(3);
  configure(adbot, groups);
  const int fd = connect_loopback(server_->port());
  ASSERT_GE(fd, 0);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  send_all(fd, "GET /api/adbots/" + std::to_string(adbot) +
                   "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + user_.token +
                   "\r\n\r\n");
  std::string got;
  auto read_until = [&](const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) {
        continue;
      }
      char buf[4096];
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) {
        break;  // the server closed the stream
      }
      got.append(buf, static_cast<size_t>(n));
    }
    return done();
  };
  ASSERT_TRUE(read_until([&] { return got.find("\r\n\r\n") != std::string::npos; }, 10s))
      << got;
  EXPECT_EQ(status_of(got), 200) << got;
  EXPECT_NE(got.find("text/event-stream"), std::string::npos) << got;
  ASSERT_EQ(control(adbot, "start").status, 200);
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = got.find(needle); at != std::string::npos; at = got.find(needle, at + 1)) {
      ++n;
    }
    return n;
  };
  ASSERT_TRUE(read_until([&] { return count("\"kind\":\"SENT\"") >= 3; }, 30s))
      << "the stream did not carry the three deliveries:\n" << got;
  EXPECT_EQ(count("\"kind\":\"STARTED\""), 1u) << got;
  EXPECT_EQ(count("\"kind\":\"SENT\""), tg_.deliveries().size()) << "one SENT per delivery";
  EXPECT_NE(got.find("event: log\ndata: "), std::string::npos) << got;
  // A stream open at shutdown does not hold the server: SIGTERM ends it and the process exits 0.
  server_->process().signal(SIGTERM);
  const auto code = server_->process().wait(15s);
  ASSERT_TRUE(code.has_value()) << "the server did not exit with a live stream open";
  EXPECT_EQ(*code, 0);
}

TEST_P(EngineTgsimIT, StartSendsWithinASecondAndStopSendsNothingMore) {
  env_["HQADZ_POST_GAP_SECONDS"] = "1-1";
  start_server();
  const int64_t adbot = buy_adbot(2, "EVEN", 600);
  const auto groups = make_groups(20);
  configure(adbot, groups);
  const int64_t asked = now_ms();
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return !tg_.deliveries().empty(); }, 10s));
  const int64_t first = tg_.deliveries().front().at_ms;
  EXPECT_LE(first - asked, 1000) << "first send " << first - asked << " ms after the start";
  tg_.set_faults({{"delay_ms", 200}});  // from now on each send is in flight for a while
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 5; }, 30s));
  const int64_t stop_asked = now_ms();
  ASSERT_EQ(control(adbot, "stop").status, 200);
  const int64_t stopped = now_ms();
  // Without the stop, each account would send again every ~1.2 s: watch for 3 s.
  const size_t at_stop = tg_.deliveries().size();
  EXPECT_FALSE(wait_until([&] { return tg_.deliveries().size() > at_stop + 2; }, 3s));
  std::map<int64_t, int> late;  // account → deliveries after the stop was asked
  for (const auto& d : tg_.deliveries()) {
    if (d.at_ms > stop_asked) {
      ++late[d.account];
    }
  }
  for (const auto& [account, n] : late) {
    EXPECT_LE(n, 1) << "account " << account << " sent " << n << " after the stop";
  }
  EXPECT_LT(tg_.deliveries().size(), 20u);
  std::cerr << "[ timing ] first send " << first - asked << " ms after start; stop answered in "
            << stopped - stop_asked << " ms\n";
}


// 2. PEER_FLOOD on one account: LIMITED in the adbot's view, not one more forward from it (tgsim
// lifts its flag once the engine has seen it, so a retry would land in tgsim's record), the other
// account carries on, the event is in the logs and the admin is alerted.
TEST_P(EngineTgsimIT, PeerFloodLimitsThatAccountAndTheOtherCarriesOn) {
  start_server();
  const int64_t adbot = buy_adbot(2, "ALL", 1);
  const auto groups = make_groups(3);
  configure(adbot, groups);
  const auto sessions = sessions_of(adbot);
  ASSERT_EQ(sessions.size(), 2u);
  const int64_t victim = sessions[0];
  const int64_t other = sessions[1];
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 6; }, 60s, 100ms));
  tg_.account_action(tg_of_.at(victim), "peer-flood");
  ASSERT_TRUE(wait_until(
      [&] { return account_view(adbot, victim).value("status", "") == "LIMITED"; }, 30s, 100ms))
      << account_view(adbot, victim).dump();
  auto lift = tg_.control().request("POST", "/accounts/" + std::to_string(tg_of_.at(victim)) +
                                               "/peer-flood",
                                    R"({"on": false})", {{"Content-Type", "application/json"}});
  ASSERT_EQ(lift.status, 200) << lift.body;
  const int64_t lifted = now_ms();
  const int64_t cycles_then = cycles_done(adbot);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= cycles_then + 3; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);

  const auto deliveries = tg_.deliveries();
  expect_exactly_once(deliveries, slots(adbot), groups);
  std::map<int64_t, std::set<int64_t>> after;  // tgsim account → groups it reached since
  for (const auto& d : deliveries) {
    if (d.at_ms > lifted) {
      after[d.account].insert(d.group);
    }
  }
  EXPECT_EQ(after.count(tg_of_.at(victim)), 0u) << "the LIMITED account sent again";
  EXPECT_EQ(after[tg_of_.at(other)].size(), 3u) << "the other account carries on";
  const auto limited = account_view(adbot, victim);
  EXPECT_EQ(limited.value("status", ""), "LIMITED") << limited.dump();
  EXPECT_FALSE(limited.value("healthy", true)) << limited.dump();
  EXPECT_EQ(account_view(adbot, other).value("status", ""), "ASSIGNED");
  const auto log = logs(adbot);
  // PEER_FLOOD is one of the account-wide restrictions (ACCOUNT_LIMITED, issue 15).
  EXPECT_EQ(count_events(log, "LIMITED", victim), 1) << "Telegram was asked again";
  EXPECT_EQ(count_events(log, "LIMITED", other), 0);
  EXPECT_TRUE(notification_kinds(admin()).count("account_LIMITED")) << "admin not alerted";
}

// 2. A group where one account is a member without the right to write (CHAT_WRITE_FORBIDDEN):
// dropped for that account only, shown in the adbot's view and log, not asked again each cycle;
// the other account still posts there and the other groups keep receiving from both.
TEST_P(EngineTgsimIT, AGroupThatForbidsWritingIsDroppedForThatAccountAndShown) {
  start_server();
  const int64_t adbot = buy_adbot(2, "ALL", 1);
  const auto groups = make_groups(3);
  configure(adbot, groups);
  const auto sessions = sessions_of(adbot);
  ASSERT_EQ(sessions.size(), 2u);
  const int64_t muted = sessions[0];
  const int64_t other = sessions[1];
  const std::string closed = groups.begin()->first;
  auto member = tg_.control().request(
      "POST", "/groups/" + std::to_string(groups.at(closed)) + "/members",
      nlohmann::json{{"account_id", tg_of_.at(muted)}, {"can_write", false}}.dump(),
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(member.status, 200) << member.body;
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 3; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);

  const auto deliveries = tg_.deliveries();
  const auto by_rid = slots(adbot);
  expect_exactly_once(deliveries, by_rid, groups);
  std::map<int64_t, std::map<int64_t, std::set<int64_t>>> got;  // cycle → account → groups
  for (const auto& d : deliveries) {
    got[by_rid.at(d.random_id).cycle][d.account].insert(d.group);
  }
  for (int64_t c = 1; c <= 3; ++c) {
    EXPECT_EQ(got[c][tg_of_.at(other)].size(), 3u) << "cycle " << c;
    EXPECT_EQ(got[c][tg_of_.at(muted)].size(), 2u) << "cycle " << c;
    EXPECT_EQ(got[c][tg_of_.at(muted)].count(groups.at(closed)), 0u) << "cycle " << c;
  }
  const auto log = logs(adbot);
  EXPECT_EQ(count_events(log, "WRITE_FORBIDDEN", muted, closed), 1)
      << "the account asked Telegram again instead of keeping the group dropped";
  EXPECT_EQ(count_events(log, "WRITE_FORBIDDEN", other), 0);
  EXPECT_GE(count_events(log, "DROPPED", muted, closed), 2) << "later cycles show the drop";
  const nlohmann::json view = info(adbot);
  const nlohmann::json view_groups = view.value("groups", nlohmann::json::array());
  bool shown = false;
  for (const auto& g : view_groups) {
    if (g.value("target", "") != closed) {
      continue;
    }
    // A plain sentence for the customer, not Telegram's name for it (issue 15).
    const std::string reason = g.value("last_error", nlohmann::json()).dump();
    EXPECT_NE(reason.find("may not post in this group"), std::string::npos) << g.dump();
    EXPECT_EQ(reason.find("CHAT_WRITE_FORBIDDEN"), std::string::npos) << g.dump();
    const nlohmann::json per_account = g.value("accounts", nlohmann::json::array());
    for (const auto& a : per_account) {
      const int64_t sid = a.value("session_id", int64_t{0});
      if (sid == muted) {
        shown = true;
        EXPECT_EQ(a.value("state", ""), "DROPPED") << a.dump();
      } else if (sid == other) {
        EXPECT_EQ(a.value("state", ""), "JOINED") << a.dump();
      }
    }
  }
  EXPECT_TRUE(shown) << "the drop is not in GET /api/adbots/{id}: " << view.dump();
}

// 6 (conduct). The operator's blocklist: a group blocked before the start receives nothing; a group
// blocked while the adbot runs receives at most the send already in flight, and no cycle begun
// after the block includes it; the other groups keep receiving.
TEST_P(EngineTgsimIT, BlocklistedGroupsReceiveNothingEvenWhenBlockedWhileRunning) {
  start_server();
  const int64_t adbot = buy_adbot(1, "EVEN", 1);
  const auto groups = make_groups(4);
  configure(adbot, groups);
  auto it = groups.begin();
  const std::string early = (it++)->first;
  const std::string late = (it++)->first;
  auto block = [&](const std::string& target) {
    auto r = admin().post("/api/admin/blocklist",
                          {{"group", target}, {"reason", "the owner opted out"}});
    EXPECT_EQ(r.status, 201) << r.body;
  };
  block(early);
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= 2; }, 60s));
  block(late);
  const int64_t blocked = now_ms();
  const int64_t cycle_at_block =
      scalar("SELECT cycle_no FROM adbots WHERE id = " + std::to_string(adbot));
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= cycle_at_block + 2; }, 60s));
  ASSERT_EQ(control(adbot, "stop").status, 200);

  const auto deliveries = tg_.deliveries();
  const auto by_rid = slots(adbot);
  expect_exactly_once(deliveries, by_rid, groups);
  int late_before = 0;
  int late_after = 0;
  std::map<int64_t, std::set<int64_t>> reached;  // cycle → groups
  for (const auto& d : deliveries) {
    const Slot& slot = by_rid.at(d.random_id);
    reached[slot.cycle].insert(d.group);
    EXPECT_NE(d.group, groups.at(early)) << "a group blocked before the start received the post";
    if (d.group == groups.at(late)) {
      EXPECT_LE(slot.cycle, cycle_at_block) << "a cycle begun after the block sent to it";
      (d.at_ms > blocked ? late_after : late_before) += 1;
    }
  }
  EXPECT_GE(late_before, 1) << "the group received posts before it was blocked";
  EXPECT_LE(late_after, 1) << "only the send in flight may land after the block";
  for (int64_t c = cycle_at_block + 1; c <= cycle_at_block + 2; ++c) {
    EXPECT_EQ(reached[c].size(), 2u) << "cycle " << c << " reached the two unblocked groups";
  }
}

// 6 (conduct). The per-account daily cap (the plan's daily_cap_per_account): tgsim never records
// more than the cap per account in the day, the slots beyond it are CAPPED in the log, and the
// adbot's view shows each account at its cap.
TEST_P(EngineTgsimIT, DailyCapIsNeverExceededAndShown) {
  // The counters are per UTC day: a run across midnight would see them reset. The clock is the
  // only signal here, so wait out the last two minutes of a day.
  constexpr int64_t kDayMs = 86'400'000;
  if (const int64_t left = kDayMs - now_ms() % kDayMs; left < 120'000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(left + 1000));
  }
  start_server();
  const int64_t adbot = buy_adbot(2, "EVEN", 1, {{"daily_cap_per_account", 3}});
  const auto groups = make_groups(4);
  configure(adbot, groups);
  ASSERT_EQ(control(adbot, "start").status, 200);
  const std::string capped_events =
      "SELECT COUNT(*) FROM adbot_events WHERE kind = 'CAPPED' AND adbot_id = " +
      std::to_string(adbot);
  ASSERT_TRUE(wait_until([&] { return scalar(capped_events) >= 4; }, 60s));
  const int64_t cycles_then = cycles_done(adbot);
  ASSERT_TRUE(wait_until([&] { return cycles_done(adbot) >= cycles_then + 2; }, 30s));
  ASSERT_EQ(control(adbot, "stop").status, 200);

  const auto deliveries = tg_.deliveries();
  expect_exactly_once(deliveries, slots(adbot), groups);
  std::map<int64_t, int> per_account;
  for (const auto& d : deliveries) {
    ++per_account[d.account];
  }
  ASSERT_EQ(per_account.size(), 2u);
  for (const auto& [account, n] : per_account) {
    EXPECT_EQ(n, 3) << "tgsim account " << account << " (cap 3 a day)";
  }
  const nlohmann::json view = info(adbot);
  EXPECT_EQ(view.value("adbot", nlohmann::json::object()).value("daily_cap_per_account", 0), 3)
      << view.dump();
  const nlohmann::json accounts = view.value("accounts", nlohmann::json::array());
  ASSERT_EQ(accounts.size(), 2u);
  for (const auto& a : accounts) {
    EXPECT_EQ(a.value("sends_today", 0), 3) << a.dump();
  }
  const auto log = logs(adbot);
  for (int64_t sid : sessions_of(adbot)) {
    EXPECT_GE(count_events(log, "CAPPED", sid), 1) << "account " << sid;
  }
  EXPECT_EQ(count_events(log, "SENT"), 6);
}

// 5. Expiry: the 3-days-before notice, then the plan ends in the middle of a cycle: EXPIRED at
// once, nothing sent after but the send in flight, the owner notified, no restart possible.
TEST_P(EngineTgsimIT, ExpiryWhileRunningStopsTheSendsAndNotifies) {
  env_["HQADZ_POST_GAP_SECONDS"] = "1-1";  // a cycle of 20 groups lasts ~20 s
  start_server();
  const int64_t adbot = buy_adbot(1, "EVEN", 600);
  const auto groups = make_groups(20);
  configure(adbot, groups);
  const std::string where = " WHERE id = " + std::to_string(adbot);
  // Two days left; the engine's maintenance pass (run at its start) sends the notice.
  exec("UPDATE adbots SET validity_end = " + std::to_string(now_ms() + 2LL * 86'400'000) + where);
  kill_server();
  start_server();
  ASSERT_TRUE(wait_until([&] { return notification_kinds(owner()).count("adbot_expiring") == 1; },
                         30s, 100ms));
  ASSERT_EQ(control(adbot, "start").status, 200);
  ASSERT_TRUE(wait_until([&] { return tg_.deliveries().size() >= 2; }, 30s));
  const int64_t end = now_ms() + 1000;
  exec("UPDATE adbots SET validity_end = " + std::to_string(end) + where);
  ASSERT_TRUE(wait_until([&] { return info(adbot)["adbot"]["status"] == "EXPIRED"; }, 20s, 100ms))
      << info(adbot).dump();
  const int64_t seen = now_ms();
  // Had the cycle gone on, the account would send about once a second: watch 3 s.
  const size_t at_expiry = tg_.deliveries().size();
  EXPECT_FALSE(wait_until([&] { return tg_.deliveries().size() > at_expiry; }, 3s, 100ms));
  int after_end = 0;
  for (const auto& d : tg_.deliveries()) {
    after_end += d.at_ms > end ? 1 : 0;
  }
  EXPECT_LE(after_end, 1) << "only the send in flight may land after the plan's end";
  EXPECT_LT(tg_.deliveries().size(), 20u) << "the cycle was cut short";
  EXPECT_LE(seen - end, 5000) << "EXPIRED shown " << seen - end << " ms after the end";
  const nlohmann::json view = info(adbot);
  EXPECT_EQ(view.value("adbot", nlohmann::json::object()).value("status", ""), "EXPIRED");
  EXPECT_EQ(view.value("adbot", nlohmann::json::object()).value("stop_reason", ""),
            "the plan expired");
  const auto kinds = notification_kinds(owner());
  EXPECT_TRUE(kinds.count("adbot_expired")) << "owner not notified of the expiry";
  EXPECT_TRUE(kinds.count("adbot_expiring")) << "owner not warned 3 days before";
  EXPECT_EQ(count_events(logs(adbot), "EXPIRED"), 1);
  auto again = control(adbot, "start");
  EXPECT_NE(again.status, 200) << again.body;
  EXPECT_EQ(again.error_code(), "adbot_expired") << again.body;
  std::cerr << "[ timing ] EXPIRED seen " << seen - end << " ms after the plan's end; "
            << after_end << " send(s) after it\n";
}


// 4. Scale-out on PostgreSQL: 3 × `hqadz engine` + `hqadz serve --no-engine`, 50 adbots of one
// account and two groups each. Each adbot is driven by one worker at a time (every slot is
// delivered at most once); a killed worker's adbots resume on the others within 45 s, with the
// default 30 s lease.
class ScaleOutIT : public ::testing::TestWithParam<storage::Backend> {
 protected:
  struct Worker {
    std::unique_ptr<Process> process;
    std::string instance;
  };

  void SetUp() override {
    pg_ = storage::testing::TestDatabase::create(GetParam(), false);
    if (!pg_) {
      GTEST_SKIP() << "PostgreSQL not available";
    }
    ASSERT_TRUE(tg_.ok());
    post_ = tg_.add_post(tg_.create_channel("promo_channel"), "Buy our widgets");
    env_ = {{"HQADZ_DATABASE_URL", pg_->url()},
            {"HQADZ_MASTER_KEY", crypto::to_base64(crypto::random_bytes(32))},
            {"HQADZ_JWT_SECRET", crypto::random_hex(32)},
            {"HQADZ_TELEGRAM_DCS", tg_.dcs_config()},
            {"HQADZ_POST_GAP_SECONDS", "0-0"}};
    server_ = std::make_unique<ServerProcess>(
        ServerOptions{.env = env_, .extra_args = {"--no-engine"}, .data_dir = dir_.path() + "/api"});
    ASSERT_NE(server_->port(), 0);
    admin_ = create_user_cli(*server_, "admin@example.com", "ADMIN", env_);
    user_ = create_user_cli(*server_, "owner@example.com", "USER", env_);
    sign_in(*server_, admin_);
    sign_in(*server_, user_);
  }
  void TearDown() override {
    if (HasFailure()) {
      for (size_t i = 0; i < workers_.size(); ++i) {
        std::ifstream in(dir_.path() + "/w" + std::to_string(i) + ".log");
        std::stringstream s;
        s << in.rdbuf();
        const std::string text = s.str();
        std::cerr << "worker " << i << " stderr (tail):\n"
                  << (text.size() > 3000 ? text.substr(text.size() - 3000) : text);
      }
    }
  }

  void exec(const std::string& sql) {
    auto st = storage::testing::exec(pg_->db(), sql);
    ASSERT_TRUE(st.ok()) << st.error().message << "\n" << sql;
  }
  int64_t scalar(const std::string& sql) { return storage::testing::scalar(pg_->db(), sql); }
  std::map<int64_t, std::string> lease_owners() {
    std::map<int64_t, std::string> out;
    (void)pg_->db().read([&](storage::Tx& tx) -> core::Result<int> {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "SELECT id, lease_owner FROM adbots WHERE lease_owner IS NOT NULL");
      for (const auto& r : rows) {
        out[storage::i64(r, "id")] = storage::str(r, "lease_owner");
      }
      return 0;
    });
    return out;
  }

  void start_worker() {
    const size_t n = workers_.size();
    Worker w;
    w.process = std::make_unique<Process>(
        std::vector<std::string>{hqadz_binary(), "engine", "--data-dir",
                                 dir_.path() + "/w" + std::to_string(n)},
        env_, dir_.path() + "/w" + std::to_string(n) + ".log");
    auto line = w.process->read_line(30s);
    ASSERT_TRUE(line.has_value()) << "hqadz engine printed nothing";
    auto j = nlohmann::json::parse(*line, nullptr, false);
    ASSERT_TRUE(j.is_object() && j.value("status", "") == "running") << *line;
    w.instance = j.value("engine", "");
    workers_.push_back(std::move(w));
  }

  std::unique_ptr<storage::testing::TestDatabase> pg_;
  TempDir dir_;
  TgsimProcess tg_;
  int64_t post_ = 0;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ServerProcess> server_;
  TestUser admin_;
  TestUser user_;
  std::vector<Worker> workers_;
};

// Every stage is bounded and says what was missing when its bound passes; the whole test stays
// well under CTest's 300 s on a loaded machine. Polls of tgsim's growing record are 4 a second
// (each one is a JSON of every delivery), so the test does not starve the processes it judges.
TEST_P(ScaleOutIT, FiftyAdbotsOnThreeWorkersSurviveAKilledWorker) {
  constexpr int kAdbots = 50;
  const auto began = std::chrono::steady_clock::now();
  auto stage = [&](const std::string& what) {
    std::cerr << "[ stage ] +"
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - began)
                     .count()
              << " ms: " << what << "\n";
  };
  for (int i = 0; i < 3; ++i) {
    start_worker();
  }
  HttpClient admin = client_for(*server_, admin_);
  HttpClient owner = client_for(*server_, user_);
  exec("INSERT INTO products (name, tier, sessions_count, posting_interval_seconds, price, "
       "currency, validity_days, created_at, updated_at) VALUES ('Solo', 'STARTER', 1, 60, '10', "
       "'USD', 30, 0, 0)");
  const int64_t product = scalar("SELECT MAX(id) FROM products");
  const int64_t now = now_ms();
  std::map<int64_t, int64_t> adbot_of_account;  // tgsim account → adbot
  std::map<std::string, int64_t> group_ids;       // target → tgsim group
  for (int i = 1; i <= kAdbots; ++i) {
    const auto acc = tg_.create_account("agent_" + std::to_string(i));
    auto up = admin.post("/api/admin/stock/upload",
                         {{"string_session", acc.string_session},
                          {"phone_number", "+1555100" + std::to_string(1000 + i)},
                          {"api_id", 12345},
                          {"api_hash", "0123456789abcdef0123456789abcdef"}});
    ASSERT_EQ(up.status, 201) << up.body;
    const std::string sid = std::to_string(up.json()["id"].get<int64_t>());
    exec("INSERT INTO orders (user_id, product_id, amount, currency, status, created_at) VALUES (" +
         std::to_string(user_.id) + ", " + std::to_string(product) + ", '10', 'USD', 'PAID', 0)");
    const std::string order = std::to_string(scalar("SELECT MAX(id) FROM orders"));
    exec("INSERT INTO adbots (user_id, order_id, product_id, status, sessions_needed, "
         "posting_interval_seconds, distribution, validity_start, validity_end, post_link, "
         "created_at, updated_at) VALUES (" + std::to_string(user_.id) + ", " + order + ", " +
         std::to_string(product) + ", 'STOPPED', 1, 8, 'EVEN', " + std::to_string(now) + ", " +
         std::to_string(now + 30LL * 86'400'000) + ", 'https://t.me/promo_channel/" +
         std::to_string(post_) + "', 0, 0)");
    const int64_t adbot = scalar("SELECT MAX(id) FROM adbots");
    const std::string id = std::to_string(adbot);
    exec("UPDATE tg_sessions SET status = 'ASSIGNED', assigned_to_adbot_id = " + id +
         ", assigned_to_user_id = " + std::to_string(user_.id) + " WHERE id = " + sid);
    for (int g = 0; g < 2; ++g) {
      const std::string name = "group_" + id + "_" + std::to_string(g);
      group_ids["@" + name] = tg_.create_group(name);
      exec("INSERT INTO adbot_groups (adbot_id, target, position) VALUES (" + id + ", '@" + name +
           "', " + std::to_string(g) + ")");
    }
    adbot_of_account[acc.id] = adbot;
  }
  stage("50 adbots made; starting them");
  for (const auto& [account, adbot] : adbot_of_account) {
    auto r = owner.request("POST", "/api/adbots/" + std::to_string(adbot) + "/start", "{}",
                           {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  auto adbots_delivered_after = [&](int64_t t) {
    std::set<int64_t> out;
    for (const auto& d : tg_.deliveries()) {
      if (d.at_ms > t) {
        out.insert(adbot_of_account.at(d.account));
      }
    }
    return out;
  };
  std::set<int64_t> posted;
  const bool all_posted = wait_until(
      [&] {
        posted = adbots_delivered_after(0);
        return posted.size() == kAdbots;
      },
      75s, 250ms);
  ASSERT_TRUE(all_posted) << posted.size() << " of " << kAdbots << " adbots have posted";
  stage("every adbot has posted");

  // Kill -9 the worker driving the most adbots.
  std::map<std::string, std::set<int64_t>> held;
  for (const auto& [adbot, owner_id] : lease_owners()) {
    held[owner_id].insert(adbot);
  }
  size_t victim = 0;
  for (size_t i = 0; i < workers_.size(); ++i) {
    if (held[workers_[i].instance].size() > held[workers_[victim].instance].size()) {
      victim = i;
    }
  }
  const std::set<int64_t> orphans = held[workers_[victim].instance];
  ASSERT_FALSE(orphans.empty());
  std::cerr << "[ leases ]";
  for (const auto& w : workers_) {
    std::cerr << " " << held[w.instance].size();
  }
  std::cerr << " (killing the worker with " << orphans.size() << ")\n";
  stage("killing worker " + std::to_string(victim) + " (pid " +
        std::to_string(workers_[victim].process->pid()) + ")");
  workers_[victim].process->signal(SIGKILL);
  ASSERT_TRUE(workers_[victim].process->wait(10s).has_value()) << "the killed worker lingers";
  const int64_t killed = now_ms();
  stage("killed; waiting for its adbots to post again");
  std::set<int64_t> missing;
  const bool resumed = wait_until(
      [&] {
        const auto after = adbots_delivered_after(killed);
        missing.clear();
        std::set_difference(orphans.begin(), orphans.end(), after.begin(), after.end(),
                            std::inserter(missing, missing.end()));
        return missing.empty();
      },
      45s, 250ms);
  stage(resumed ? "every orphan posted again" : "the 45 s bound passed");
  if (!resumed) {
    std::ostringstream why;
    (void)pg_->db().read([&](storage::Tx& tx) -> core::Result<int> {
      for (int64_t a : missing) {
        const long long aid = a;  // soci::use binds by reference
        soci::rowset<soci::row> rows =
            (tx.sql().prepare << "SELECT status, lease_owner, lease_until, cycle_state, "
                                 "next_run_at FROM adbots WHERE id = :a",
             soci::use(aid));
        for (const auto& r : rows) {
          why << "\n  adbot " << a << ": " << storage::str(r, "status") << ", lease "
              << storage::opt_str(r, "lease_owner").value_or("-") << " until "
              << storage::opt_i64(r, "lease_until").value_or(0) - killed << " ms after the kill, "
              << storage::str(r, "cycle_state") << ", next run "
              << storage::opt_i64(r, "next_run_at").value_or(0) - killed << " ms after the kill";
        }
      }
      return 0;
    });
    ADD_FAILURE() << missing.size() << " of the " << orphans.size()
                  << " orphaned adbots did not post within 45 s of the kill:" << why.str();
  }
  // The slowest orphan's first delivery after the kill.
  std::map<int64_t, int64_t> first_after;
  for (const auto& d : tg_.deliveries()) {
    const int64_t a = adbot_of_account.at(d.account);
    if (d.at_ms > killed && orphans.count(a) && !first_after.count(a)) {
      first_after[a] = d.at_ms;
    }
  }
  int64_t slowest = 0;
  for (const auto& [a, at] : first_after) {
    slowest = std::max(slowest, at - killed);
  }
  for (const auto& [adbot, owner_id] : lease_owners()) {
    EXPECT_NE(owner_id, workers_[victim].instance) << "adbot " << adbot << " still on the dead worker";
  }

  // Stop the survivors together (SIGTERM), each bounded; a straggler is killed and reported.
  stage("stopping the other workers");
  for (auto& w : workers_) {
    if (!w.process->wait(0ms)) {
      w.process->signal(SIGTERM);
    }
  }
  const auto stop_deadline = std::chrono::steady_clock::now() + 30s;
  for (size_t i = 0; i < workers_.size(); ++i) {
    auto& w = workers_[i];
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        stop_deadline - std::chrono::steady_clock::now());
    if (!w.process->wait(std::max(left, std::chrono::milliseconds(0)))) {
      ADD_FAILURE() << "worker " << i << " did not stop within 30 s of SIGTERM";
      w.process->signal(SIGKILL);
      (void)w.process->wait(10s);
    }
  }
  stage("workers stopped; checking for duplicates");
  // Zero duplicates: every random_id once, every (adbot, cycle, group) once.
  std::map<int64_t, std::tuple<int64_t, int64_t, std::string>> slot_of;
  (void)pg_->db().read([&](storage::Tx& tx) -> core::Result<int> {
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT random_id, adbot_id, cycle_no, target FROM forwards");
    for (const auto& r : rows) {
      slot_of[storage::i64(r, "random_id")] = {storage::i64(r, "adbot_id"),
                                               storage::i64(r, "cycle_no"),
                                               storage::str(r, "target")};
    }
    return 0;
  });
  const auto deliveries = tg_.deliveries();
  std::set<int64_t> rids;
  std::set<std::tuple<int64_t, int64_t, std::string>> slots;
  int duplicates = 0;
  for (const auto& d : deliveries) {
    if (!rids.insert(d.random_id).second) {
      ++duplicates;
      ADD_FAILURE() << "random_id twice: " << d.random_id;
    }
    auto it = slot_of.find(d.random_id);
    ASSERT_NE(it, slot_of.end()) << "a delivery no forwards row accounts for";
    EXPECT_EQ(std::get<0>(it->second), adbot_of_account.at(d.account));
    EXPECT_EQ(group_ids.at(std::get<2>(it->second)), d.group);
    if (!slots.insert(it->second).second) {
      ++duplicates;
      ADD_FAILURE() << "adbot " << std::get<0>(it->second) << " cycle "
                    << std::get<1>(it->second) << " " << std::get<2>(it->second)
                    << " delivered twice";
    }
  }
  stage("done");
  std::cerr << "[ timing ] " << deliveries.size() << " deliveries, " << duplicates
            << " duplicate(s); the " << orphans.size()
            << " orphaned adbots all posted again within " << slowest << " ms of the kill\n";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, EngineTgsimIT, ::testing::Values(storage::Backend::kSqlite),
                         storage::testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, EngineTgsimIT, ::testing::Values(storage::Backend::kPostgres),
                         storage::testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, ScaleOutIT, ::testing::Values(storage::Backend::kPostgres),
                         storage::testing::backend_name);

}  // namespace
}  // namespace hqadz::testing
