#pragma once
/// tgsim's error injection: rules set through the control API (POST /errors) that make a method
/// answer a chosen rpc_error for a chosen account and/or group, a number of times or until
/// cleared. One mechanism models every reply the world's own rules do not produce (-503 storms,
/// FROZEN_METHOD_INVALID, SESSION_EXPIRED, an account-wide USER_BANNED_IN_CHANNEL,
/// CHANNELS_TOO_MUCH on joins, INVITE_REQUEST_SENT, CHAT_FORWARDS_RESTRICTED, an unknown 400...).
///
/// Not thread-safe: the World holds it under its own mutex.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hqadz::tgsim {

struct ErrorRule {
  std::int64_t id = 0;          // given by add()
  std::string method = "*";     // e.g. "messages.forwardMessages", "channels.joinChannel"; "*": any
                                // method but help.getConfig
  std::int64_t account = 0;     // 0: every account
  std::string group;            // "@name" (case-insensitive) or a chat id as digits; empty: any
  std::int32_t code = 400;      // the rpc_error's error_code (e.g. -503, 400, 420)
  std::string name;             // the rpc_error's error_message (e.g. "Timeout")
  int times = 0;                // answers left; 0 when added: until cleared
  bool until_cleared = false;   // set when `times` was 0 at add()
  /// messages.forwardMessages only: the forward is carried out first (delivered, when the
  /// world's rules allow it), then this error is answered instead of its result: Telegram's
  /// "delivered, then -503 Timeout".
  bool delivered = false;
  int hits = 0;                 // answers given so far
  std::vector<std::int64_t> hit_groups;  // the chat each answer was about (0: none)
};

/// What one request is about, for matching.
struct RequestSubject {
  std::string method;         // TL method name
  std::int64_t account = 0;
  std::int64_t chat_id = 0;   // the target group / channel, 0 when the request names none
  std::string chat_username;  // its username, or the username a resolveUsername asks for
};

class ErrorRules {
 public:
  /// Adds a rule; returns its id. Errors: an empty name (nullopt).
  std::optional<std::int64_t> add(ErrorRule rule);
  bool remove(std::int64_t id);
  void clear();
  const std::vector<ErrorRule>& rules() const { return rules_; }

  /// The first live rule matching `subject`, counted as answered (its `times` goes down); null
  /// when none. The pointer stays valid until the next call on this object.
  const ErrorRule* take(const RequestSubject& subject);

 private:
  std::vector<ErrorRule> rules_;
  std::int64_t next_id_ = 1;
};

}  // namespace hqadz::tgsim
