#include "tools/tgsim/handshake.hpp"

#include <chrono>
#include <cstring>

#include "telegram/mtproto/auth_key.hpp"
#include "telegram/mtproto/bignum.hpp"
#include "telegram/mtproto/dh.hpp"
#include "telegram/mtproto/handshake_crypto.hpp"
#include "telegram/mtproto/hashes.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::tgsim {

namespace {

// Telegram's 2048-bit safe prime with g = 3 (from core.telegram.org's worked example).
constexpr std::string_view kDhPrimeHex =
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F48198A0AA7C14058229493D2"
    "2530F4DBFA336F6E0AC925139543AED44CCE7C3720FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454"
    "F18FAF8C595F642477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4A4A69581105190"
    "7E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754FD17ED950D5965B4B9DD46582DB1178D169C6BC4"
    "65B0D6FF9CA3928FEF5B9AE4E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F0D"
    "8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B";
constexpr std::int32_t kG = 3;
// pq = 1229739323 * 1402015859: two 32-bit primes, as Telegram sends.
constexpr std::uint64_t kPq = 0x17ED48941A08F981ULL;
constexpr std::uint64_t kP = 1229739323ULL;
constexpr std::uint64_t kQ = 1402015859ULL;

template <typename T>
tl::Bytes serialize(const T& object) {
  tl::Writer w;
  object.serialize(w);
  return w.take();
}

core::Error refuse(std::string message) {
  return core::Error::invalid("handshake", std::move(message));
}

}  // namespace

ServerHandshake::ServerHandshake(const mtproto::RsaPrivateKey& key, World& world,
                                 mtproto::Random& random, const core::Clock& clock)
    : rsa_(key), world_(world), random_(random), clock_(clock) {}

core::Result<tl::Bytes> ServerHandshake::on_request(tl::ByteSpan body) {
  tl::Reader r(body);
  auto id = r.peek_uint32();
  if (id == tl::ReqPqMulti::kId || id == tl::ReqPq::kId) {
    if (id == tl::ReqPqMulti::kId) {
      nonce_ = tl::ReqPqMulti::read(r).nonce;
    } else {
      nonce_ = tl::ReqPq::read(r).nonce;
    }
    if (r.failed()) {
      return refuse("bad req_pq");
    }
    random_.fill(server_nonce_);
    step_ = 1;
    tl::ResPQ res;
    res.nonce = nonce_;
    res.server_nonce = server_nonce_;
    res.pq = tl::as_string(mtproto::be_bytes(kPq));
    res.server_public_key_fingerprints = {rsa_.pub.fingerprint()};
    return serialize(res);
  }
  if (id == tl::ReqDHParams::kId && step_ == 1) {
    return on_req_dh_params(body);
  }
  if (id == tl::SetClientDHParams::kId && step_ == 2) {
    return on_set_client_dh(body);
  }
  return refuse("unexpected handshake message");
}

core::Result<tl::Bytes> ServerHandshake::on_req_dh_params(tl::ByteSpan body) {
  tl::Reader r(body);
  auto req = tl::ReqDHParams::parse(r);
  if (!req.ok() || req->nonce != nonce_ || req->server_nonce != server_nonce_ ||
      req->public_key_fingerprint != rsa_.pub.fingerprint()) {
    return refuse("req_DH_params for another exchange or key");
  }
  // RSA_PAD first; a block that fails its hash there may be the old scheme.
  std::optional<tl::AnyPQInnerData> inner;
  auto data = tl::as_bytes(req->encrypted_data);
  if (auto padded = mtproto::rsa_pad_decrypt(rsa_, data); padded.ok()) {
    tl::Reader ir(*padded);
    auto parsed = tl::AnyPQInnerData::parse(ir);
    if (parsed.ok()) {
      inner = std::move(parsed).value();
    }
  }
  if (!inner) {
    auto old = mtproto::rsa_old_decrypt(rsa_, data);
    if (!old.ok()) {
      return refuse("encrypted_data decrypts under neither scheme");
    }
    tl::Reader ir(old->rest);
    auto parsed = tl::AnyPQInnerData::parse(ir);
    if (!parsed.ok() ||
        mtproto::sha1({tl::ByteSpan(old->rest).first(ir.position())}) != old->hash) {
      return refuse("old-scheme inner data fails its hash");
    }
    inner = std::move(parsed).value();
  }
  const tl::Int128* n = nullptr;
  const tl::Int128* sn = nullptr;
  const tl::Int256* nn = nullptr;
  std::visit(
      [&](const auto& v) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, tl::Opaque>) {
          n = &v.nonce;
          sn = &v.server_nonce;
          nn = &v.new_nonce;
        }
      },
      inner->value);
  if (n == nullptr || *n != nonce_ || *sn != server_nonce_) {
    return refuse("p_q_inner_data for another exchange");
  }
  new_nonce_ = *nn;
  a_.resize(256);
  random_.fill(a_);
  auto prime = tl::from_hex(kDhPrimeHex);
  auto g_a = mtproto::mod_pow(mtproto::be_bytes(kG), a_, prime);
  if (!g_a.ok()) {
    return g_a.error();
  }
  tl::ServerDHInnerData dh;
  dh.nonce = nonce_;
  dh.server_nonce = server_nonce_;
  dh.g = kG;
  dh.dh_prime = tl::as_string(prime);
  dh.g_a = tl::as_string(*g_a);
  dh.server_time = static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count() +
      world_.faults().clock_skew_seconds);
  auto tmp = mtproto::tmp_aes_from_nonces(server_nonce_, new_nonce_);
  auto answer = mtproto::encrypt_with_sha1(serialize(dh), tmp, random_);
  if (!answer.ok()) {
    return answer.error();
  }
  step_ = 2;
  return serialize(tl::ServerDHParamsOk{nonce_, server_nonce_, tl::as_string(*answer)});
}

core::Result<tl::Bytes> ServerHandshake::on_set_client_dh(tl::ByteSpan body) {
  tl::Reader r(body);
  auto req = tl::SetClientDHParams::parse(r);
  if (!req.ok() || req->nonce != nonce_ || req->server_nonce != server_nonce_) {
    return refuse("set_client_DH_params for another exchange");
  }
  auto tmp = mtproto::tmp_aes_from_nonces(server_nonce_, new_nonce_);
  auto decrypted = mtproto::decrypt_tmp(tl::as_bytes(req->encrypted_data), tmp);
  if (!decrypted.ok() || decrypted->size() < 20) {
    return refuse("client_DH_inner_data does not decrypt");
  }
  tl::Reader ir(tl::ByteSpan(*decrypted).subspan(20));
  auto inner = tl::ClientDHInnerData::parse(ir);
  if (!inner.ok() || !mtproto::sha1_prefix_ok(*decrypted, ir.position()) ||
      inner->nonce != nonce_ || inner->server_nonce != server_nonce_) {
    return refuse("client_DH_inner_data fails its hash");
  }
  auto prime = tl::from_hex(kDhPrimeHex);
  if (!mtproto::check_dh_value(tl::as_bytes(inner->g_b), prime).ok()) {
    return refuse("g_b out of range");
  }
  auto key_bytes = mtproto::mod_pow(tl::as_bytes(inner->g_b), a_, prime);
  if (!key_bytes.ok()) {
    return key_bytes.error();
  }
  auto key = mtproto::AuthKey::from_bytes(*key_bytes);
  if (!key.ok()) {
    return key.error();
  }
  std::uint64_t salt = 0;
  for (int i = 7; i >= 0; --i) {
    salt = (salt << 8) | static_cast<std::uint8_t>(new_nonce_[static_cast<std::size_t>(i)] ^
                                                   server_nonce_[static_cast<std::size_t>(i)]);
  }
  world_.add_key(tl::as_string(*key_bytes), static_cast<std::int64_t>(salt));
  step_ = 3;
  return serialize(
      tl::DhGenOk{nonce_, server_nonce_, mtproto::new_nonce_hash(new_nonce_, 1, *key)});
}

}  // namespace hqadz::tgsim
