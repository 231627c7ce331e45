#include "telegram/mtproto/rsa.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "telegram/mtproto/test_support.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram::mtproto {
namespace {

std::vector<std::string> pem_blocks(const std::string& text) {
  std::vector<std::string> out;
  const std::string begin = "-----BEGIN";
  const std::string end_marker = "-----END RSA PUBLIC KEY-----";
  for (auto pos = text.find(begin); pos != std::string::npos; pos = text.find(begin, pos + 1)) {
    auto end = text.find(end_marker, pos);
    out.push_back(text.substr(pos, end + end_marker.size() - pos));
  }
  return out;
}

// Fingerprints from BRIEF 1.9: 4 current keys, then 4 old ones, in Telethon's order.
TEST(Rsa, TelegramKeyFingerprints) {
  const std::vector<std::uint64_t> kExpected = {
      0x0bc35f3509f7b7a5, 0x15ae5fa8b5529542, 0xaeae98e13cd7f94f, 0x5a181b2235057d98,
      0xc3b42b026ce86b21, 0x9a996a1db11c729b, 0xb05b2a6f70cdea78, 0x71e025b6c76033e3};
  auto blocks = pem_blocks(testing::read_testdata("telegram_rsa_public_keys.pem"));
  ASSERT_EQ(blocks.size(), kExpected.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    auto key = RsaPublicKey::from_pem(blocks[i]);
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(static_cast<std::uint64_t>(key->fingerprint()), kExpected[i]) << i;
  }
}

class RsaRoundTrip : public ::testing::Test {
 protected:
  RsaPrivateKey priv_ =
      RsaPrivateKey::from_pem(testing::read_testdata("test_rsa_private.pem")).value();
  RsaPublicKey pub_ = RsaPublicKey::from_pem(testing::read_testdata("test_rsa_public.pem")).value();
  testing::FixedRandom random_;

  tl::Bytes inner_data() {
    tl::PQInnerDataDc d;
    d.pq = tl::as_string(testing::hex("17ED48941A08F981"));
    d.p = tl::as_string(testing::hex("494C553B"));
    d.q = tl::as_string(testing::hex("53911073"));
    d.dc = 2;
    tl::Writer w;
    d.serialize(w);
    return w.take();
  }
};

TEST_F(RsaRoundTrip, KeysAgree) {
  EXPECT_EQ(priv_.pub.n, pub_.n);
  EXPECT_EQ(priv_.pub.fingerprint(), pub_.fingerprint());
}

TEST_F(RsaRoundTrip, RsaPad) {
  auto data = inner_data();
  auto enc = rsa_pad_encrypt(pub_, data, random_);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  EXPECT_EQ(enc->size(), 256u);
  auto dec = rsa_pad_decrypt(priv_, *enc);
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  ASSERT_EQ(dec->size(), 192u);
  EXPECT_EQ(tl::Bytes(dec->begin(), dec->begin() + static_cast<std::ptrdiff_t>(data.size())), data);
  auto tampered = *enc;
  tampered[100] ^= 1;
  EXPECT_FALSE(rsa_pad_decrypt(priv_, tampered).ok());
  EXPECT_FALSE(rsa_pad_encrypt(pub_, tl::Bytes(145, 0), random_).ok());
}

TEST_F(RsaRoundTrip, OldScheme) {
  auto data = inner_data();
  auto enc = rsa_old_encrypt(pub_, data, random_);
  ASSERT_TRUE(enc.ok());
  auto block = rsa_old_decrypt(priv_, *enc);
  ASSERT_TRUE(block.ok()) << block.error().message;
  EXPECT_EQ(block->hash, sha1({data}));
  EXPECT_EQ(tl::Bytes(block->rest.begin(),
                      block->rest.begin() + static_cast<std::ptrdiff_t>(data.size())),
            data);
  EXPECT_FALSE(rsa_old_encrypt(pub_, tl::Bytes(236, 0), random_).ok());
}

TEST_F(RsaRoundTrip, RejectsMalformedInput) {
  EXPECT_FALSE(RsaPublicKey::from_pem("not a key").ok());
  EXPECT_FALSE(rsa_pad_decrypt(priv_, tl::Bytes(255, 1)).ok());
  EXPECT_FALSE(rsa_pad_decrypt(priv_, tl::Bytes(256, 0xff)).ok());  // not below n
  EXPECT_FALSE(rsa_old_decrypt(priv_, tl::Bytes(256, 0xff)).ok());
}

}  // namespace
}  // namespace hqadz::telegram::mtproto
