#pragma once
/// The client side of MTProto key creation (core.telegram.org/mtproto/auth_key) as a pure
/// state machine: each step takes the server's answer and returns the next request body. No
/// sockets; the caller wraps bodies with wrap_plain(). Not thread-safe.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "telegram/mtproto/auth_key.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/mtproto/rsa.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram {

enum class RsaScheme {
  kRsaPad,  // current: p_q_inner_data_dc under RSA_PAD
  kOld,     // p_q_inner_data under SHA1 + m^e (what Telethon 1.25.1 sends)
};

struct NewAuthKey {
  mtproto::AuthKey key;
  std::int64_t server_salt = 0;
  std::int64_t time_offset = 0;  // server time minus ours, seconds
};

class KeyExchange {
 public:
  KeyExchange(std::vector<mtproto::RsaPublicKey> keys, int dc_id, RsaScheme scheme,
              mtproto::Random& random, const core::Clock& clock);

  /// req_pq_multi.
  tl::Bytes start();
  /// resPQ → req_DH_params. Errors "key_exchange" (no known key fingerprint, bad pq, nonce).
  core::Result<tl::Bytes> on_res_pq(tl::ByteSpan body);
  /// server_DH_params → set_client_DH_params (after every DH check).
  core::Result<tl::Bytes> on_server_dh_params(tl::ByteSpan body);
  /// dh_gen_ok → the key. dh_gen_retry/fail are errors (we do not retry with a new b).
  core::Result<NewAuthKey> on_dh_gen(tl::ByteSpan body);

 private:
  std::vector<mtproto::RsaPublicKey> keys_;
  int dc_id_;
  RsaScheme scheme_;
  mtproto::Random& random_;
  const core::Clock& clock_;
  tl::Int128 nonce_{};
  tl::Int128 server_nonce_{};
  tl::Int256 new_nonce_{};
  tl::Bytes auth_key_;
  std::int64_t time_offset_ = 0;
};

}  // namespace hqadz::telegram
