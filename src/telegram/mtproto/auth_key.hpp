#pragma once
/// A 2048-bit MTProto authorization key and the values derived from it.

#include <array>
#include <cstdint>

#include "core/result.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

/// Immutable; safe to share between threads.
class AuthKey {
 public:
  static constexpr std::size_t kSize = 256;
  using Raw = std::array<std::uint8_t, kSize>;

  /// Errors if `key` is not exactly 256 bytes.
  static core::Result<AuthKey> from_bytes(tl::ByteSpan key);

  const Raw& bytes() const { return key_; }
  /// auth_key_id: the low 64 bits of SHA1(key) (bytes 12..20, little-endian).
  std::uint64_t id() const { return id_; }
  /// SHA1(key)[0:8], used in the key exchange's new_nonce hashes.
  const std::array<std::uint8_t, 8>& aux_hash() const { return aux_hash_; }

 private:
  explicit AuthKey(const Raw& key);

  Raw key_{};
  std::uint64_t id_ = 0;
  std::array<std::uint8_t, 8> aux_hash_{};
};

}  // namespace hqadz::telegram::mtproto
