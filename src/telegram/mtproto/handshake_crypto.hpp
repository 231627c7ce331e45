#pragma once
/// The symmetric pieces of the key exchange (core.telegram.org/mtproto/auth_key, steps 5-9):
/// the temporary AES key from the nonces, SHA1-prefixed IGE payloads, new_nonce hashes.

#include <array>
#include <cstdint>

#include "core/result.hpp"
#include "telegram/mtproto/auth_key.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

struct TmpAesKey {
  std::array<std::uint8_t, 32> key;
  std::array<std::uint8_t, 32> iv;
};

/// key = SHA1(new_nonce + server_nonce) + SHA1(server_nonce + new_nonce)[0:12];
/// iv = SHA1(server_nonce + new_nonce)[12:20] + SHA1(new_nonce + new_nonce) + new_nonce[0:4].
TmpAesKey tmp_aes_from_nonces(const tl::Int128& server_nonce, const tl::Int256& new_nonce);

/// AES-IGE(SHA1(data) + data + padding to 16): server_DH_inner_data and client_DH_inner_data.
core::Result<tl::Bytes> encrypt_with_sha1(tl::ByteSpan data, const TmpAesKey& aes, Random& random);
/// IGE-decrypts such a payload; the result still starts with the SHA1 (see sha1_prefix_ok).
core::Result<tl::Bytes> decrypt_tmp(tl::ByteSpan encrypted, const TmpAesKey& aes);
/// True if `decrypted` = SHA1(x) + x + fewer than 16 padding bytes, with x its next
/// `object_size` bytes (the size of the TL object parsed from decrypted[20:]).
bool sha1_prefix_ok(tl::ByteSpan decrypted, std::size_t object_size);

/// new_nonce_hash{1,2,3} = SHA1(new_nonce + number + aux_hash(auth_key))[4:20].
tl::Int128 new_nonce_hash(const tl::Int256& new_nonce, std::uint8_t number, const AuthKey& key);

}  // namespace hqadz::telegram::mtproto
