#pragma once
/// Hashes and MACs: SHA-256, HMAC-SHA256/512, and argon2id for access codes (libsodium).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hqadz::crypto {

std::string sha256(std::string_view data);  // 32 raw bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string hmac_sha512(std::string_view key, std::string_view data);  // 64 raw bytes

struct Argon2Params {
  uint64_t ops = 2;                 // OWASP's m=19 MiB, t=2 profile
  size_t mem_bytes = 19u << 20;
};

/// argon2id in libsodium's self-describing string form ("$argon2id$v=19$m=...").
core::Result<std::string> argon2id_hash(std::string_view secret, const Argon2Params& params);
/// True when `secret` matches `encoded`; false for a mismatch or a malformed hash.
bool argon2id_verify(std::string_view encoded, std::string_view secret);

}  // namespace hqadz::crypto
