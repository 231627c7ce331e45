#pragma once
/// Secrets at rest: XChaCha20-Poly1305 (libsodium) under the process's master key, with
/// additional data that binds a ciphertext to the row and column it belongs to (a ciphertext
/// copied into another row does not open there).
///
/// Sealed form: 1 version byte (1), 24-byte random nonce, ciphertext with its 16-byte tag.
/// The version byte leaves room for master-key rotation.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hqadz::crypto {

class MasterKey {
 public:
  static constexpr size_t kBytes = 32;

  /// From HQADZ_MASTER_KEY: base64 (standard or URL-safe) of exactly 32 bytes.
  /// Error "bad_master_key" otherwise (the message never echoes the value).
  static core::Result<MasterKey> from_base64(std::string_view text);
  /// From 32 raw bytes (a key file).
  static core::Result<MasterKey> from_bytes(std::string_view raw);

  MasterKey(const MasterKey& other) = default;
  MasterKey& operator=(const MasterKey& other) = default;
  ~MasterKey();  // wipes the key

  /// Encrypts `plaintext`, authenticating `ad` too. Thread-safe.
  std::string seal(std::string_view plaintext, std::string_view ad) const;
  /// Decrypts; error "decrypt_failed" (kInternal) for a wrong key, wrong `ad` or damaged data.
  core::Result<std::string> open(std::string_view sealed, std::string_view ad) const;

  /// seal() as base64 text (how the database stores secrets; TRAPS.md: no SOCI blobs).
  std::string seal_to_base64(std::string_view plaintext, std::string_view ad) const;
  core::Result<std::string> open_base64(std::string_view sealed_base64, std::string_view ad) const;

 private:
  MasterKey() = default;
  std::array<unsigned char, kBytes> key_{};
};

}  // namespace hqadz::crypto
