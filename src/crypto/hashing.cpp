#include "crypto/hashing.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "crypto/random.hpp"

namespace hqadz::crypto {

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
             EVP_sha256(), nullptr);
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(out.data()), &len);
  return out;
}

std::string hmac_sha512(std::string_view key, std::string_view data) {
  std::string out(64, '\0');
  unsigned int len = 0;
  HMAC(EVP_sha512(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(out.data()), &len);
  return out;
}

core::Result<std::string> argon2id_hash(std::string_view secret, const Argon2Params& params) {
  init();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), params.ops, params.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Error::unavailable("out_of_memory", "could not hash: out of memory");
  }
  return std::string(out);
}

bool argon2id_verify(std::string_view encoded, std::string_view secret) {
  init();
  if (encoded.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  char buf[crypto_pwhash_STRBYTES] = {};
  encoded.copy(buf, encoded.size());
  return crypto_pwhash_str_verify(buf, secret.data(), secret.size()) == 0;
}

}  // namespace hqadz::crypto
