#include "telegram/mtproto/aes_ige.hpp"

#include <gtest/gtest.h>

#include "telegram/mtproto/test_support.hpp"

namespace hqadz::telegram::mtproto {
namespace {

using testing::hex;
using testing::iota_bytes;

TEST(AesIge, Vector_KeyIvData0to31) {
  auto v = testing::testdata_json("mtproto2_vectors.json")["ige_key_iv_data_0to31"];
  auto k = iota_bytes(32);
  auto enc = aes_ige_encrypt(k, k, k);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(tl::to_hex(*enc), v["encrypt"].get<std::string>());
  auto dec = aes_ige_decrypt(k, k, k);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(tl::to_hex(*dec), v["decrypt"].get<std::string>());
}

TEST(AesIge, RoundTripsAndChains) {
  auto key = iota_bytes(32);
  tl::Bytes iv(32, 0xaa);
  tl::Bytes data(64, 0x11);
  auto enc = aes_ige_encrypt(key, iv, data);
  ASSERT_TRUE(enc.ok());
  // Equal plaintext blocks must not give equal ciphertext blocks.
  EXPECT_NE(tl::Bytes(enc->begin(), enc->begin() + 16),
            tl::Bytes(enc->begin() + 16, enc->begin() + 32));
  auto dec = aes_ige_decrypt(key, iv, *enc);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(*dec, data);
}

TEST(AesIge, RejectsBadSizes) {
  auto k = iota_bytes(32);
  EXPECT_FALSE(aes_ige_encrypt(k, k, iota_bytes(15)).ok());
  EXPECT_FALSE(aes_ige_encrypt(iota_bytes(16), k, k).ok());
  EXPECT_FALSE(aes_ige_decrypt(k, iota_bytes(16), k).ok());
  EXPECT_TRUE(aes_ige_encrypt(k, k, {}).ok());
}

}  // namespace
}  // namespace hqadz::telegram::mtproto
