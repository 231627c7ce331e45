#include "telegram/tl/reader.hpp"

#include <cstdio>
#include <cstring>

namespace hqadz::telegram::tl {

bool Reader::need(std::size_t n) {
  if (failed_) {
    return false;
  }
  if (n > remaining()) {
    fail("tl_truncated", "TL object ends early");
    return false;
  }
  return true;
}

void Reader::fail(std::string code, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_ = core::Error{core::Errc::kUnprocessable, std::move(code), std::move(message)};
  }
}

void Reader::fail_unknown_constructor(std::uint32_t id, std::string_view type_name) {
  char hex[16];
  std::snprintf(hex, sizeof(hex), "%08x", id);
  if (!failed_) {
    unknown_id_ = id;
  }
  fail("tl_unknown_constructor",
       "unexpected constructor #" + std::string(hex) + " for " + std::string(type_name));
}

std::uint32_t Reader::read_uint32() {
  if (!need(4)) {
    return 0;
  }
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<std::uint32_t>(data_[pos_ + i]) << (8 * i);
  }
  pos_ += 4;
  return v;
}

std::uint32_t Reader::peek_uint32() {
  auto start = pos_;
  auto v = read_uint32();
  pos_ = start;
  return v;
}

std::int64_t Reader::read_long() {
  if (!need(8)) {
    return 0;
  }
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
  }
  pos_ += 8;
  return static_cast<std::int64_t>(v);
}

double Reader::read_double() {
  auto u = static_cast<std::uint64_t>(read_long());
  double d = 0;
  std::memcpy(&d, &u, sizeof(d));
  return d;
}

Int128 Reader::read_int128() {
  Int128 v{};
  auto raw = read_raw(v.size());
  std::copy(raw.begin(), raw.end(), v.begin());
  return v;
}

Int256 Reader::read_int256() {
  Int256 v{};
  auto raw = read_raw(v.size());
  std::copy(raw.begin(), raw.end(), v.begin());
  return v;
}

ByteSpan Reader::read_raw(std::size_t n) {
  if (!need(n)) {
    return {};
  }
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

namespace {
// Reads the length prefix of a TL string; returns {header size, length} or {0, 0} on error.
std::pair<std::size_t, std::size_t> bytes_header(Reader& r) {
  auto first = r.read_raw(1);
  if (first.empty()) {
    return {0, 0};
  }
  if (first[0] < 254) {
    return {1, first[0]};
  }
  if (first[0] == 255) {
    r.fail("tl_bad_length", "TL string with length marker 255");
    return {0, 0};
  }
  auto len = r.read_raw(3);
  if (len.empty()) {
    return {0, 0};
  }
  return {4, static_cast<std::size_t>(len[0]) | static_cast<std::size_t>(len[1]) << 8 |
                 static_cast<std::size_t>(len[2]) << 16};
}
}  // namespace

Bytes Reader::read_bytes() {
  auto [header, len] = bytes_header(*this);
  if (failed_) {
    return {};
  }
  std::size_t padded = (header + len + 3) / 4 * 4 - header;
  auto raw = read_raw(padded);
  if (failed_) {
    return {};
  }
  return Bytes(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(len));
}

std::string Reader::read_string() {
  auto b = read_bytes();
  return std::string(b.begin(), b.end());
}

void Reader::skip_bytes() {
  auto [header, len] = bytes_header(*this);
  if (!failed_) {
    read_raw((header + len + 3) / 4 * 4 - header);
  }
}

std::uint32_t Reader::read_count(std::size_t min_element_size) {
  auto n = read_int();
  if (failed_) {
    return 0;
  }
  if (n < 0) {
    fail("tl_bad_length", "negative vector length");
    return 0;
  }
  auto count = static_cast<std::size_t>(n);
  std::size_t min_size = min_element_size == 0 ? 1 : min_element_size;
  if (count > remaining() / min_size) {
    fail("tl_bad_length", "vector length exceeds the data");
    return 0;
  }
  return static_cast<std::uint32_t>(count);
}

void Reader::expect_id(std::uint32_t expected, std::string_view type_name) {
  auto id = read_uint32();
  if (!failed_ && id != expected) {
    fail_unknown_constructor(id, type_name);
  }
}

bool Reader::enter() {
  if (++depth_ > kMaxDepth) {
    fail("tl_too_deep", "TL object nested too deeply");
    return false;
  }
  return true;
}

}  // namespace hqadz::telegram::tl
