#pragma once
/// Message-level pieces of MTProto shared by the client and tgsim: unencrypted (key
/// exchange) messages, msg_container, gzip_packed, and msg_id generation. Pure functions and
/// small single-owner classes; all input is untrusted and bounds-checked.

#include <cstdint>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram {

/// auth_key_id 0 | msg_id | length | body.
tl::Bytes wrap_plain(std::int64_t msg_id, tl::ByteSpan body);
struct PlainEnvelope {
  std::int64_t msg_id = 0;
  tl::Bytes body;
};
/// Errors: "bad_plain_message" (not an unencrypted message, or a length that does not fit).
core::Result<PlainEnvelope> unwrap_plain(tl::ByteSpan payload);
/// The first 8 bytes as the little-endian auth_key_id (0 for unencrypted messages).
std::int64_t payload_auth_key_id(tl::ByteSpan payload);

/// One message inside a container (or a whole message before encryption).
struct InnerMessage {
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
  tl::Bytes body;
};
/// The boxed msg_container of `messages`.
tl::Bytes build_container(const std::vector<InnerMessage>& messages);
/// Parses a boxed msg_container (id included). At most 1024 messages.
core::Result<std::vector<InnerMessage>> parse_container(tl::ByteSpan body);

/// The boxed gzip_packed of `data`.
tl::Bytes gzip_pack(tl::ByteSpan data);
/// Inflates a boxed gzip_packed (id included), refusing output beyond `max_output` bytes.
core::Result<tl::Bytes> gzip_unpack(tl::ByteSpan body, std::size_t max_output = 16u << 20);

/// The constructor id a body starts with (0 if shorter than 4 bytes).
std::uint32_t constructor_of(tl::ByteSpan body);

/// Strictly increasing msg_ids from (corrected) wall-clock time. Not thread-safe.
class MsgIdSource {
 public:
  enum class Kind {
    kClient,          // multiple of 4
    kServerResponse,  // ≡ 1 mod 4
    kServerOther,     // ≡ 3 mod 4
  };
  explicit MsgIdSource(const core::Clock& clock) : clock_(clock) {}
  std::int64_t next(Kind kind);
  /// Peer time minus ours, in seconds (from the key exchange or bad_msg_notification).
  /// Ids restart from the corrected clock (as Telethon does): ids made from a wrong clock must
  /// not hold the next ones in the future.
  void set_time_offset(std::int64_t seconds) {
    offset_s_ = seconds;
    last_ = 0;
  }
  std::int64_t time_offset() const { return offset_s_; }
  /// Our corrected time, in seconds.
  std::int64_t now_seconds() const;

 private:
  const core::Clock& clock_;
  std::int64_t offset_s_ = 0;
  std::int64_t last_ = 0;
};

}  // namespace hqadz::telegram
