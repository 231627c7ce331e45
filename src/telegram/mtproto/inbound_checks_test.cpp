#include "telegram/mtproto/inbound_checks.hpp"

#include <gtest/gtest.h>

#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram::mtproto {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

std::int64_t msg_id_at(std::int64_t seconds, std::int64_t low) { return seconds << 32 | low; }

class InboundCheckerTest : public ::testing::Test {
 protected:
  core::ManualClock clock_{core::TimePoint{std::chrono::seconds{kNow}}};
  InboundChecker checker_{clock_, InboundPolicy{}};

  void SetUp() override { checker_.reset(42); }
  PlainMessage msg(std::int64_t msg_id, std::int64_t salt = 7) {
    return PlainMessage{salt, 42, msg_id, 1, {}};
  }
};

TEST_F(InboundCheckerTest, AcceptsAFreshServerMessageOnce) {
  auto m = msg(msg_id_at(kNow, 1));
  EXPECT_TRUE(checker_.check(m, {}).ok());
  auto again = checker_.check(m, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), InboundErrc::kDuplicateMsgId);
}

TEST_F(InboundCheckerTest, SessionAndParity) {
  auto m = msg(msg_id_at(kNow, 1));
  m.session_id = 43;
  EXPECT_EQ(checker_.check(m, {}).error(), InboundErrc::kSessionMismatch);
  EXPECT_EQ(checker_.check(msg(msg_id_at(kNow, 4)), {}).error(), InboundErrc::kBadMsgIdParity);
}

TEST_F(InboundCheckerTest, TimeWindowFollowsTheOffset) {
  EXPECT_EQ(checker_.check(msg(msg_id_at(kNow - 301, 1)), {}).error(), InboundErrc::kMsgIdTooOld);
  EXPECT_EQ(checker_.check(msg(msg_id_at(kNow + 31, 1)), {}).error(), InboundErrc::kMsgIdTooNew);
  EXPECT_TRUE(checker_.check(msg(msg_id_at(kNow + 31, 1)), {.check_time = false}).ok());
  checker_.set_time_offset(1000);
  EXPECT_TRUE(checker_.check(msg(msg_id_at(kNow + 1000, 5)), {}).ok());
}

TEST_F(InboundCheckerTest, SaltIsCheckedOnceKnown) {
  EXPECT_TRUE(checker_.check(msg(msg_id_at(kNow, 1), 99), {}).ok());
  checker_.set_accepted_salts({7, 8});
  EXPECT_EQ(checker_.check(msg(msg_id_at(kNow, 5), 99), {}).error(), InboundErrc::kSaltMismatch);
  EXPECT_TRUE(checker_.check(msg(msg_id_at(kNow, 9), 8), {}).ok());
}

TEST_F(InboundCheckerTest, ForgetsOldIdsButRejectsOlderThanTheWindow) {
  InboundChecker small(clock_, InboundPolicy{.remember = 3});
  small.reset(42);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(small.check(msg(msg_id_at(kNow, 4 * i + 1)), {}).ok());
  }
  EXPECT_EQ(small.check(msg(msg_id_at(kNow, 1)), {}).error(), InboundErrc::kDuplicateMsgId);
  small.reset(42);
  EXPECT_TRUE(small.check(msg(msg_id_at(kNow, 1)), {}).ok());
}

TEST_F(InboundCheckerTest, ClientMessagesOnTheServerSide) {
  InboundChecker server(clock_, InboundPolicy{.sender = Sender::kClient});
  server.reset(42);
  EXPECT_TRUE(server.check(msg(msg_id_at(kNow, 4)), {}).ok());
  EXPECT_EQ(server.check(msg(msg_id_at(kNow, 5)), {}).error(), InboundErrc::kBadMsgIdParity);
}

TEST_F(InboundCheckerTest, ServiceMessagesAreExemptWhereTheyMustBe) {
  tl::Writer w;
  tl::BadServerSalt{1, 2, 48, 3}.serialize(w);
  auto o = InboundChecker::options_for(w.data());
  EXPECT_FALSE(o.check_time);
  EXPECT_FALSE(o.check_salt);
  tl::Writer p;
  tl::Pong{1, 2}.serialize(p);
  o = InboundChecker::options_for(p.data());
  EXPECT_TRUE(o.check_time);
  EXPECT_TRUE(o.check_salt);
  EXPECT_TRUE(InboundChecker::options_for({}).check_time);
}

}  // namespace
}  // namespace hqadz::telegram::mtproto
