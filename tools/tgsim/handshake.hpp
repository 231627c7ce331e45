#pragma once
/// The server side of MTProto key creation: answers req_pq(_multi), req_DH_params (RSA_PAD and
/// the old scheme) and set_client_DH_params, registering the new key in the World. One per
/// connection; not thread-safe.

#include <optional>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/mtproto/rsa.hpp"
#include "telegram/tl/bytes.hpp"
#include "tools/tgsim/world.hpp"

namespace hqadz::tgsim {

namespace tl = telegram::tl;
namespace mtproto = telegram::mtproto;

class ServerHandshake {
 public:
  ServerHandshake(const mtproto::RsaPrivateKey& key, World& world, mtproto::Random& random,
                  const core::Clock& clock);
  /// The answer to one unencrypted request, or an error (the connection is then closed).
  core::Result<telegram::tl::Bytes> on_request(telegram::tl::ByteSpan body);

 private:
  core::Result<telegram::tl::Bytes> on_req_dh_params(telegram::tl::ByteSpan body);
  core::Result<telegram::tl::Bytes> on_set_client_dh(telegram::tl::ByteSpan body);

  const mtproto::RsaPrivateKey& rsa_;
  World& world_;
  mtproto::Random& random_;
  const core::Clock& clock_;
  telegram::tl::Int128 nonce_{};
  telegram::tl::Int128 server_nonce_{};
  telegram::tl::Int256 new_nonce_{};
  telegram::tl::Bytes a_;
  int step_ = 0;
};

}  // namespace hqadz::tgsim
