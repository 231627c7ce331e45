#include "crypto/aead.hpp"

#include <sodium.h>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace hqadz::crypto {
namespace {

constexpr unsigned char kVersion = 1;
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == MasterKey::kBytes);

const unsigned char* u8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

core::Error decrypt_failed() {
  return {core::Errc::kInternal, "decrypt_failed",
          "a stored secret cannot be decrypted (wrong master key or damaged data)"};
}

}  // namespace

core::Result<MasterKey> MasterKey::from_bytes(std::string_view raw) {
  if (raw.size() != kBytes) {
    return core::Error::invalid(
        "bad_master_key", "the master key must be 32 bytes, it has " + std::to_string(raw.size()));
  }
  init();
  MasterKey k;
  std::copy(raw.begin(), raw.end(), k.key_.begin());
  return k;
}

core::Result<MasterKey> MasterKey::from_base64(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  auto raw = crypto::from_base64(text);
  if (!raw) {
    return core::Error::invalid("bad_master_key", "HQADZ_MASTER_KEY is not valid base64");
  }
  auto key = from_bytes(*raw);
  sodium_memzero(raw->data(), raw->size());
  if (!key.ok()) {
    return core::Error::invalid("bad_master_key",
                                "HQADZ_MASTER_KEY must be the base64 of exactly 32 bytes");
  }
  return key;
}

MasterKey::~MasterKey() { sodium_memzero(key_.data(), key_.size()); }

std::string MasterKey::seal(std::string_view plaintext, std::string_view ad) const {
  std::string out(1 + kNonce + plaintext.size() + kTag, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = kVersion;
  randombytes_buf(p + 1, kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(p + 1 + kNonce, &written, u8(plaintext),
                                             plaintext.size(), u8(ad), ad.size(), nullptr, p + 1,
                                             key_.data());
  out.resize(1 + kNonce + written);
  return out;
}

core::Result<std::string> MasterKey::open(std::string_view sealed, std::string_view ad) const {
  if (sealed.size() < 1 + kNonce + kTag || static_cast<unsigned char>(sealed[0]) != kVersion) {
    return decrypt_failed();
  }
  const std::string_view nonce = sealed.substr(1, kNonce);
  const std::string_view body = sealed.substr(1 + kNonce);
  std::string out(body.size() - kTag, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()),
                                                 &written, nullptr, u8(body), body.size(), u8(ad),
                                                 ad.size(), u8(nonce), key_.data()) != 0) {
    return decrypt_failed();
  }
  out.resize(written);
  return out;
}

std::string MasterKey::seal_to_base64(std::string_view plaintext, std::string_view ad) const {
  return to_base64(seal(plaintext, ad));
}

core::Result<std::string> MasterKey::open_base64(std::string_view sealed_base64,
                                                 std::string_view ad) const {
  auto raw = crypto::from_base64(sealed_base64);
  if (!raw) {
    return decrypt_failed();
  }
  return open(*raw, ad);
}

}  // namespace hqadz::crypto
