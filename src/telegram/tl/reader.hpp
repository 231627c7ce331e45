#pragma once
/// Bounds-checked TL deserialization over a borrowed buffer.
///
/// Errors are sticky: the first failure (truncation, bad length, unknown constructor, too deep)
/// is recorded, later reads return zero values, and callers check failed() once at the end.
/// Generated parse() functions turn that into a core::Result. No length read from the wire is
/// trusted: every read is checked against the bytes that remain.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::tl {

class Reader {
 public:
  /// Nesting deeper than this fails (recursive types such as RichText are skippable).
  static constexpr int kMaxDepth = 64;

  explicit Reader(ByteSpan data) : data_(data) {}

  std::int32_t read_int() { return static_cast<std::int32_t>(read_uint32()); }
  std::uint32_t read_uint32();
  std::int64_t read_long();
  double read_double();
  Int128 read_int128();
  Int256 read_int256();
  Bytes read_bytes();
  std::string read_string();
  /// Skips a TL string/bytes value without copying it.
  void skip_bytes();
  /// A vector's element count, failing if `count * min_element_size` exceeds what remains.
  std::uint32_t read_count(std::size_t min_element_size);
  /// Reads a constructor id and fails unless it equals `expected`.
  void expect_id(std::uint32_t expected, std::string_view type_name);
  /// The next n bytes (empty span and failure if fewer remain).
  ByteSpan read_raw(std::size_t n);
  /// Everything that remains.
  ByteSpan read_rest() { return read_raw(remaining()); }
  /// The next uint32 without consuming it (0 and failure if fewer than 4 bytes remain).
  std::uint32_t peek_uint32();

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  ByteSpan consumed_since(std::size_t start) const { return data_.subspan(start, pos_ - start); }

  bool failed() const { return failed_; }
  const core::Error& error() const { return error_; }
  /// Records an error unless one is already recorded.
  void fail(std::string code, std::string message);
  void fail_unknown_constructor(std::uint32_t id, std::string_view type_name);
  /// The constructor id that failed the reader, when an unknown constructor did (0 otherwise):
  /// a newer layer's object, for the log.
  std::uint32_t unknown_constructor() const { return unknown_id_; }

  /// Depth guard for recursive reads: enter() fails the reader past kMaxDepth.
  bool enter();
  void leave() { --depth_; }

 private:
  bool need(std::size_t n);

  ByteSpan data_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  std::uint32_t unknown_id_ = 0;
  core::Error error_;
};

/// Wraps a reader's sticky state into a Result.
template <typename T>
core::Result<T> finish(Reader& r, T value) {
  if (r.failed()) {
    return r.error();
  }
  return value;
}

}  // namespace hqadz::telegram::tl
