#include "telegram/mtproto/handshake_crypto.hpp"

#include <algorithm>

#include "telegram/mtproto/aes_ige.hpp"
#include "telegram/mtproto/hashes.hpp"

namespace hqadz::telegram::mtproto {

TmpAesKey tmp_aes_from_nonces(const tl::Int128& server_nonce, const tl::Int256& new_nonce) {
  auto nn_sn = sha1({new_nonce, server_nonce});
  auto sn_nn = sha1({server_nonce, new_nonce});
  auto nn_nn = sha1({new_nonce, new_nonce});
  TmpAesKey out{};
  auto k = std::copy(nn_sn.begin(), nn_sn.end(), out.key.begin());
  std::copy(sn_nn.begin(), sn_nn.begin() + 12, k);
  auto v = std::copy(sn_nn.begin() + 12, sn_nn.end(), out.iv.begin());
  v = std::copy(nn_nn.begin(), nn_nn.end(), v);
  std::copy(new_nonce.begin(), new_nonce.begin() + 4, v);
  return out;
}

core::Result<tl::Bytes> encrypt_with_sha1(tl::ByteSpan data, const TmpAesKey& aes, Random& random) {
  auto hash = sha1({data});
  tl::Bytes plain(hash.begin(), hash.end());
  plain.insert(plain.end(), data.begin(), data.end());
  std::size_t at = plain.size();
  plain.resize((at + 15) / 16 * 16);
  random.fill(std::span<std::uint8_t>(plain).subspan(at));
  return aes_ige_encrypt(aes.key, aes.iv, plain);
}

core::Result<tl::Bytes> decrypt_tmp(tl::ByteSpan encrypted, const TmpAesKey& aes) {
  return aes_ige_decrypt(aes.key, aes.iv, encrypted);
}

bool sha1_prefix_ok(tl::ByteSpan decrypted, std::size_t object_size) {
  if (decrypted.size() < 20 || object_size > decrypted.size() - 20 ||
      decrypted.size() - 20 - object_size >= 16) {
    return false;
  }
  auto hash = sha1({decrypted.subspan(20, object_size)});
  return equal_ct(hash, decrypted.first(20));
}

tl::Int128 new_nonce_hash(const tl::Int256& new_nonce, std::uint8_t number, const AuthKey& key) {
  std::array<std::uint8_t, 1> n{number};
  auto h = sha1({new_nonce, n, key.aux_hash()});
  tl::Int128 out{};
  std::copy(h.begin() + 4, h.end(), out.begin());
  return out;
}

}  // namespace hqadz::telegram::mtproto
