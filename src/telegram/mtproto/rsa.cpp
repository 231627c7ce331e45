#include "telegram/mtproto/rsa.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

#include "telegram/mtproto/aes_ige.hpp"
#include "telegram/mtproto/bignum.hpp"
#include "telegram/tl/writer.hpp"

namespace hqadz::telegram::mtproto {
namespace {

constexpr std::size_t kRsaSize = 256;
constexpr std::size_t kPadDataMax = 144;
constexpr std::size_t kPadDataSize = 192;
constexpr std::size_t kOldDataMax = 235;

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

core::Result<PkeyPtr> decode_pem(std::string_view pem, int selection) {
  EVP_PKEY* raw = nullptr;
  std::unique_ptr<OSSL_DECODER_CTX, decltype(&OSSL_DECODER_CTX_free)> ctx(
      OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA", selection, nullptr, nullptr),
      OSSL_DECODER_CTX_free);
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t len = pem.size();
  if (!ctx || OSSL_DECODER_from_data(ctx.get(), &data, &len) != 1 || raw == nullptr) {
    return core::Error::invalid("rsa_pem", "not an RSA key in PEM form");
  }
  return PkeyPtr(raw, EVP_PKEY_free);
}

core::Result<tl::Bytes> bn_param(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1 || raw == nullptr) {
    return core::Error::invalid("rsa_pem", "RSA key lacks a component");
  }
  std::unique_ptr<BIGNUM, decltype(&BN_clear_free)> bn(raw, BN_clear_free);
  tl::Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return out;
}

core::Result<RsaPublicKey> public_of(EVP_PKEY* pkey) {
  auto n = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N);
  auto e = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E);
  if (!n.ok() || !e.ok()) {
    return core::Error::invalid("rsa_pem", "RSA key lacks n or e");
  }
  if (n->size() != kRsaSize) {
    return core::Error::invalid("rsa_size", "MTProto needs a 2048-bit RSA key");
  }
  return RsaPublicKey{std::move(n).value(), std::move(e).value()};
}

// m^e mod n for a 256-byte m, refusing m >= n (it would not round-trip).
core::Result<tl::Bytes> raw_rsa(tl::ByteSpan m, tl::ByteSpan exponent, tl::ByteSpan n) {
  if (compare_be(m, n) >= 0) {
    return core::Error::invalid("rsa_range", "RSA input not below the modulus");
  }
  return mod_pow(m, exponent, n);
}

}  // namespace

core::Result<RsaPublicKey> RsaPublicKey::from_pem(std::string_view pem) {
  auto pkey = decode_pem(pem, EVP_PKEY_PUBLIC_KEY);
  if (!pkey.ok()) {
    return pkey.error();
  }
  return public_of(pkey->get());
}

std::int64_t RsaPublicKey::fingerprint() const {
  tl::Writer w;
  w.write_bytes(n);
  w.write_bytes(e);
  auto h = sha1({w.data()});
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<std::uint64_t>(h[12 + i]) << (8 * i);
  }
  return static_cast<std::int64_t>(v);
}

core::Result<RsaPrivateKey> RsaPrivateKey::from_pem(std::string_view pem) {
  auto pkey = decode_pem(pem, EVP_PKEY_KEYPAIR);
  if (!pkey.ok()) {
    return pkey.error();
  }
  auto pub = public_of(pkey->get());
  if (!pub.ok()) {
    return pub.error();
  }
  auto d = bn_param(pkey->get(), OSSL_PKEY_PARAM_RSA_D);
  if (!d.ok()) {
    return d.error();
  }
  return RsaPrivateKey{std::move(pub).value(), std::move(d).value()};
}

core::Result<tl::Bytes> rsa_pad_encrypt(const RsaPublicKey& key, tl::ByteSpan data,
                                        Random& random) {
  if (data.size() > kPadDataMax) {
    return core::Error::invalid("rsa_pad_data", "RSA_PAD data exceeds 144 bytes");
  }
  tl::Bytes with_padding(data.begin(), data.end());
  with_padding.resize(kPadDataSize);
  random.fill(std::span<std::uint8_t>(with_padding).subspan(data.size()));
  tl::Bytes reversed(with_padding.rbegin(), with_padding.rend());
  const std::array<std::uint8_t, 32> zero_iv{};
  // A temp_key that makes the block exceed n is redrawn; the odds are tiny, the bound is generous.
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::array<std::uint8_t, 32> temp_key{};
    random.fill(temp_key);
    auto hash = sha256({temp_key, with_padding});
    tl::Bytes data_with_hash = reversed;
    data_with_hash.insert(data_with_hash.end(), hash.begin(), hash.end());
    auto aes = aes_ige_encrypt(temp_key, zero_iv, data_with_hash);
    if (!aes.ok()) {
      return aes.error();
    }
    auto aes_hash = sha256({*aes});
    tl::Bytes block(32);
    for (std::size_t i = 0; i < 32; ++i) {
      block[i] = temp_key[i] ^ aes_hash[i];
    }
    block.insert(block.end(), aes->begin(), aes->end());
    if (compare_be(block, key.n) < 0) {
      return raw_rsa(block, key.e, key.n);
    }
  }
  return core::Error::internal("RSA_PAD: no temp_key fitted below the modulus");
}

core::Result<tl::Bytes> rsa_pad_decrypt(const RsaPrivateKey& key, tl::ByteSpan encrypted) {
  if (encrypted.size() != kRsaSize) {
    return core::Error::invalid("rsa_pad_length", "RSA_PAD data must be 256 bytes");
  }
  auto block = raw_rsa(encrypted, key.d, key.pub.n);
  if (!block.ok()) {
    return block.error();
  }
  tl::ByteSpan b(*block);
  auto aes = b.subspan(32);
  auto aes_hash = sha256({aes});
  std::array<std::uint8_t, 32> temp_key{};
  for (std::size_t i = 0; i < 32; ++i) {
    temp_key[i] = b[i] ^ aes_hash[i];
  }
  const std::array<std::uint8_t, 32> zero_iv{};
  auto data_with_hash = aes_ige_decrypt(temp_key, zero_iv, aes);
  if (!data_with_hash.ok()) {
    return data_with_hash.error();
  }
  tl::ByteSpan dwh(*data_with_hash);
  auto reversed = dwh.first(kPadDataSize);
  tl::Bytes with_padding(reversed.rbegin(), reversed.rend());
  auto hash = sha256({temp_key, with_padding});
  if (!equal_ct(hash, dwh.subspan(kPadDataSize))) {
    return core::Error::invalid("rsa_pad_hash", "RSA_PAD hash mismatch");
  }
  return with_padding;
}

core::Result<tl::Bytes> rsa_old_encrypt(const RsaPublicKey& key, tl::ByteSpan data,
                                        Random& random) {
  if (data.size() > kOldDataMax) {
    return core::Error::invalid("rsa_old_data", "old-scheme RSA data exceeds 235 bytes");
  }
  auto hash = sha1({data});
  tl::Bytes block(hash.begin(), hash.end());
  block.insert(block.end(), data.begin(), data.end());
  std::size_t at = block.size();
  block.resize(kRsaSize - 1);
  random.fill(std::span<std::uint8_t>(block).subspan(at));
  return raw_rsa(block, key.e, key.n);
}

core::Result<OldRsaBlock> rsa_old_decrypt(const RsaPrivateKey& key, tl::ByteSpan encrypted) {
  if (encrypted.size() != kRsaSize) {
    return core::Error::invalid("rsa_old_length", "old-scheme RSA data must be 256 bytes");
  }
  auto block = raw_rsa(encrypted, key.d, key.pub.n);
  if (!block.ok()) {
    return block.error();
  }
  if ((*block)[0] != 0) {
    return core::Error::invalid("rsa_old_block", "not an old-scheme block");
  }
  OldRsaBlock out;
  std::copy(block->begin() + 1, block->begin() + 21, out.hash.begin());
  out.rest.assign(block->begin() + 21, block->end());
  return out;
}

}  // namespace hqadz::telegram::mtproto
