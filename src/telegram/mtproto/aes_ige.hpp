#pragma once
/// AES-256-IGE as MTProto uses it: iv[0:16] is the previous ciphertext block, iv[16:32] the
/// previous plaintext block (OpenSSL's AES_ige_encrypt convention, built on EVP ECB).

#include "core/result.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

/// Errors: key not 32 bytes, iv not 32 bytes, data not a multiple of 16 bytes.
core::Result<tl::Bytes> aes_ige_encrypt(tl::ByteSpan key, tl::ByteSpan iv, tl::ByteSpan data);
core::Result<tl::Bytes> aes_ige_decrypt(tl::ByteSpan key, tl::ByteSpan iv, tl::ByteSpan data);

}  // namespace hqadz::telegram::mtproto
