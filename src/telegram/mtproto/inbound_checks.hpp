#pragma once
/// Session-level checks on a decrypted message (core.telegram.org/mtproto/security_guidelines
/// and Telethon's MTProtoState): session id, msg_id parity, time window, duplicates, salt.

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "telegram/mtproto/message_crypto.hpp"
#include "telegram/tl/expected.hpp"

namespace hqadz::telegram::mtproto {

enum class InboundErrc {
  kSessionMismatch,  // session_id is not ours: ignore the message
  kBadMsgIdParity,   // server ids are odd; client ids are multiples of 4
  kMsgIdTooOld,      // more than max_age behind (server) time
  kMsgIdTooNew,      // more than max_ahead ahead of (server) time
  kDuplicateMsgId,   // seen already, or older than everything remembered
  kSaltMismatch,     // not one of the accepted salts
};
std::string_view to_string(InboundErrc e);

struct InboundPolicy {
  Sender sender = Sender::kServer;  // who sent the messages being checked
  std::chrono::seconds max_age{300};
  std::chrono::seconds max_ahead{30};
  std::size_t remember = 500;  // msg_ids kept for duplicate detection
};

/// Per-session validator. Not thread-safe: one per connection, used on its strand.
class InboundChecker {
 public:
  struct Options {
    bool check_time = true;
    bool check_salt = true;
  };

  InboundChecker(const core::Clock& clock, InboundPolicy policy);

  /// A new session: expect this session id and forget the msg_ids seen.
  void reset(std::int64_t session_id);
  /// Peer clock minus ours, in seconds (learned from msg_ids, e.g. bad_msg_notification 16/17).
  void set_time_offset(std::int64_t seconds) { time_offset_ = seconds; }
  /// The salts a message may carry. While empty, the salt is not checked.
  void set_accepted_salts(std::vector<std::int64_t> salts) { salts_ = std::move(salts); }

  /// Checks `m` and, when it passes, remembers its msg_id.
  Expected<core::Unit, InboundErrc> check(const PlainMessage& m, Options options);

  /// Service messages the checks must let through although their time or salt is off:
  /// bad_server_salt, bad_msg_notification (time and salt) and new_session_created (salt).
  static Options options_for(tl::ByteSpan body);

 private:
  const core::Clock& clock_;
  InboundPolicy policy_;
  std::int64_t session_id_ = 0;
  std::int64_t time_offset_ = 0;
  std::vector<std::int64_t> salts_;
  // Sorted ascending, at most policy_.remember ids: 8 bytes an id where a std::set node cost 48
  // (64 ids: 512 bytes instead of ~3 KiB per connection).
  std::vector<std::int64_t> seen_;
};

}  // namespace hqadz::telegram::mtproto
