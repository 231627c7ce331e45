#pragma once
/// Factorization of the key exchange's pq (a product of two 32-bit primes) by Pollard's rho
/// with Brent's cycle detection.

#include <cstdint>
#include <optional>
#include <utility>

#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

/// {p, q} with p <= q and p * q == pq, or nullopt if pq has no nontrivial factor found.
std::optional<std::pair<std::uint64_t, std::uint64_t>> factorize_pq(std::uint64_t pq);

/// pq arrives as a big-endian TL string; nullopt if it is empty or longer than 8 bytes.
std::optional<std::uint64_t> pq_from_bytes(tl::ByteSpan be);

}  // namespace hqadz::telegram::mtproto
