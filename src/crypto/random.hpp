#pragma once
/// Cryptographically secure randomness (libsodium). Thread-safe after crypto::init().

#include <cstdint>
#include <string>

namespace hqadz::crypto {

/// Initializes libsodium; call once at start (idempotent, thread-safe). Throws on failure.
void init();

std::string random_bytes(size_t n);
uint64_t random_u64();
/// Uniform in [lo, hi].
uint64_t random_between(uint64_t lo, uint64_t hi);
/// n random bytes as lowercase hex.
std::string random_hex(size_t n);

}  // namespace hqadz::crypto
