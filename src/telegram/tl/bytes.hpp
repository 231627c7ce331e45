#pragma once
/// Value types shared by the TL runtime and generated code.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hqadz::telegram::tl {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

/// int128/int256 travel as little-endian byte strings; we keep them as bytes.
using Int128 = std::array<std::uint8_t, 16>;
using Int256 = std::array<std::uint8_t, 32>;

inline ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// TL `string` fields holding binary data (pq, dh_prime, g_a) are std::string.
inline std::string as_string(ByteSpan b) { return {b.begin(), b.end()}; }

/// Lower-case hex, for tests and logs.
std::string to_hex(ByteSpan data);
/// Parses hex (either case, no separators); empty on a malformed string.
Bytes from_hex(std::string_view hex);

}  // namespace hqadz::telegram::tl
