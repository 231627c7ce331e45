#include "telegram/transport/codec.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>

namespace hqadz::telegram::transport {
namespace {

constexpr std::array<std::uint8_t, 4> kIntermediateTag = {0xee, 0xee, 0xee, 0xee};

void put_u32(tl::Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
}

std::uint32_t get_u32(tl::ByteSpan b) {
  return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
         static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
}

std::uint32_t crc32_of(tl::ByteSpan b) {
  return static_cast<std::uint32_t>(crc32(0L, b.data(), static_cast<uInt>(b.size())));
}

}  // namespace

tl::Bytes Codec::encode_error(std::int32_t code) {
  tl::Bytes payload;
  put_u32(payload, static_cast<std::uint32_t>(code));
  return encode(payload);
}

void Codec::feed(tl::ByteSpan bytes) {
  // Drop what was consumed before growing, so the buffer holds about one frame.
  if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void Codec::consume(std::size_t n) {
  start_ += n;
  if (start_ == buf_.size()) {
    // Drained (a client's usual state between frames): give the capacity back, so an idle
    // connection holds no copy of its largest frame.
    buf_ = tl::Bytes();
    start_ = 0;
  }
}

Expected<std::optional<tl::Bytes>, CodecError> Codec::deliver(tl::ByteSpan payload) {
  if (payload.size() == 4) {
    auto code = static_cast<std::int32_t>(get_u32(payload));
    if (code < 0) {
      return CodecError{CodecErrc::kServerError, code};
    }
  }
  return std::optional<tl::Bytes>(tl::Bytes(payload.begin(), payload.end()));
}

tl::Bytes FullCodec::encode(tl::ByteSpan payload) {
  tl::Bytes out;
  out.reserve(payload.size() + 12);
  put_u32(out, static_cast<std::uint32_t>(payload.size() + 12));
  put_u32(out, static_cast<std::uint32_t>(send_seq_++));
  out.insert(out.end(), payload.begin(), payload.end());
  put_u32(out, crc32_of(out));
  return out;
}

Expected<std::optional<tl::Bytes>, CodecError> FullCodec::next() {
  auto buf = pending();
  if (buf.size() < 4) {
    return std::optional<tl::Bytes>();
  }
  std::uint32_t len = get_u32(buf);
  if (len < 16 || len % 4 != 0) {
    return CodecError{CodecErrc::kBadLength};
  }
  if (len - 12 > max_payload_) {
    return CodecError{CodecErrc::kFrameTooLong};
  }
  if (buf.size() < len) {
    return std::optional<tl::Bytes>();
  }
  auto frame = buf.first(len);
  if (crc32_of(frame.first(len - 4)) != get_u32(frame.subspan(len - 4))) {
    return CodecError{CodecErrc::kBadCrc};
  }
  if (static_cast<std::int32_t>(get_u32(frame.subspan(4))) != recv_seq_) {
    return CodecError{CodecErrc::kBadSeq};
  }
  ++recv_seq_;
  auto out = deliver(frame.subspan(8, len - 12));
  consume(len);  // after deliver: it may release the bytes `frame` points into
  return out;
}

tl::Bytes IntermediateCodec::encode(tl::ByteSpan payload) {
  tl::Bytes out;
  if (role_ == Role::kClient && !tag_sent_) {
    out.insert(out.end(), kIntermediateTag.begin(), kIntermediateTag.end());
    tag_sent_ = true;
  }
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Expected<std::optional<tl::Bytes>, CodecError> IntermediateCodec::next() {
  if (role_ == Role::kServer && !tag_seen_) {
    auto buf = pending();
    if (buf.size() < 4) {
      return std::optional<tl::Bytes>();
    }
    if (!std::equal(kIntermediateTag.begin(), kIntermediateTag.end(), buf.begin())) {
      return CodecError{CodecErrc::kBadTag};
    }
    consume(4);
    tag_seen_ = true;
  }
  auto buf = pending();
  if (buf.size() < 4) {
    return std::optional<tl::Bytes>();
  }
  std::uint32_t len = get_u32(buf);
  if (len < 4 || len % 4 != 0) {
    return CodecError{CodecErrc::kBadLength};
  }
  if (len > max_payload_) {
    return CodecError{CodecErrc::kFrameTooLong};
  }
  if (buf.size() - 4 < len) {
    return std::optional<tl::Bytes>();
  }
  auto out = deliver(buf.subspan(4, len));
  consume(4 + len);  // after deliver: it may release the bytes `buf` points into
  return out;
}

std::unique_ptr<Codec> make_codec(Framing framing, Role role, std::size_t max_payload) {
  if (framing == Framing::kIntermediate) {
    return std::make_unique<IntermediateCodec>(role, max_payload);
  }
  return std::make_unique<FullCodec>(max_payload);
}

std::string_view to_string(CodecErrc e) {
  switch (e) {
    case CodecErrc::kBadLength:
      return "bad_length";
    case CodecErrc::kFrameTooLong:
      return "frame_too_long";
    case CodecErrc::kBadCrc:
      return "bad_crc";
    case CodecErrc::kBadSeq:
      return "bad_seq";
    case CodecErrc::kBadTag:
      return "bad_tag";
    case CodecErrc::kServerError:
      return "server_error";
  }
  return "unknown";
}

}  // namespace hqadz::telegram::transport
