#pragma once
/// Parsing what customers paste: the channel post to forward and the groups to post into.
/// Pure functions over untrusted text (fuzzed): no I/O, precise reasons for rejections.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hqadz::domain {

/// A post in a channel: https://t.me/<channel>/<id> or https://t.me/c/<channel id>/<id>.
struct PostLink {
  std::string username;    // lower-case, without '@'; empty for a private channel
  int64_t channel_id = 0;  // for t.me/c/ links (the bare id, not the -100 form)
  int32_t message_id = 0;
  /// Canonical form: "https://t.me/name/123" or "https://t.me/c/123456/7".
  std::string canonical() const;
};

core::Result<PostLink> parse_post_link(std::string_view text);

/// A group target in canonical form: "@name" (public, joinable) or "-100<id>" (by id: the
/// account must already be a member).
struct GroupTarget {
  std::string canonical;
  std::string username;    // set for "@name"
  int64_t channel_id = 0;  // set for "-100<id>" (bare id)
  bool by_username() const { return !username.empty(); }
};

/// Accepts "@name", "name", "t.me/name", "https://t.me/name", "https://t.me/name/123",
/// "https://t.me/c/<id>/<msg>", "-100<id>". Invite links are refused with a reason.
core::Result<GroupTarget> parse_group_target(std::string_view text);

/// Telegram usernames: 4–32 of [a-z0-9_], starting with a letter, not ending with '_'.
bool valid_username(std::string_view name);

struct RejectedTarget {
  std::string input;
  std::string reason;
};

struct GroupList {
  std::vector<GroupTarget> accepted;  // de-duplicated, in input order
  std::vector<RejectedTarget> rejected;
};

/// Parses every line/entry; duplicates (after normalization) are dropped silently.
GroupList parse_group_list(const std::vector<std::string>& entries);

}  // namespace hqadz::domain
