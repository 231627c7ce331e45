// The key exchange of core.telegram.org/mtproto/samples-auth_key, step by step, with our TL
// types, crypto and checks.
#include "telegram/mtproto/handshake_crypto.hpp"

#include <gtest/gtest.h>

#include "telegram/mtproto/bignum.hpp"
#include "telegram/mtproto/dh.hpp"
#include "telegram/mtproto/pq.hpp"
#include "telegram/mtproto/test_support.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram::mtproto {
namespace {

using testing::arr;
using testing::hex;

class AuthKeySample : public ::testing::Test {
 protected:
  nlohmann::json j_ = testing::testdata_json("samples_auth_key.json");
  tl::Bytes at(const char* name) { return hex(j_[name].get<std::string>()); }
  tl::Int128 nonce() { return arr<16>(at("nonce")); }
  tl::Int128 server_nonce() { return arr<16>(at("server_nonce")); }
  tl::Int256 new_nonce() { return arr<32>(at("new_nonce")); }
};

TEST_F(AuthKeySample, ReqPqAndResPq) {
  // Unencrypted messages: auth_key_id 0 | msg_id | length | body.
  auto req = at("req_pq_multi_payload");
  tl::Writer w;
  w.write_long(0);
  w.write_long(0x65C53D500006'72D4);
  w.write_int(20);
  tl::ReqPqMulti{nonce()}.serialize(w);
  EXPECT_EQ(w.data(), req);

  auto res = at("res_pq_payload");
  tl::Reader r(tl::ByteSpan(res).subspan(20));
  auto pq = tl::ResPQ::parse(r);
  ASSERT_TRUE(pq.ok()) << pq.error().message;
  EXPECT_EQ(pq->nonce, nonce());
  EXPECT_EQ(pq->server_nonce, server_nonce());
  ASSERT_EQ(pq->server_public_key_fingerprints.size(), 3u);
  EXPECT_EQ(static_cast<std::uint64_t>(pq->server_public_key_fingerprints[2]), 0xd09d1d85de64fd85u);
  auto value = pq_from_bytes(tl::as_bytes(pq->pq));
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, j_["pq"].get<std::uint64_t>());
  auto pq_factors = factorize_pq(*value);
  ASSERT_TRUE(pq_factors.has_value());
  EXPECT_EQ(pq_factors->first, j_["p"].get<std::uint64_t>());
  EXPECT_EQ(pq_factors->second, j_["q"].get<std::uint64_t>());
}

TEST_F(AuthKeySample, PQInnerDataDcSerializes) {
  tl::PQInnerDataDc d;
  d.pq = tl::as_string(be_bytes(j_["pq"].get<std::uint64_t>()));
  d.p = tl::as_string(be_bytes(j_["p"].get<std::uint64_t>()));
  d.q = tl::as_string(be_bytes(j_["q"].get<std::uint64_t>()));
  d.nonce = nonce();
  d.server_nonce = server_nonce();
  d.new_nonce = new_nonce();
  d.dc = 2;
  tl::Writer w;
  d.serialize(w);
  EXPECT_EQ(w.data(), at("p_q_inner_data_dc"));
}

TEST_F(AuthKeySample, ServerAnswerDecryptsAndChecks) {
  auto tmp = tmp_aes_from_nonces(server_nonce(), new_nonce());
  EXPECT_EQ(tl::Bytes(tmp.key.begin(), tmp.key.end()), at("tmp_aes_key"));
  EXPECT_EQ(tl::Bytes(tmp.iv.begin(), tmp.iv.end()), at("tmp_aes_iv"));
  auto plain = decrypt_tmp(at("encrypted_answer"), tmp);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, at("answer_with_hash"));
  tl::Reader r(tl::ByteSpan(*plain).subspan(20));
  auto inner = tl::ServerDHInnerData::parse(r);
  ASSERT_TRUE(inner.ok()) << inner.error().message;
  EXPECT_TRUE(sha1_prefix_ok(*plain, r.position()));
  EXPECT_FALSE(sha1_prefix_ok(*plain, r.position() - 4));
  EXPECT_EQ(inner->nonce, nonce());
  EXPECT_EQ(inner->g, 3);
  EXPECT_EQ(inner->server_time, j_["server_time"].get<std::int32_t>());
  EXPECT_TRUE(check_dh_params(tl::as_bytes(inner->dh_prime), inner->g).ok());
  EXPECT_TRUE(check_dh_value(tl::as_bytes(inner->g_a), tl::as_bytes(inner->dh_prime)).ok());

  auto g_b = mod_pow(tl::Bytes{3}, at("b"), tl::as_bytes(inner->dh_prime));
  ASSERT_TRUE(g_b.ok());
  EXPECT_EQ(*g_b, at("g_b"));
  auto auth_key = mod_pow(tl::as_bytes(inner->g_a), at("b"), tl::as_bytes(inner->dh_prime));
  ASSERT_TRUE(auth_key.ok());
  EXPECT_EQ(*auth_key, at("auth_key"));

  auto key = AuthKey::from_bytes(*auth_key).value();
  auto hash1 = new_nonce_hash(new_nonce(), 1, key);
  EXPECT_EQ(tl::Bytes(hash1.begin(), hash1.end()), at("new_nonce_hash1"));
}

TEST_F(AuthKeySample, ClientDHInnerDataEncrypts) {
  tl::ClientDHInnerData c;
  c.nonce = nonce();
  c.server_nonce = server_nonce();
  c.retry_id = 0;
  c.g_b = tl::as_string(at("g_b"));
  tl::Writer w;
  c.serialize(w);
  EXPECT_EQ(w.data(), at("client_dh_inner_data"));
  testing::FixedRandom padding(at("client_dh_padding"));
  auto enc = encrypt_with_sha1(w.data(), tmp_aes_from_nonces(server_nonce(), new_nonce()), padding);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, at("client_encrypted_data"));
}

}  // namespace
}  // namespace hqadz::telegram::mtproto
