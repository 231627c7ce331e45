#pragma once
/// Serializes TL values (little-endian, 4-byte aligned) into a growing buffer.

#include <cstdint>
#include <string_view>
#include <utility>

#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::tl {

/// Not thread-safe; one writer per message being built.
class Writer {
 public:
  /// The largest `string`/`bytes` TL can encode (3-byte length).
  static constexpr std::size_t kMaxBytesLength = (1u << 24) - 1;

  void write_int(std::int32_t v) { write_uint32(static_cast<std::uint32_t>(v)); }
  void write_uint32(std::uint32_t v);
  void write_long(std::int64_t v);
  void write_double(double v);
  void write_int128(const Int128& v) { write_raw(v); }
  void write_int256(const Int256& v) { write_raw(v); }
  /// TL `string`/`bytes`: length prefix, data, zero padding to 4. A value over
  /// kMaxBytesLength is written truncated and clears ok().
  void write_bytes(ByteSpan v);
  void write_string(std::string_view v) { write_bytes(as_bytes(v)); }
  void write_raw(ByteSpan v) { buf_.insert(buf_.end(), v.begin(), v.end()); }

  /// False if a value could not be encoded (see write_bytes).
  bool ok() const { return ok_; }
  const Bytes& data() const { return buf_; }
  Bytes take() { return std::move(buf_); }

 private:
  Bytes buf_;
  bool ok_ = true;
};

}  // namespace hqadz::telegram::tl
