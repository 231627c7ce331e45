// The error table (issue 15 point 2), one row per name it lists, with the codes Telegram sends
// (mtcute's raw-errors.json, Telethon 1.25.1's errors.csv, and the trackers for newer ones).
#include <gtest/gtest.h>

#include <set>

#include "telegram/client/rpc_errors.hpp"

namespace hqadz::telegram {
namespace {

using K = ErrorKind;

struct Row {
  int code;
  const char* name;
  ErrorKind target;  // about a group the post is sent to
  ErrorKind source;  // about the post's channel
  int seconds = 0;
};

// Most names mean the same for both subjects.
Row same(int code, const char* name, ErrorKind kind, int seconds = 0) {
  return {code, name, kind, kind, seconds};
}

const Row kRows[] = {
    same(420, "FLOOD_WAIT_30", K::kAccountWait, 30),
    same(420, "FLOOD_WAIT_0", K::kAccountWait, 1),  // X = 0 reads as a moment
    same(420, "FLOOD_PREMIUM_WAIT_7", K::kAccountWait, 7),
    same(420, "FLOOD_TEST_PHONE_WAIT_9", K::kAccountWait, 9),
    same(420, "2FA_CONFIRM_WAIT_604800", K::kAccountWait, 604800),
    same(420, "SLOWMODE_WAIT_15", K::kGroupWait, 15),
    same(400, "PEER_FLOOD", K::kAccountLimited),
    same(400, "USER_BANNED_IN_CHANNEL", K::kAccountLimited),
    same(403, "USER_RESTRICTED", K::kAccountLimited),
    same(406, "USER_RESTRICTED", K::kAccountLimited),
    same(420, "FROZEN_METHOD_INVALID", K::kAccountFrozen),
    same(406, "FROZEN_METHOD_INVALID", K::kAccountFrozen),
    same(400, "FROZEN_PARTICIPANT_MISSING", K::kAccountFrozen),
    same(403, "FROZEN_SOMETHING_NEWER", K::kAccountFrozen),
    same(401, "USER_DEACTIVATED", K::kAccountBanned),
    same(401, "USER_DEACTIVATED_BAN", K::kAccountBanned),
    same(401, "SESSION_EXPIRED", K::kAccountDead),
    same(401, "SESSION_REVOKED", K::kAccountDead),
    same(401, "AUTH_KEY_UNREGISTERED", K::kAccountDead),
    same(401, "AUTH_KEY_INVALID", K::kAccountDead),
    same(401, "AUTH_KEY_PERM_EMPTY", K::kAccountDead),
    same(406, "AUTH_KEY_DUPLICATED", K::kAccountDead),
    same(400, "CHANNELS_TOO_MUCH", K::kAccountNoJoins),
    same(403, "CHAT_WRITE_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_PLAIN_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_MEDIA_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_GIFS_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_STICKERS_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_POLL_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_PHOTOS_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_VIDEOS_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_DOCS_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_AUDIOS_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_VOICES_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_SEND_ROUNDVIDEOS_FORBIDDEN", K::kGroupForbidden),
    same(400, "CHAT_SEND_INLINE_FORBIDDEN", K::kGroupForbidden),
    same(400, "CHAT_RESTRICTED", K::kGroupForbidden),
    same(400, "TOPIC_CLOSED", K::kGroupForbidden),
    same(400, "CHAT_ADMIN_REQUIRED", K::kGroupForbidden),
    same(403, "CHAT_GUEST_SEND_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHAT_FORBIDDEN", K::kGroupForbidden),
    same(403, "CHANNEL_PUBLIC_GROUP_NA", K::kGroupForbidden),
    {400, "CHANNEL_PRIVATE", K::kGroupForbidden, K::kSourceMissing},
    {400, "USER_NOT_PARTICIPANT", K::kGroupForbidden, K::kSourceMissing},
    {400, "PEER_ID_INVALID", K::kGroupInvalid, K::kSourceMissing},
    {400, "CHAT_ID_INVALID", K::kGroupInvalid, K::kSourceMissing},
    {400, "CHANNEL_INVALID", K::kGroupInvalid, K::kSourceMissing},
    {400, "USERNAME_NOT_OCCUPIED", K::kGroupInvalid, K::kSourceMissing},
    {400, "USERNAME_INVALID", K::kGroupInvalid, K::kSourceMissing},
    same(400, "TOPIC_DELETED", K::kGroupInvalid),
    same(400, "INVITE_REQUEST_SENT", K::kGroupAwaitingApproval),
    same(400, "INVITE_HASH_EXPIRED", K::kInviteInvalid),
    same(400, "INVITE_HASH_INVALID", K::kInviteInvalid),
    same(400, "CHAT_FORWARDS_RESTRICTED", K::kSourceProtected),
    same(406, "CHAT_FORWARDS_RESTRICTED", K::kSourceProtected),
    same(400, "MESSAGE_ID_INVALID", K::kSourceMissing),
    same(400, "USER_ALREADY_PARTICIPANT", K::kDelivered),
    same(500, "RANDOM_ID_DUPLICATE", K::kDelivered),
    same(400, "RANDOM_ID_DUPLICATE", K::kDelivered),
    same(-500, "No workers running", K::kTransient),
    same(-503, "Timeout", K::kTransient),
    same(-503, "Timedout", K::kTransient),
    same(500, "TIMEOUT", K::kTransient),
    same(0, "Timeout", K::kTransient),
    same(500, "RPC_CALL_FAIL", K::kTransient),
    same(500, "RPC_MCGET_FAIL", K::kTransient),
    same(500, "WORKER_BUSY_TOO_LONG_RETRY", K::kTransient),
    same(500, "INTERDC_2_CALL_ERROR", K::kTransient),
    same(500, "INTERDC_4_CALL_RICH_ERROR", K::kTransient),
    same(400, "INTERDC_2_CALL_ERROR", K::kTransient),  // the name decides, whatever the code
    same(500, "INTERNAL", K::kTransient),
    same(503, "SOMETHING_NEW", K::kTransient),
    same(-504, "SOMETHING_NEW", K::kTransient),
    // Unknown names fall back by code.
    same(401, "SOMETHING_NEW", K::kAccountDead),
    same(401, "ACTIVE_USER_REQUIRED", K::kAccountDead),
    same(420, "FLOOD_WAIT_X", K::kAccountLimited),  // a 420 without seconds
    same(420, "SOMETHING_NEW", K::kAccountLimited),
    same(406, "SOMETHING_NEW", K::kAccountLimited),
    same(400, "SOMETHING_NEW", K::kOther),
    same(403, "SOMETHING_NEW", K::kOther),
    same(303, "USER_MIGRATE_4", K::kOther),
};

TEST(RpcErrors, ClassifiesEveryNameOfTheTable) {
  for (const auto& r : kRows) {
    EXPECT_EQ(kind_name(classify(r.code, r.name, Subject::kTarget)), kind_name(r.target))
        << r.code << " " << r.name;
    EXPECT_EQ(kind_name(classify(r.code, r.name, Subject::kSource)), kind_name(r.source))
        << r.code << " " << r.name << " (source)";
    auto e = rpc_error_from(r.code, r.name);
    EXPECT_EQ(e.kind, r.target) << r.name;
    EXPECT_EQ(e.code, r.code);
    EXPECT_EQ(e.name, r.name);
    EXPECT_EQ(e.seconds, r.seconds) << r.name;
    EXPECT_EQ(kind_for(e, Subject::kSource), r.source) << r.name;
  }
}

TEST(RpcErrors, KindNamesAreStableAndDistinct) {
  std::set<std::string_view> names;
  for (int k = 0; k <= static_cast<int>(K::kOther); ++k) {
    names.insert(kind_name(static_cast<ErrorKind>(k)));
  }
  EXPECT_EQ(names.size(), 16u);
  EXPECT_EQ(kind_name(K::kDelivered), "DELIVERED");
  EXPECT_EQ(kind_name(K::kAccountNoJoins), "ACCOUNT_NO_JOINS");
  EXPECT_EQ(kind_name(K::kGroupAwaitingApproval), "GROUP_AWAITING_APPROVAL");
  EXPECT_EQ(kind_name(K::kOther), "OTHER");
}

TEST(RpcErrors, PredicatesAndMigrations) {
  EXPECT_TRUE(is_not_participant(rpc_error_from(400, "CHANNEL_PRIVATE")));
  EXPECT_TRUE(is_not_participant(rpc_error_from(400, "USER_NOT_PARTICIPANT")));
  EXPECT_FALSE(is_not_participant(rpc_error_from(403, "CHAT_WRITE_FORBIDDEN")));
  EXPECT_EQ(transient_error("closed").kind, K::kTransient);
  EXPECT_EQ(migrate_dc(rpc_error_from(303, "USER_MIGRATE_4")), 4);
  EXPECT_FALSE(migrate_dc(rpc_error_from(400, "USER_MIGRATE_4")));
}

}  // namespace
}  // namespace hqadz::telegram
