#pragma once
/// SHA-1 and SHA-256 over one or more byte ranges (OpenSSL EVP).

#include <array>
#include <cstdint>
#include <initializer_list>

#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

using Sha1 = std::array<std::uint8_t, 20>;
using Sha256 = std::array<std::uint8_t, 32>;

Sha1 sha1(std::initializer_list<tl::ByteSpan> parts);
Sha256 sha256(std::initializer_list<tl::ByteSpan> parts);

/// Constant-time equality of equal-length ranges (false if lengths differ).
bool equal_ct(tl::ByteSpan a, tl::ByteSpan b);

}  // namespace hqadz::telegram::mtproto
