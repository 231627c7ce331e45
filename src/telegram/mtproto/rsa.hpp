#pragma once
/// RSA as the MTProto key exchange uses it: raw `m^e mod n` (no PKCS padding) under two
/// paddings, RSA_PAD (current) and the old SHA1 scheme. BN_mod_exp only (OpenSSL 3 deprecates
/// the RSA_* functions). The private-key side is for tgsim and tests.

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "telegram/mtproto/hashes.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto {

struct RsaPublicKey {
  tl::Bytes n;  // big-endian
  tl::Bytes e;  // big-endian

  /// PKCS#1 ("BEGIN RSA PUBLIC KEY", as Telegram publishes them) or SPKI ("BEGIN PUBLIC KEY").
  static core::Result<RsaPublicKey> from_pem(std::string_view pem);
  /// The low 64 bits of SHA1(tl_bytes(n) + tl_bytes(e)), as resPQ lists them.
  std::int64_t fingerprint() const;
};

struct RsaPrivateKey {
  RsaPublicKey pub;
  tl::Bytes d;  // big-endian

  /// PKCS#1 or PKCS#8 PEM.
  static core::Result<RsaPrivateKey> from_pem(std::string_view pem);
};

/// RSA_PAD: `data` (at most 144 bytes, a serialized p_q_inner_data_*) → 256 bytes.
core::Result<tl::Bytes> rsa_pad_encrypt(const RsaPublicKey& key, tl::ByteSpan data, Random& random);
/// Undoes rsa_pad_encrypt; returns the 192-byte data_with_padding once its hash checks.
core::Result<tl::Bytes> rsa_pad_decrypt(const RsaPrivateKey& key, tl::ByteSpan encrypted);

/// The old scheme: SHA1(data) + data + random to 255 bytes, then m^e mod n. data ≤ 235 bytes.
core::Result<tl::Bytes> rsa_old_encrypt(const RsaPublicKey& key, tl::ByteSpan data, Random& random);
/// The old scheme's block: the hash and the 235 bytes after it. The data length is only known
/// once the TL object in `rest` is parsed; verify with sha1 over that prefix.
struct OldRsaBlock {
  Sha1 hash;
  tl::Bytes rest;
};
core::Result<OldRsaBlock> rsa_old_decrypt(const RsaPrivateKey& key, tl::ByteSpan encrypted);

}  // namespace hqadz::telegram::mtproto
