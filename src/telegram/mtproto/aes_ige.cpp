#include "telegram/mtproto/aes_ige.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>

namespace hqadz::telegram::mtproto {
namespace {

constexpr std::size_t kBlock = 16;

core::Result<tl::Bytes> ige(tl::ByteSpan key, tl::ByteSpan iv, tl::ByteSpan data, bool encrypt) {
  if (key.size() != 32 || iv.size() != 32) {
    return core::Error::invalid("aes_ige_key", "AES-IGE needs a 32-byte key and a 32-byte iv");
  }
  if (data.size() % kBlock != 0) {
    return core::Error::invalid("aes_ige_length", "AES-IGE data must be a multiple of 16 bytes");
  }
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr, key.data(), nullptr,
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return core::Error::internal("EVP AES-256-ECB init failed");
  }
  // For encryption x_prev is the ciphertext chain and y_prev the plaintext; decryption swaps.
  std::array<std::uint8_t, kBlock> c_prev{};
  std::array<std::uint8_t, kBlock> p_prev{};
  std::copy(iv.begin(), iv.begin() + kBlock, c_prev.begin());
  std::copy(iv.begin() + kBlock, iv.end(), p_prev.begin());
  tl::Bytes out(data.size());
  std::array<std::uint8_t, kBlock> in{};
  std::array<std::uint8_t, kBlock> mid{};
  for (std::size_t off = 0; off < data.size(); off += kBlock) {
    const auto* block = data.data() + off;
    const auto& mask_in = encrypt ? c_prev : p_prev;
    const auto& mask_out = encrypt ? p_prev : c_prev;
    for (std::size_t i = 0; i < kBlock; ++i) {
      in[i] = block[i] ^ mask_in[i];
    }
    int len = 0;
    if (EVP_CipherUpdate(ctx.get(), mid.data(), &len, in.data(), kBlock) != 1 ||
        len != static_cast<int>(kBlock)) {
      return core::Error::internal("EVP AES-256-ECB failed");
    }
    for (std::size_t i = 0; i < kBlock; ++i) {
      out[off + i] = mid[i] ^ mask_out[i];
    }
    if (encrypt) {
      std::copy(block, block + kBlock, p_prev.begin());
      std::copy(out.begin() + static_cast<std::ptrdiff_t>(off),
                out.begin() + static_cast<std::ptrdiff_t>(off + kBlock), c_prev.begin());
    } else {
      std::copy(block, block + kBlock, c_prev.begin());
      std::copy(out.begin() + static_cast<std::ptrdiff_t>(off),
                out.begin() + static_cast<std::ptrdiff_t>(off + kBlock), p_prev.begin());
    }
  }
  return out;
}

}  // namespace

core::Result<tl::Bytes> aes_ige_encrypt(tl::ByteSpan key, tl::ByteSpan iv, tl::ByteSpan data) {
  return ige(key, iv, data, true);
}

core::Result<tl::Bytes> aes_ige_decrypt(tl::ByteSpan key, tl::ByteSpan iv, tl::ByteSpan data) {
  return ige(key, iv, data, false);
}

}  // namespace hqadz::telegram::mtproto
