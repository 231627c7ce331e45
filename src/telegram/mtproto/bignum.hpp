#pragma once
/// Big-endian unsigned integer helpers over OpenSSL BIGNUM, for RSA and Diffie-Hellman.

#include <cstdint>

#include "core/result.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

/// base^exponent mod modulus, left-padded with zeros to the modulus' byte length.
core::Result<tl::Bytes> mod_pow(tl::ByteSpan base, tl::ByteSpan exponent, tl::ByteSpan modulus);
/// -1, 0, 1 as a <, ==, > b (numerically, leading zeros ignored).
int compare_be(tl::ByteSpan a, tl::ByteSpan b);
/// Minimal big-endian encoding of v (no leading zeros; "0" is one zero byte).
tl::Bytes be_bytes(std::uint64_t v);

}  // namespace hqadz::telegram::mtproto
