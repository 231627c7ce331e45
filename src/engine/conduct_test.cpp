// The reactions table (DESIGN section 5, issue 15 point 3), one row per kind: what a reply does
// to the slot, the account, the group and the adbot.
#include "engine/conduct.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace hqadz::engine {
namespace {

using telegram::ErrorKind;
using telegram::RpcError;

struct Row {
  ErrorKind kind;
  int code;
  const char* name;
  About about;
  // What must follow.
  std::optional<std::string> outcome;
  const char* event;
  std::optional<std::string> status;
  bool stop_lane;
  bool admin;
  bool owner;
  std::optional<std::string> group_state;
  bool retry;
  bool stop_adbot;
  bool no_joins;
  bool strike;
};

constexpr About G = About::kGroup;
constexpr About S = About::kSource;
const std::optional<std::string> kNone;

// clang-format off
const Row kTable[] = {
  // kind                             code  name                        about outcome     event               status     lane   admin  owner  group state           retry  stop   nojoin strike
  {ErrorKind::kDelivered,             400, "RANDOM_ID_DUPLICATE",       G, "SENT",    "SENT",             kNone,     false, false, false, kNone,                false, false, false, false},
  {ErrorKind::kTransient,            -503, "Timeout",                   G, kNone,     "RETRY",            kNone,     false, false, false, kNone,                true,  false, false, false},
  {ErrorKind::kAccountWait,           420, "FLOOD_WAIT_30",             G, kNone,     "FLOOD_WAIT",       kNone,     false, false, false, kNone,                false, false, false, false},
  {ErrorKind::kAccountWait,           420, "FLOOD_WAIT_7200",           G, kNone,     "FLOOD_WAIT",       "COOLING", true,  true,  false, kNone,                false, false, false, false},
  {ErrorKind::kAccountLimited,        400, "PEER_FLOOD",                G, "FAILED",  "LIMITED",          "LIMITED", true,  true,  true,  kNone,                false, false, false, false},
  {ErrorKind::kAccountLimited,        400, "USER_BANNED_IN_CHANNEL",    G, "FAILED",  "LIMITED",          "LIMITED", true,  true,  true,  kNone,                false, false, false, false},
  {ErrorKind::kAccountLimited,        406, "USER_RESTRICTED",           S, "FAILED",  "LIMITED",          "LIMITED", true,  true,  true,  kNone,                false, false, false, false},
  {ErrorKind::kAccountFrozen,         420, "FROZEN_METHOD_INVALID",     G, "FAILED",  "FROZEN",           "FROZEN",  true,  true,  true,  kNone,                false, false, false, false},
  {ErrorKind::kAccountBanned,         401, "USER_DEACTIVATED_BAN",      G, "FAILED",  "BANNED",           "BANNED",  true,  true,  true,  kNone,                false, false, false, false},
  {ErrorKind::kAccountDead,           401, "SESSION_EXPIRED",           G, "FAILED",  "DEAD",             "DEAD",    true,  true,  true,  kNone,                false, false, false, false},
  {ErrorKind::kAccountDead,           401, "AUTH_KEY_UNREGISTERED",     S, "FAILED",  "DEAD",             "DEAD",    true,  true,  true,  kNone,                false, false, false, false},
  {ErrorKind::kAccountNoJoins,        400, "CHANNELS_TOO_MUCH",         G, "SKIPPED", "NO_JOINS",         kNone,     false, true,  false, kNone,                false, false, true,  false},
  {ErrorKind::kGroupWait,             420, "SLOWMODE_WAIT_5",           G, kNone,     "SLOWMODE",         kNone,     false, false, false, kNone,                false, false, false, false},
  {ErrorKind::kGroupForbidden,        403, "CHAT_WRITE_FORBIDDEN",      G, "DROPPED", "WRITE_FORBIDDEN",  kNone,     false, false, false, "DROPPED",            false, false, false, false},
  {ErrorKind::kGroupForbidden,        400, "TOPIC_CLOSED",              G, "DROPPED", "WRITE_FORBIDDEN",  kNone,     false, false, false, "DROPPED",            false, false, false, false},
  {ErrorKind::kGroupForbidden,        403, "CHAT_SEND_PHOTOS_FORBIDDEN",G, "DROPPED", "WRITE_FORBIDDEN",  kNone,     false, false, false, "DROPPED",            false, false, false, false},
  {ErrorKind::kGroupInvalid,          400, "PEER_ID_INVALID",           G, "DROPPED", "INVALID_GROUP",    kNone,     false, false, false, "DROPPED",            false, false, false, false},
  {ErrorKind::kGroupAwaitingApproval, 400, "INVITE_REQUEST_SENT",       G, "SKIPPED", "AWAITING_APPROVAL",kNone,     false, false, false, "AWAITING_APPROVAL",  false, false, false, false},
  {ErrorKind::kInviteInvalid,         400, "INVITE_HASH_EXPIRED",       G, "DROPPED", "INVITE_INVALID",   kNone,     false, false, false, "DROPPED",            false, false, false, false},
  {ErrorKind::kSourceProtected,       400, "CHAT_FORWARDS_RESTRICTED",  G, "FAILED",  "SOURCE_PROTECTED", kNone,     false, false, false, kNone,                false, true,  false, false},
  {ErrorKind::kSourceMissing,         400, "MESSAGE_ID_INVALID",        G, "FAILED",  "POST_MISSING",     kNone,     false, false, false, kNone,                false, true,  false, false},
  {ErrorKind::kOther,                 400, "SOMETHING_NEW",             G, "FAILED",  "ERROR",            kNone,     false, false, false, kNone,                false, false, false, true},
  {ErrorKind::kOther,                 403, "SOMETHING_NEWER",           G, "FAILED",  "ERROR",            kNone,     false, false, false, kNone,                false, false, false, true},
  {ErrorKind::kOther,                 500, "ODD",                       G, "FAILED",  "ERROR",            kNone,     false, false, false, kNone,                false, false, false, false},
  // On the post's channel, what would drop a group stops the adbot.
  {ErrorKind::kGroupForbidden,        400, "CHANNEL_PRIVATE",           S, "FAILED",  "POST_MISSING",     kNone,     false, false, false, kNone,                false, true,  false, false},
  {ErrorKind::kGroupInvalid,          400, "USERNAME_NOT_OCCUPIED",     S, "FAILED",  "POST_MISSING",     kNone,     false, false, false, kNone,                false, true,  false, false},
  {ErrorKind::kGroupForbidden,        403, "CHAT_WRITE_FORBIDDEN",      S, "FAILED",  "SOURCE_UNREACHABLE",kNone,    false, false, false, kNone,                false, true,  false, false},
  {ErrorKind::kOther,                 400, "SOMETHING_NEW",             S, "FAILED",  "SOURCE_UNREACHABLE",kNone,    false, false, false, kNone,                false, true,  false, false},
  {ErrorKind::kSourceMissing,         400, "USERNAME_NOT_OCCUPIED",     S, "FAILED",  "POST_MISSING",     kNone,     false, false, false, kNone,                false, true,  false, false},
  {ErrorKind::kTransient,             500, "INTERNAL",                  S, kNone,     "RETRY",            kNone,     false, false, false, kNone,                true,  false, false, false},
};
// clang-format on

class ReactionTable : public ::testing::TestWithParam<Row> {};

TEST_P(ReactionTable, EachKindHasItsScopeAndReaction) {
  const Row& row = GetParam();
  const int seconds = std::string(row.name).rfind("FLOOD_WAIT_7200", 0) == 0 ? 7200
                      : std::string(row.name).rfind("FLOOD_WAIT", 0) == 0     ? 30
                      : std::string(row.name).rfind("SLOWMODE", 0) == 0       ? 5
                                                                              : 0;
  const Reaction r = react_error(RpcError{row.kind, row.code, row.name, seconds}, row.about);
  SCOPED_TRACE(row.name);
  EXPECT_EQ(r.outcome, row.outcome);
  EXPECT_EQ(r.event_kind, row.event);
  EXPECT_EQ(r.session_status, row.status);
  EXPECT_EQ(r.stop_lane, row.stop_lane);
  EXPECT_EQ(r.notify_admin, row.admin);
  EXPECT_EQ(r.notify_owner, row.owner);
  EXPECT_EQ(r.group_state, row.group_state);
  EXPECT_EQ(r.retry, row.retry);
  EXPECT_EQ(r.stop_adbot, row.stop_adbot);
  EXPECT_EQ(r.no_joins, row.no_joins);
  EXPECT_EQ(r.strike, row.strike);
  EXPECT_FALSE(r.carry) << "only the driver carries a slot to the next cycle";
  EXPECT_FALSE(r.group_invalid) << "a group kind is for this account only";
  if (row.status == std::optional<std::string>("LIMITED")) {
    EXPECT_GE(r.session_pause_seconds, 24 * 3600);
  }
  if (row.kind == ErrorKind::kAccountWait) {
    EXPECT_EQ(r.session_pause_seconds, seconds) << "no send before the wait has ended";
  }
  // What a customer reads is a plain sentence, never Telegram's name for it (a retry's log line
  // may say what Telegram answered).
  if (!r.retry) {
    EXPECT_EQ(r.detail.find(row.name), std::string::npos) << r.detail;
    EXPECT_FALSE(std::regex_search(r.detail, std::regex("[A-Z]+_[A-Z_]+"))) << r.detail;
  }
  EXPECT_FALSE(r.detail.empty());
  if (row.status && *row.status != "COOLING") {
    EXPECT_NE(r.admin_detail.find(row.name), std::string::npos)
        << "the operator is told what Telegram said: " << r.admin_detail;
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, ReactionTable, ::testing::ValuesIn(kTable));

TEST(Reactions, ADeliveredForwardIsSent) {
  const Reaction r = react(telegram::Outcome<int32_t>(42));
  EXPECT_EQ(r.outcome, std::optional<std::string>("SENT"));
  EXPECT_EQ(r.event_kind, "SENT");
}

TEST(Reactions, TheSourceProtectedReasonIsTheOneCustomersRead) {
  const Reaction r =
      react_error(RpcError{ErrorKind::kSourceProtected, 400, "CHAT_FORWARDS_RESTRICTED", 0});
  EXPECT_EQ(r.detail, "this post cannot be forwarded: its channel restricts forwarding");
  const Reaction a =
      react_error(RpcError{ErrorKind::kGroupAwaitingApproval, 400, "INVITE_REQUEST_SENT", 0});
  EXPECT_EQ(a.detail, "waiting for the group's admins to approve the join request");
}

}  // namespace
}  // namespace hqadz::engine
