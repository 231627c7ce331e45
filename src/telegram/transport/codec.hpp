#pragma once
/// MTProto transport framings as pure codecs: no sockets, bytes in → frames out, payload in →
/// bytes out (core.telegram.org/mtproto/mtproto-transports).
///
///   TCP full:      int32 len(payload + 12) | int32 seq | payload | uint32 crc32(all before)
///   intermediate:  tag ee ee ee ee once (client → server), then int32 len | payload
///
/// A frame whose payload is 4 bytes holding a negative int32 is the server's transport error
/// (-404 unknown auth key, -429 too many connections, -444 invalid DC); it comes out of next()
/// as CodecErrc::kServerError with that code. Every other error means the stream is broken and
/// the connection must be closed. Not thread-safe: one codec per connection, on its strand.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "telegram/tl/bytes.hpp"
#include "telegram/tl/expected.hpp"

namespace hqadz::telegram::transport {

enum class CodecErrc {
  kBadLength,     // a length field that cannot be right (too small, unaligned)
  kFrameTooLong,  // above the codec's payload cap
  kBadCrc,        // TCP full checksum mismatch
  kBadSeq,        // TCP full sequence number out of order
  kBadTag,        // intermediate stream not starting with its tag (server side)
  kServerError,   // the peer sent a transport error code
};
std::string_view to_string(CodecErrc e);

struct CodecError {
  CodecErrc errc = CodecErrc::kBadLength;
  std::int32_t server_code = 0;  // for kServerError: the negative code, e.g. -404

  bool operator==(const CodecError&) const = default;
};

/// Default cap on a frame's payload; Telegram's largest messages are about 1 MiB.
inline constexpr std::size_t kDefaultMaxPayload = 4u << 20;

enum class Role { kClient, kServer };

class Codec {
 public:
  virtual ~Codec() = default;

  /// The bytes to write for one payload (a multiple of 4 bytes).
  virtual tl::Bytes encode(tl::ByteSpan payload) = 0;
  /// The bytes to write for a transport error (server side), e.g. -404.
  tl::Bytes encode_error(std::int32_t code);
  /// Appends bytes read from the socket.
  void feed(tl::ByteSpan bytes);
  /// The next whole frame's payload; nullopt until enough bytes arrived; or an error.
  virtual Expected<std::optional<tl::Bytes>, CodecError> next() = 0;

 protected:
  tl::ByteSpan pending() const { return tl::ByteSpan(buf_).subspan(start_); }
  void consume(std::size_t n);
  /// A complete payload: a transport error if it is one, else the payload.
  static Expected<std::optional<tl::Bytes>, CodecError> deliver(tl::ByteSpan payload);

 private:
  tl::Bytes buf_;
  std::size_t start_ = 0;
};

class FullCodec final : public Codec {
 public:
  explicit FullCodec(std::size_t max_payload = kDefaultMaxPayload) : max_payload_(max_payload) {}
  tl::Bytes encode(tl::ByteSpan payload) override;
  Expected<std::optional<tl::Bytes>, CodecError> next() override;

 private:
  std::size_t max_payload_;
  std::int32_t send_seq_ = 0;
  std::int32_t recv_seq_ = 0;
};

class IntermediateCodec final : public Codec {
 public:
  explicit IntermediateCodec(Role role, std::size_t max_payload = kDefaultMaxPayload)
      : role_(role), max_payload_(max_payload) {}
  tl::Bytes encode(tl::ByteSpan payload) override;
  Expected<std::optional<tl::Bytes>, CodecError> next() override;

 private:
  Role role_;
  std::size_t max_payload_;
  bool tag_sent_ = false;
  bool tag_seen_ = false;
};

enum class Framing { kFull, kIntermediate };
std::unique_ptr<Codec> make_codec(Framing framing, Role role,
                                  std::size_t max_payload = kDefaultMaxPayload);

}  // namespace hqadz::telegram::transport
