#include "telegram/client/key_exchange.hpp"

#include <chrono>

#include "telegram/mtproto/bignum.hpp"
#include "telegram/mtproto/dh.hpp"
#include "telegram/mtproto/handshake_crypto.hpp"
#include "telegram/mtproto/pq.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram {
namespace {

core::Error fail(std::string message) {
  return core::Error::invalid("key_exchange", std::move(message));
}

template <typename T>
tl::Bytes serialize(const T& object) {
  tl::Writer w;
  object.serialize(w);
  return w.take();
}

}  // namespace

KeyExchange::KeyExchange(std::vector<mtproto::RsaPublicKey> keys, int dc_id, RsaScheme scheme,
                         mtproto::Random& random, const core::Clock& clock)
    : keys_(std::move(keys)), dc_id_(dc_id), scheme_(scheme), random_(random), clock_(clock) {}

tl::Bytes KeyExchange::start() {
  random_.fill(nonce_);
  return serialize(tl::ReqPqMulti{nonce_});
}

core::Result<tl::Bytes> KeyExchange::on_res_pq(tl::ByteSpan body) {
  tl::Reader r(body);
  auto res = tl::ResPQ::parse(r);
  if (!res.ok() || res->nonce != nonce_) {
    return fail("resPQ malformed or for another nonce");
  }
  server_nonce_ = res->server_nonce;
  const mtproto::RsaPublicKey* key = nullptr;
  std::int64_t fingerprint = 0;
  for (auto fp : res->server_public_key_fingerprints) {
    for (const auto& k : keys_) {
      if (k.fingerprint() == fp) {
        key = &k;
        fingerprint = fp;
        break;
      }
    }
    if (key != nullptr) {
      break;
    }
  }
  if (key == nullptr) {
    return fail("the server offers no RSA key we know");
  }
  auto pq = mtproto::pq_from_bytes(tl::as_bytes(res->pq));
  auto factors = pq ? mtproto::factorize_pq(*pq) : std::nullopt;
  if (!factors) {
    return fail("pq does not factor");
  }
  random_.fill(new_nonce_);
  auto p = tl::as_string(mtproto::be_bytes(factors->first));
  auto q = tl::as_string(mtproto::be_bytes(factors->second));
  core::Result<tl::Bytes> encrypted = core::Error::internal();
  if (scheme_ == RsaScheme::kRsaPad) {
    auto inner = serialize(tl::PQInnerDataDc{res->pq, p, q, nonce_, server_nonce_, new_nonce_, dc_id_});
    encrypted = mtproto::rsa_pad_encrypt(*key, inner, random_);
  } else {
    auto inner = serialize(tl::PQInnerData{res->pq, p, q, nonce_, server_nonce_, new_nonce_});
    encrypted = mtproto::rsa_old_encrypt(*key, inner, random_);
  }
  if (!encrypted.ok()) {
    return encrypted.error();
  }
  return serialize(tl::ReqDHParams{nonce_, server_nonce_, p, q, fingerprint,
                                   tl::as_string(*encrypted)});
}

core::Result<tl::Bytes> KeyExchange::on_server_dh_params(tl::ByteSpan body) {
  tl::Reader r(body);
  auto params = tl::AnyServerDHParams::parse(r);
  if (!params.ok()) {
    return fail("server_DH_params malformed");
  }
  const auto* ok = params->get<tl::ServerDHParamsOk>();
  if (ok == nullptr || ok->nonce != nonce_ || ok->server_nonce != server_nonce_) {
    return fail("the server refused the DH parameters");
  }
  auto tmp = mtproto::tmp_aes_from_nonces(server_nonce_, new_nonce_);
  auto decrypted = mtproto::decrypt_tmp(tl::as_bytes(ok->encrypted_answer), tmp);
  if (!decrypted.ok() || decrypted->size() < 20) {
    return fail("encrypted_answer does not decrypt");
  }
  tl::Reader inner_reader(tl::ByteSpan(*decrypted).subspan(20));
  auto inner = tl::ServerDHInnerData::parse(inner_reader);
  if (!inner.ok() || !mtproto::sha1_prefix_ok(*decrypted, inner_reader.position()) ||
      inner->nonce != nonce_ || inner->server_nonce != server_nonce_) {
    return fail("server_DH_inner_data fails its hash or nonces");
  }
  auto prime = tl::as_bytes(inner->dh_prime);
  auto g_a = tl::as_bytes(inner->g_a);
  if (auto s = mtproto::check_dh_params(prime, inner->g); !s.ok()) {
    return s.error();
  }
  if (auto s = mtproto::check_dh_value(g_a, prime); !s.ok()) {
    return s.error();
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch());
  time_offset_ = inner->server_time - now.count();

  tl::Bytes b(256);
  random_.fill(b);
  auto g = mtproto::be_bytes(static_cast<std::uint64_t>(inner->g));
  auto g_b = mtproto::mod_pow(g, b, prime);
  if (!g_b.ok()) {
    return g_b.error();
  }
  if (auto s = mtproto::check_dh_value(*g_b, prime); !s.ok()) {
    return s.error();
  }
  auto key = mtproto::mod_pow(g_a, b, prime);
  if (!key.ok()) {
    return key.error();
  }
  auth_key_ = std::move(key).value();
  auto client_inner =
      serialize(tl::ClientDHInnerData{nonce_, server_nonce_, 0, tl::as_string(*g_b)});
  auto encrypted = mtproto::encrypt_with_sha1(client_inner, tmp, random_);
  if (!encrypted.ok()) {
    return encrypted.error();
  }
  return serialize(tl::SetClientDHParams{nonce_, server_nonce_, tl::as_string(*encrypted)});
}

core::Result<NewAuthKey> KeyExchange::on_dh_gen(tl::ByteSpan body) {
  tl::Reader r(body);
  auto answer = tl::AnySetClientDHParamsAnswer::parse(r);
  if (!answer.ok()) {
    return fail("set_client_DH_params answer malformed");
  }
  const auto* ok = answer->get<tl::DhGenOk>();
  if (ok == nullptr || ok->nonce != nonce_ || ok->server_nonce != server_nonce_) {
    return fail("the server did not accept the key (dh_gen_retry or dh_gen_fail)");
  }
  auto key = mtproto::AuthKey::from_bytes(auth_key_);
  if (!key.ok()) {
    return key.error();
  }
  if (mtproto::new_nonce_hash(new_nonce_, 1, *key) != ok->new_nonce_hash1) {
    return fail("new_nonce_hash1 mismatch");
  }
  // server_salt = new_nonce[0:8] XOR server_nonce[0:8], read as a little-endian long.
  std::uint64_t salt = 0;
  for (int i = 7; i >= 0; --i) {
    salt = (salt << 8) | static_cast<std::uint8_t>(new_nonce_[static_cast<std::size_t>(i)] ^
                                                   server_nonce_[static_cast<std::size_t>(i)]);
  }
  return NewAuthKey{std::move(key).value(), static_cast<std::int64_t>(salt), time_offset_};
}

}  // namespace hqadz::telegram
