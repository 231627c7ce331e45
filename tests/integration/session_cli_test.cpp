// `hqadz session check|forward` against the tgsim binary: the JSON shapes, the retries of
// TRANSIENT errors with the same random_id, the kinds, judged on tgsim's own delivery record.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "server_fixture.hpp"
#include "tgsim_process.hpp"

namespace hqadz::testing {
namespace {

class SessionCliIT : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tgsim_.ok());
    channel_ = tgsim_.create_channel("cli_news");
    post_ = tgsim_.add_post(channel_, "hello");
    group_ = tgsim_.create_group("cli_group");
    account_ = tgsim_.create_account("cli_acct");
    tgsim_.add_member(group_, account_.id);
    env_ = {{"HQADZ_TELEGRAM_DCS", tgsim_.dcs_config()}};
  }

  // Runs `hqadz session <args> --string S` → {exit code, the JSON it printed}.
  std::pair<int, nlohmann::json> session(std::vector<std::string> args) {
    std::vector<std::string> argv = {hqadz_binary(), "session"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (std::string a : {"--string", account_.string_session.c_str(), "--data-dir"}) {
      argv.push_back(a);
    }
    argv.push_back(dir_.path());
    auto [code, out] = run_to_end(argv, env_);
    return {code, nlohmann::json::parse(out, nullptr, false)};
  }
  std::pair<int, nlohmann::json> forward(std::string to = "@cli_group") {
    return session({"forward", "--from", "https://t.me/cli_news/" + std::to_string(post_), "--to",
                    to, "--retry-delays-ms", "0,0,0"});
  }

  TgsimProcess tgsim_;
  TempDir dir_;
  std::map<std::string, std::string> env_;
  int64_t channel_ = 0;
  int64_t post_ = 0;
  int64_t group_ = 0;
  TgsimAccount account_;
};

TEST_F(SessionCliIT, CheckAndForwardPrintTheAgreedShapes) {
  auto [code, me] = session({"check"});
  ASSERT_EQ(code, 0) << me.dump();
  EXPECT_EQ(me, (nlohmann::json{{"id", account_.id},
                                {"first_name", "cli_acct"},
                                {"username", "cli_acct"},
                                {"layer", 144}}));
  auto [fcode, fwd] = forward();
  ASSERT_EQ(fcode, 0) << fwd.dump();
  auto d = tgsim_.deliveries();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(fwd, (nlohmann::json{{"message_id", d[0].message_id},
                                 {"random_id", d[0].random_id},
                                 {"attempts", 1}}));
  auto [bcode, bad] = forward("@no_such_group");
  EXPECT_EQ(bcode, 1);
  EXPECT_EQ(bad, (nlohmann::json{{"error",
                                  {{"code", "USERNAME_NOT_OCCUPIED"},
                                   {"message", "USERNAME_NOT_OCCUPIED (400)"},
                                   {"kind", "GROUP_INVALID"}}}}));
}

TEST_F(SessionCliIT, TransientErrorsAreRetriedWithTheSameRandomId) {
  // Every second forward answered 500: the first run at once, the second after one retry.
  tgsim_.set_faults({{"error_5xx_every_n", 2}});
  auto [c1, first] = forward();
  ASSERT_EQ(c1, 0) << first.dump();
  EXPECT_EQ(first["attempts"], 1);
  auto [c2, second] = forward();
  ASSERT_EQ(c2, 0) << second.dump();
  EXPECT_EQ(second["attempts"], 2);
  auto d = tgsim_.deliveries();
  ASSERT_EQ(d.size(), 2u);  // the refused try delivered nothing, the retry once
  EXPECT_EQ(second["random_id"], d[1].random_id);
  EXPECT_EQ(second["message_id"], d[1].message_id);
  // Every forward refused: the first try and three retries, then the error, kind TRANSIENT.
  tgsim_.set_faults({{"error_5xx_every_n", 1}});
  auto [c3, failed] = forward();
  EXPECT_EQ(c3, 1);
  EXPECT_EQ(failed, (nlohmann::json{{"error",
                                     {{"code", "INTERNAL"},
                                      {"message", "INTERNAL (500)"},
                                      {"kind", "TRANSIENT"}}}}));
  EXPECT_EQ(tgsim_.deliveries().size(), 2u);
}

TEST_F(SessionCliIT, TimeoutAfterDeliveryIsRetriedIntoOneDelivery) {
  // Telegram's "delivered, then -503 Timeout": the retry carries the same random_id, Telegram
  // answers RANDOM_ID_DUPLICATE, and the post is in the group once.
  tgsim_.add_error({{"method", "messages.forwardMessages"}, {"account", account_.id},
                    {"code", -503}, {"name", "Timeout"}, {"times", 1}, {"delivered", true}});
  auto [code, fwd] = forward();
  ASSERT_EQ(code, 0) << fwd.dump();
  auto d = tgsim_.deliveries();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(fwd, (nlohmann::json{{"message_id", nullptr},
                                 {"random_id", d[0].random_id},
                                 {"attempts", 2}}));
  // A storm of two -503s before delivery: the third try delivers, with its id.
  tgsim_.add_error({{"method", "messages.forwardMessages"}, {"account", account_.id},
                    {"code", -503}, {"name", "Timedout"}, {"times", 2}});
  auto [c2, storm] = forward();
  ASSERT_EQ(c2, 0) << storm.dump();
  d = tgsim_.deliveries();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(storm, (nlohmann::json{{"message_id", d[1].message_id},
                                   {"random_id", d[1].random_id},
                                   {"attempts", 3}}));
  // Kinds of what the account and the source meet.
  tgsim_.add_error({{"method", "messages.forwardMessages"}, {"account", account_.id},
                    {"code", 400}, {"name", "CHAT_FORWARDS_RESTRICTED"}, {"times", 1}});
  EXPECT_EQ(forward().second["error"]["kind"], "SOURCE_PROTECTED");
  tgsim_.add_error({{"account", account_.id}, {"code", 420}, {"name", "FROZEN_METHOD_INVALID"},
                    {"times", 1}});
  auto [fcode, frozen] = session({"check"});
  EXPECT_EQ(fcode, 1);
  EXPECT_EQ(frozen, (nlohmann::json{{"error",
                                     {{"code", "FROZEN_METHOD_INVALID"},
                                      {"message", "FROZEN_METHOD_INVALID (420)"},
                                      {"kind", "ACCOUNT_FROZEN"}}}}));
  EXPECT_EQ(tgsim_.deliveries().size(), 2u);
}

TEST_F(SessionCliIT, WhatRealTelegramDoesIsSurvived) {
  // A newer `user` in the forward's result: delivered, with its id, once.
  tgsim_.set_faults({{"newer_constructors", true}});
  auto [code, fwd] = forward();
  ASSERT_EQ(code, 0) << fwd.dump();
  auto d = tgsim_.deliveries();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(fwd["message_id"], d[0].message_id);
  // The server's clock two minutes ahead of ours.
  tgsim_.set_faults({{"clock_skew_seconds", 120}});
  auto [ccode, me] = session({"check"});
  EXPECT_EQ(ccode, 0) << me.dump();
  EXPECT_EQ(me["id"], account_.id);
  // A -404 that a fresh connection does not repeat is not a dead account.
  tgsim_.set_faults({{"transport_404_next", 1}});
  auto [ncode, again] = session({"check"});
  EXPECT_EQ(ncode, 0) << again.dump();
  // A revoked session is, with its kind.
  tgsim_.set_faults(nlohmann::json::object());
  tgsim_.account_action(account_.id, "revoke");
  auto [rcode, revoked] = session({"check"});
  EXPECT_EQ(rcode, 1);
  EXPECT_EQ(revoked["error"]["code"], "SESSION_REVOKED") << revoked.dump();
  EXPECT_EQ(revoked["error"]["kind"], "ACCOUNT_DEAD");
}

}  // namespace
}  // namespace hqadz::testing
