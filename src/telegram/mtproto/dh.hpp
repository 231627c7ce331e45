#pragma once
/// Diffie-Hellman checks of the MTProto key exchange (core.telegram.org/mtproto/auth_key,
/// "client checks"): a safe 2048-bit prime, a generator g with the quadratic-residue
/// condition, and g_a / g_b inside [2^(2048-64), p - 2^(2048-64)].

#include <cstdint>

#include "core/result.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

/// Errors unless dh_prime is a 2048-bit safe prime and g in 2..7 generates the subgroup of
/// order (p-1)/2. Costs two primality tests: callers cache a prime once it has passed.
core::Status check_dh_params(tl::ByteSpan dh_prime, std::int32_t g);

/// Errors unless 1 < value < p-1 and 2^1984 <= value <= p - 2^1984.
core::Status check_dh_value(tl::ByteSpan value, tl::ByteSpan dh_prime);

}  // namespace hqadz::telegram::mtproto
