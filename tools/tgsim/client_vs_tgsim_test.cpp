// Our client against tgsim over loopback: typed errors produced by the world, reconnect
// without double delivery, many forwards in order on one connection, the session tool.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <thread>

#include "telegram/client/client.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "telegram/client/session_tool.hpp"
#include "tools/tgsim/tgsim.hpp"

namespace hqadz::tgsim {
namespace {

using telegram::Outcome;
using telegram::Peer;
using telegram::ErrorKind;

// Runs a call and waits for its callback (signalled, never slept for).
template <typename T, typename F>
Outcome<T> await(F&& start) {
  std::promise<Outcome<T>> p;
  auto f = p.get_future();
  start([&p](Outcome<T> o) { p.set_value(std::move(o)); });
  return f.get();
}

class ClientVsTgsim : public ::testing::Test {
 protected:
  void SetUp() override {
    TgsimOptions o;
    o.with_control = false;
    sim_ = std::make_unique<Tgsim>(o);
    ASSERT_TRUE(sim_->start().ok());
    dcs_ = std::make_shared<const telegram::DcTable>(
        telegram::DcTable::parse(sim_->dcs_config()).value());
    io_thread_ = std::thread([this] { io_.run(); });
    channel_ = sim_->world().create_channel("news_src", "News").value();
    post_ = sim_->world().add_post(channel_, "hello").value();
  }
  void TearDown() override {
    for (auto& c : clients_) {
      c->close();
    }
    clients_.clear();
    work_.reset();
    io_thread_.join();
    sim_->stop();
  }

  std::shared_ptr<telegram::Client> client_for(const AccountInfo& a,
                                               telegram::ClientSettings settings = {}) {
    return client_with(sim_->session_for(a), settings);
  }
  std::shared_ptr<telegram::Client> client_with(telegram::SessionData session,
                                                telegram::ClientSettings settings = {}) {
    settings.backoff_initial = std::chrono::milliseconds(10);
    auto c = telegram::make_client(io_, {std::move(session), 12345, "hash"}, dcs_, settings);
    clients_.push_back(c);
    return c;
  }
  Peer resolve(telegram::Client& c, const std::string& name) {
    auto p = await<Peer>([&](auto done) { c.resolve_username(name, done); });
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().name);
    return p.ok() ? p.value() : Peer{};
  }
  Outcome<int32_t> forward(telegram::Client& c, const Peer& to, int64_t random_id,
                           int32_t post = 0) {
    auto from = resolve(c, "news_src");
    return await<int32_t>([&](auto done) {
      c.forward_message(from, post == 0 ? post_ : post, to, random_id, done);
    });
  }
  // An account that is a member of a fresh public group.
  std::pair<AccountInfo, std::int64_t> member_of_group(const std::string& group, int slowmode = 0,
                                                       MemberOptions m = {}) {
    auto a = sim_->world().create_account("", "").value();
    auto g = sim_->world().create_group(group, "", slowmode).value();
    EXPECT_TRUE(sim_->world().add_member(g, a.id, m).ok());
    return {a, g};
  }

  std::unique_ptr<Tgsim> sim_;
  std::shared_ptr<const telegram::DcTable> dcs_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::thread io_thread_;
  std::vector<std::shared_ptr<telegram::Client>> clients_;
  std::int64_t channel_ = 0;
  std::int32_t post_ = 0;
};

TEST_F(ClientVsTgsim, GetMeResolveForward) {
  auto a = sim_->world().create_account("Ann", "ann_acct").value();
  auto g = sim_->world().create_group("ann_group", "", 0).value();
  ASSERT_TRUE(sim_->world().add_member(g, a.id, {}).ok());
  auto c = client_for(a);
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  ASSERT_TRUE(me.ok()) << me.error().name;
  EXPECT_EQ(me.value().id, a.id);
  EXPECT_EQ(me.value().first_name, "Ann");
  EXPECT_EQ(me.value().username, "ann_acct");
  auto group = resolve(*c, "@ann_group");
  EXPECT_EQ(group.id, g);
  EXPECT_TRUE(group.megagroup);
  auto id = forward(*c, group, 777);
  ASSERT_TRUE(id.ok()) << id.error().name;
  auto d = sim_->world().deliveries(g);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(sim_->world().delivery_count(), 1u);  // GET /stats' count (benchmarks read it)
  EXPECT_EQ(d[0].random_id, 777);
  EXPECT_EQ(d[0].message_id, id.value());
  EXPECT_EQ(d[0].post_id, post_);
  // The layer is remembered per key.
  auto info = sim_->world().key_info(static_cast<std::int64_t>(telegram::auth_key_id(a.auth_key)));
  EXPECT_EQ(info->layer, 144);
}

// The address a session carries came with an upload: the client dials the DC table's address
// for the session's DC, never the stored one (issue 20, point 10), and a DC the table does not
// know is not dialled at all.
TEST_F(ClientVsTgsim, DialsTheDcTableNotTheSessionsAddress) {
  auto a = sim_->world().create_account("Dee", "").value();
  auto session = sim_->session_for(a);
  session.server_address = "127.0.0.2";  // nothing of tgsim listens here
  session.port = 1;
  auto c = client_with(session);
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  ASSERT_TRUE(me.ok()) << me.error().name;
  EXPECT_EQ(me.value().id, a.id);

  auto unknown = sim_->session_for(a);
  unknown.dc_id = 99;  // the table has only tgsim's DC
  auto u = client_with(unknown);
  auto refused = await<telegram::Me>([&](auto done) { u->get_me(done); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().name, "BAD_DC_ADDRESS");
}

TEST_F(ClientVsTgsim, JoinExistsAndResolveById) {
  auto a = sim_->world().create_account("", "").value();
  auto g = sim_->world().create_group("open_group", "", 0).value();
  auto c = client_for(a);
  auto group = resolve(*c, "open_group");
  auto not_member = forward(*c, group, 1);
  ASSERT_FALSE(not_member.ok());
  EXPECT_EQ(not_member.error().kind, ErrorKind::kGroupForbidden);
  auto joined = await<telegram::Nothing>([&](auto done) { c->join_channel(group, done); });
  ASSERT_TRUE(joined.ok()) << joined.error().name;
  EXPECT_TRUE(forward(*c, group, 2).ok());
  auto channel = resolve(*c, "news_src");
  auto exists = await<bool>([&](auto done) { c->message_exists(channel, post_, done); });
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(exists.value());
  auto missing = await<bool>([&](auto done) { c->message_exists(channel, 999, done); });
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value());
  auto by_id = await<Peer>([&](auto done) { c->resolve_channel_id(g, done); });
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id.value().access_hash, group.access_hash);
  auto unknown = await<Peer>([&](auto done) { c->resolve_channel_id(42, done); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kGroupForbidden);
}

TEST_F(ClientVsTgsim, FloodAndSlowModeWaitsAreTyped) {
  auto [a, g] = member_of_group("slow_group", 60);
  auto c = client_for(a);
  auto group = resolve(*c, "slow_group");
  ASSERT_TRUE(forward(*c, group, 1).ok());
  auto slow = forward(*c, group, 2);
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().kind, ErrorKind::kGroupWait);
  EXPECT_GT(slow.error().seconds, 50);

  sim_->world().set_flood({1, 30});
  auto [b, g2] = member_of_group("fast_group");
  auto cb = client_for(b);
  auto fast = resolve(*cb, "fast_group");
  ASSERT_TRUE(forward(*cb, fast, 3).ok());
  auto flood = forward(*cb, fast, 4);
  ASSERT_FALSE(flood.ok());
  EXPECT_EQ(flood.error().kind, ErrorKind::kAccountWait);
  EXPECT_EQ(flood.error().seconds, 30);
  EXPECT_EQ(flood.error().code, 420);
  EXPECT_EQ(sim_->world().deliveries(g2).size(), 1u);
}

TEST_F(ClientVsTgsim, GroupLevelErrorsAreTyped) {
  auto [a, g] = member_of_group("ro_group", 0, MemberOptions{false, false});
  auto c = client_for(a);
  auto ro = forward(*c, resolve(*c, "ro_group"), 1);
  ASSERT_FALSE(ro.ok());
  EXPECT_EQ(ro.error().kind, ErrorKind::kGroupForbidden);

  auto [b, g2] = member_of_group("ban_group", 0, MemberOptions{true, true});
  auto cb = client_for(b);
  auto banned = forward(*cb, resolve(*cb, "ban_group"), 1);
  ASSERT_FALSE(banned.ok());
  EXPECT_EQ(banned.error().kind, ErrorKind::kAccountLimited);

  // A private group the account is not in: it knows the id and its access hash only.
  auto priv = sim_->world().create_group("", "Private", 0).value();
  Peer p{Peer::Kind::kChannel, priv, sim_->world().access_hash(b.id, priv), "", "", true};
  auto private_reply = forward(*cb, p, 2);
  ASSERT_FALSE(private_reply.ok());
  EXPECT_EQ(private_reply.error().kind, ErrorKind::kGroupForbidden);

  ASSERT_TRUE(sim_->world().set_peer_flood(b.id, true).ok());
  auto [d, g3] = member_of_group("pf_group");
  ASSERT_TRUE(sim_->world().add_member(g3, b.id, {}).ok());
  auto peer_flood = forward(*cb, resolve(*cb, "pf_group"), 3);
  ASSERT_FALSE(peer_flood.ok());
  EXPECT_EQ(peer_flood.error().kind, ErrorKind::kAccountLimited);

  auto missing_post = forward(*c, resolve(*c, "pf_group"), 4, 999);
  ASSERT_FALSE(missing_post.ok());
  auto nobody = await<Peer>([&](auto done) { c->resolve_username("nobody_here", done); });
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().kind, ErrorKind::kGroupInvalid);
}

TEST_F(ClientVsTgsim, AccountLevelErrorsAreTyped) {
  struct Case {
    AccountState state;
    ErrorKind kind;
    std::string name;
  };
  for (const auto& k :
       {Case{AccountState::kBanned, ErrorKind::kAccountBanned, "USER_DEACTIVATED_BAN"},
        Case{AccountState::kDeactivated, ErrorKind::kAccountBanned, "USER_DEACTIVATED"},
        Case{AccountState::kRevoked, ErrorKind::kAccountDead, "SESSION_REVOKED"},
        Case{AccountState::kDuplicated, ErrorKind::kAccountDead, "AUTH_KEY_DUPLICATED"}}) {
    auto a = sim_->world().create_account("", "").value();
    ASSERT_TRUE(sim_->world().set_account_state(a.id, k.state).ok());
    auto c = client_for(a);
    auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
    ASSERT_FALSE(me.ok());
    EXPECT_EQ(me.error().kind, k.kind);
    EXPECT_EQ(me.error().name, k.name);
  }
}

TEST_F(ClientVsTgsim, FreshKeyByRsaPadIsNotLoggedIn) {
  // No key in the session: the client makes one with tgsim's RSA key (RSA_PAD).
  auto keys_before = sim_->world().key_count();
  telegram::SessionData s = sim_->session_for(AccountInfo{});
  s.auth_key.clear();
  auto c = client_with(s);
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kAccountDead);
  EXPECT_EQ(me.error().code, 401);
  EXPECT_EQ(sim_->world().key_count(), keys_before + 1);
}

TEST_F(ClientVsTgsim, UnknownKeyIsUnregistered) {
  telegram::SessionData s = sim_->session_for(AccountInfo{});
  s.auth_key = std::string(256, '\x5a');
  auto c = client_with(s);
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kAccountDead);
}

TEST_F(ClientVsTgsim, ServerErrorIsTransientAndRetryDeliversOnce) {
  auto [a, g] = member_of_group("err_group");
  auto c = client_for(a);
  auto group = resolve(*c, "err_group");
  sim_->world().set_faults({.error_5xx_every_n = 1});
  auto failed = forward(*c, group, 55);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::kTransient);
  EXPECT_TRUE(sim_->world().deliveries(g).empty());
  sim_->world().set_faults({});
  ASSERT_TRUE(forward(*c, group, 55).ok());
  auto again = forward(*c, group, 55);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kDelivered);
  EXPECT_EQ(sim_->world().deliveries(g).size(), 1u);
}

TEST_F(ClientVsTgsim, DroppedMidForwardReconnectsAndDeliversOnce) {
  auto [a, g] = member_of_group("drop_group");
  auto c = client_for(a);
  auto group = resolve(*c, "drop_group");
  sim_->world().set_faults({.drop_every_n = 1});  // deliver, then hang up without answering
  auto result = forward(*c, group, 4242);
  // The re-sent request carries the same random_id: tgsim answers it as a duplicate.
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kDelivered);
  EXPECT_GE(c->connection_count(), 2);
  auto d = sim_->world().deliveries(g);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].random_id, 4242);
}

TEST_F(ClientVsTgsim, ConnectionDroppedAtAcceptIsRetried) {
  auto first = client_for(sim_->world().create_account("", "").value());
  ASSERT_TRUE(await<telegram::Me>([&](auto done) { first->get_me(done); }).ok());
  sim_->world().set_faults({.drop_connection_every_n = 1});  // every new connection hung up on
  auto [a, g] = member_of_group("accept_group");
  auto c = client_for(a);
  std::promise<Outcome<telegram::Me>> p;
  c->get_me([&p](Outcome<telegram::Me> o) { p.set_value(std::move(o)); });
  auto f = p.get_future();
  EXPECT_EQ(f.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "answered through a connection the fault should have dropped";
  // The connection made before the fault is unaffected.
  ASSERT_TRUE(await<telegram::Me>([&](auto done) { first->get_me(done); }).ok());
  sim_->world().set_faults({});
  auto me = f.get();
  ASSERT_TRUE(me.ok()) << me.error().name;
  EXPECT_GE(c->connection_count(), 2);
}

TEST_F(ClientVsTgsim, StallHoldsBackOneAccountOnly) {
  auto [a, g] = member_of_group("stall_group_a");
  auto [b, h] = member_of_group("stall_group_b");
  auto ca = client_for(a);
  auto cb = client_for(b);
  auto ga = resolve(*ca, "stall_group_a");
  auto gb = resolve(*cb, "stall_group_b");
  auto from = resolve(*ca, "news_src");
  sim_->world().set_faults({.stall_account = a.id, .stall_ms = 1500});
  std::promise<Outcome<int32_t>> pa;
  const auto t0 = std::chrono::steady_clock::now();
  ca->forward_message(from, post_, ga, 777,
                      [&pa](Outcome<int32_t> o) { pa.set_value(std::move(o)); });
  ASSERT_TRUE(forward(*cb, gb, 778).ok());  // b is answered while a waits
  auto fa = pa.get_future();
  EXPECT_EQ(fa.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "the stalled account was answered before the other";
  ASSERT_TRUE(fa.get().ok());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_EQ(sim_->world().deliveries(g).size(), 1u);
  EXPECT_EQ(sim_->world().deliveries(h).size(), 1u);
  sim_->world().set_faults({});
}

TEST_F(ClientVsTgsim, ThousandForwardsInOrderOnOneConnection) {
  auto [a, g] = member_of_group("bulk_group");
  auto c = client_for(a);
  auto group = resolve(*c, "bulk_group");
  auto from = resolve(*c, "news_src");
  constexpr int kCount = 1000;
  std::vector<std::promise<Outcome<int32_t>>> done(kCount);
  for (int i = 0; i < kCount; ++i) {
    c->forward_message(from, post_, group, 100000 + i,
                       [&done, i](Outcome<int32_t> o) { done[i].set_value(std::move(o)); });
  }
  std::int32_t last = 0;
  for (int i = 0; i < kCount; ++i) {
    auto o = done[i].get_future().get();
    ASSERT_TRUE(o.ok()) << i << " " << o.error().name;
    EXPECT_GT(o.value(), last);
    last = o.value();
  }
  auto d = sim_->world().deliveries(g);
  ASSERT_EQ(d.size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(d[i].random_id, 100000 + i);
  }
  EXPECT_EQ(c->connection_count(), 1);
}

TEST_F(ClientVsTgsim, ClockOffByMinutesIsCorrectedFromBadMsgNotification) {
  // Our clock 40 minutes ahead: tgsim answers bad_msg_notification 17, the client takes the
  // server's time from that message's id and re-sends.
  core::ManualClock skewed(std::chrono::system_clock::now() + std::chrono::minutes(40));
  telegram::ClientSettings settings;
  settings.clock = &skewed;
  auto a = sim_->world().create_account("Tim", "tim_acct").value();
  auto c = client_for(a, settings);
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  ASSERT_TRUE(me.ok()) << me.error().name;
  EXPECT_EQ(me.value().id, a.id);
  EXPECT_EQ(c->connection_count(), 1);
}

TEST_F(ClientVsTgsim, IntermediateTransport) {
  telegram::ClientSettings settings;
  settings.framing = telegram::transport::Framing::kIntermediate;
  auto a = sim_->world().create_account("Ivy", "ivy_acct").value();
  auto c = client_for(a, settings);
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  ASSERT_TRUE(me.ok()) << me.error().name;
}

TEST_F(ClientVsTgsim, CloseFailsPendingCallsAsTransient) {
  auto a = sim_->world().create_account("", "").value();
  sim_->world().set_faults({.delay_ms = 2000});  // replies held back, so the call is pending
  auto c = client_for(a);
  std::promise<Outcome<telegram::Me>> p;
  c->get_me([&p](Outcome<telegram::Me> o) { p.set_value(std::move(o)); });
  c->close();
  auto me = p.get_future().get();
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kTransient);
  EXPECT_EQ(me.error().name, "closed");
  sim_->world().set_faults({});
}

TEST_F(ClientVsTgsim, NewerConstructorInResultsStillDeliversWithItsId) {
  // Telegram sends old-layer clients a `user` of a newer layer inside forwardMessages' and
  // joinChannel's Updates (after the updateMessageID): delivered is delivered.
  auto [a, g] = member_of_group("newer_group");
  auto other = sim_->world().create_group("newer_join", "", 0).value();
  auto c = client_for(a);
  sim_->world().set_faults({.newer_constructors = true});
  auto group = resolve(*c, "newer_group");  // a channel is read before the newer user
  EXPECT_EQ(group.id, g);
  auto id = forward(*c, group, 9001);
  ASSERT_TRUE(id.ok()) << id.error().name;
  auto d = sim_->world().deliveries(g);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].random_id, 9001);
  EXPECT_EQ(id.value(), d[0].message_id);
  auto to_join = resolve(*c, "newer_join");
  auto joined = await<telegram::Nothing>([&](auto done) { c->join_channel(to_join, done); });
  ASSERT_TRUE(joined.ok()) << joined.error().name;
  auto in_joined = forward(*c, to_join, 9002);  // a member now: the join happened
  ASSERT_TRUE(in_joined.ok()) << in_joined.error().name;
  ASSERT_EQ(sim_->world().deliveries(other).size(), 1u);
  EXPECT_EQ(sim_->world().deliveries(other)[0].message_id, in_joined.value());
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  EXPECT_TRUE(me.ok()) << me.error().name;  // the key works; the newer user's fields are unread
  // A group known by its id only (a t.me/c/ link) is found among the dialogs' chats, which come
  // before the newer user.
  auto by_id = await<Peer>([&](auto done) { c->resolve_channel_id(g, done); });
  ASSERT_TRUE(by_id.ok()) << by_id.error().name;
  EXPECT_EQ(by_id.value().access_hash, group.access_hash);
  sim_->world().set_faults({});
  EXPECT_EQ(sim_->world().deliveries(g).size(), 1u);
}

TEST_F(ClientVsTgsim, ServerClockSkewedTwoMinutesIsLearned) {
  for (int skew : {120, -120}) {
    auto [a, g] = member_of_group("skew_group" + std::to_string(skew < 0 ? 0 : 1));
    sim_->world().set_faults({.clock_skew_seconds = skew});
    telegram::ClientSettings settings;
    settings.request_timeout = std::chrono::seconds(5);  // today's failure is a timeout
    auto c = client_for(a, settings);
    auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
    ASSERT_TRUE(me.ok()) << skew << " " << me.error().name;
    EXPECT_EQ(me.value().id, a.id);
    auto id = forward(*c, resolve(*c, "skew_group" + std::to_string(skew < 0 ? 0 : 1)), 300 + skew);
    ASSERT_TRUE(id.ok()) << skew << " " << id.error().name;
    EXPECT_EQ(sim_->world().deliveries(g).size(), 1u);
    EXPECT_EQ(c->connection_count(), 1) << skew;
  }
  sim_->world().set_faults({});
}

TEST_F(ClientVsTgsim, TransportMinus404OnceIsConfirmedAliveOnAFreshConnection) {
  auto [a, g] = member_of_group("hiccup_group");
  auto c = client_for(a);
  auto group = resolve(*c, "hiccup_group");
  sim_->world().set_faults({.transport_404_next = 1});
  auto id = forward(*c, group, 404);
  ASSERT_TRUE(id.ok()) << id.error().name;  // not ACCOUNT_DEAD
  EXPECT_GE(c->connection_count(), 2);
  ASSERT_EQ(sim_->world().deliveries(g).size(), 1u);
  EXPECT_EQ(sim_->world().deliveries(g)[0].message_id, id.value());
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  EXPECT_TRUE(me.ok());
}

TEST_F(ClientVsTgsim, Unauthorized401OnceIsTransientWhenTheKeyStillWorks) {
  auto [a, g] = member_of_group("blip_group");
  auto c = client_for(a);
  auto group = resolve(*c, "blip_group");
  auto from = resolve(*c, "news_src");
  sim_->world().set_faults({.unauthorized_next = 1});
  auto first = await<int32_t>(
      [&](auto done) { c->forward_message(from, post_, group, 401, done); });
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().kind, ErrorKind::kTransient) << first.error().name;
  EXPECT_EQ(first.error().name, "AUTH_KEY_UNREGISTERED");
  EXPECT_GE(c->connection_count(), 2);  // confirmed on a fresh connection
  EXPECT_TRUE(sim_->world().deliveries(g).empty());
  auto again = await<int32_t>(
      [&](auto done) { c->forward_message(from, post_, group, 401, done); });
  ASSERT_TRUE(again.ok()) << again.error().name;
  EXPECT_EQ(sim_->world().deliveries(g).size(), 1u);
}

TEST_F(ClientVsTgsim, Unauthorized401EverywhereIsDeadAfterTheFreshConnection) {
  auto a = sim_->world().create_account("", "").value();
  auto c = client_for(a);
  ASSERT_TRUE(await<telegram::Me>([&](auto done) { c->get_me(done); }).ok());
  sim_->world().set_faults({.unauthorized_next = 2});  // the call and the confirmation
  auto me = await<telegram::Me>([&](auto done) { c->get_me(done); });
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kAccountDead);
  EXPECT_GE(c->connection_count(), 2);
  sim_->world().set_faults({});
}

TEST_F(ClientVsTgsim, RequestsBeforeANewSessionsFirstMessageAreResent) {
  // The server loses a forward (a restart); the client's next message, its ping, opens a new
  // session whose first_msg_id is the ping's: the forward, older, is sent again and delivered
  // long before its timeout.
  auto [a, g] = member_of_group("restart_group");
  telegram::ClientSettings settings;
  settings.ping_interval = std::chrono::milliseconds(200);
  settings.request_timeout = std::chrono::seconds(20);
  auto c = client_for(a, settings);
  auto group = resolve(*c, "restart_group");
  auto from = resolve(*c, "news_src");
  sim_->world().set_faults({.lose_next = 1});
  const auto t0 = std::chrono::steady_clock::now();
  auto id = await<int32_t>([&](auto done) { c->forward_message(from, post_, group, 61, done); });
  ASSERT_TRUE(id.ok()) << id.error().name;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  auto d = sim_->world().deliveries(g);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message_id, id.value());
  EXPECT_EQ(c->connection_count(), 1);  // no reconnect did it
  sim_->world().set_faults({});
}

TEST_F(ClientVsTgsim, SessionToolCheckAndForward) {
  auto a = sim_->world().create_account("Bob", "bob_acct").value();
  auto g = sim_->world().create_group("bob_group", "", 0).value();
  ASSERT_TRUE(sim_->world().add_member(g, a.id, {}).ok());
  telegram::SessionToolOptions o;
  o.session = telegram::parse_string_session(
                  telegram::to_string_session(sim_->session_for(a)))
                  .value();
  o.telegram_dcs = sim_->dcs_config();
  o.retry_delays = {std::chrono::milliseconds(0), std::chrono::milliseconds(0),
                    std::chrono::milliseconds(0)};
  auto me = telegram::check_session(o);
  EXPECT_EQ(me, (nlohmann::json{{"id", a.id}, {"first_name", "Bob"}, {"username", "bob_acct"},
                                {"layer", 144}}))
      << me.dump();
  const auto post_link = "https://t.me/news_src/" + std::to_string(post_);
  auto fwd = telegram::forward_post(o, post_link, "@bob_group");
  auto d = sim_->world().deliveries(g);
  ASSERT_EQ(d.size(), 1u) << fwd.dump();
  EXPECT_EQ(fwd, (nlohmann::json{{"message_id", d[0].message_id},
                                 {"random_id", d[0].random_id},
                                 {"attempts", 1}}));
  auto bad = telegram::forward_post(o, post_link, "https://t.me/no_such_group");
  EXPECT_EQ(bad["error"]["code"], "USERNAME_NOT_OCCUPIED") << bad.dump();
  EXPECT_EQ(bad["error"]["kind"], "GROUP_INVALID") << bad.dump();
  auto no_source = telegram::forward_post(o, "https://t.me/no_such_chan/1", "@bob_group");
  EXPECT_EQ(no_source["error"]["kind"], "SOURCE_MISSING") << no_source.dump();
  ASSERT_TRUE(sim_->world().set_account_state(a.id, AccountState::kRevoked).ok());
  auto revoked = telegram::check_session(o);
  EXPECT_EQ(revoked, (nlohmann::json{{"error",
                                      {{"code", "SESSION_REVOKED"},
                                       {"message", "SESSION_REVOKED (401)"},
                                       {"kind", "ACCOUNT_DEAD"}}}}))
      << revoked.dump();
}

TEST_F(ClientVsTgsim, SessionToolRetriesTransientErrorsWithTheSameRandomId) {
  auto [a, g] = member_of_group("retry_group");
  telegram::SessionToolOptions o;
  o.session = sim_->session_for(a);
  o.telegram_dcs = sim_->dcs_config();
  o.retry_delays = {std::chrono::milliseconds(0), std::chrono::milliseconds(0),
                    std::chrono::milliseconds(0)};
  const auto post_link = "https://t.me/news_src/" + std::to_string(post_);
  // Every forward answered 500: the first try and three retries, then the error.
  sim_->world().set_faults({.error_5xx_every_n = 1});
  auto failed = telegram::forward_post(o, post_link, "@retry_group");
  EXPECT_EQ(failed, (nlohmann::json{{"error",
                                     {{"code", "INTERNAL"},
                                      {"message", "INTERNAL (500)"},
                                      {"kind", "TRANSIENT"}}}}))
      << failed.dump();
  EXPECT_TRUE(sim_->world().deliveries(g).empty());
  // Every second forward answered 500: the first run goes through at once, the second is
  // refused once and delivered by its retry, with the same random_id.
  sim_->world().set_faults({.error_5xx_every_n = 2});
  auto once = telegram::forward_post(o, post_link, "@retry_group");
  EXPECT_EQ(once["attempts"], 1) << once.dump();
  auto twice = telegram::forward_post(o, post_link, "@retry_group");
  auto d = sim_->world().deliveries(g);
  ASSERT_EQ(d.size(), 2u) << twice.dump();
  EXPECT_EQ(twice, (nlohmann::json{{"message_id", d[1].message_id},
                                   {"random_id", d[1].random_id},
                                   {"attempts", 2}}));
  // One refusal that a fresh connection does not repeat (the first call, resolve): TRANSIENT,
  // retried, and the forward goes once.
  sim_->world().set_faults({.unauthorized_next = 1});
  auto after_401 = telegram::forward_post(o, post_link, "@retry_group");
  EXPECT_EQ(after_401["attempts"], 1) << after_401.dump();
  EXPECT_EQ(sim_->world().deliveries(g).size(), 3u);
  sim_->world().set_faults({});
}

}  // namespace
}  // namespace hqadz::tgsim
