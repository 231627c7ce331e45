#include "telegram/tl/writer.hpp"

#include <cstring>

namespace hqadz::telegram::tl {

void Writer::write_uint32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    buf_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
}

void Writer::write_long(std::int64_t v) {
  auto u = static_cast<std::uint64_t>(v);
  for (int i = 0; i < 8; ++i) {
    buf_.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
  }
}

void Writer::write_double(double v) {
  std::uint64_t u = 0;
  static_assert(sizeof(u) == sizeof(v));
  std::memcpy(&u, &v, sizeof(u));
  write_long(static_cast<std::int64_t>(u));
}

void Writer::write_bytes(ByteSpan v) {
  if (v.size() > kMaxBytesLength) {
    ok_ = false;
    v = v.first(kMaxBytesLength);
  }
  std::size_t header = 1;
  if (v.size() < 254) {
    buf_.push_back(static_cast<std::uint8_t>(v.size()));
  } else {
    header = 4;
    buf_.push_back(254);
    for (int i = 0; i < 3; ++i) {
      buf_.push_back(static_cast<std::uint8_t>(v.size() >> (8 * i)));
    }
  }
  write_raw(v);
  std::size_t pad = (4 - (header + v.size()) % 4) % 4;
  buf_.insert(buf_.end(), pad, 0);
}

}  // namespace hqadz::telegram::tl
