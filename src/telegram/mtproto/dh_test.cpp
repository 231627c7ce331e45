#include "telegram/mtproto/dh.hpp"

#include <gtest/gtest.h>

#include "telegram/mtproto/bignum.hpp"
#include "telegram/mtproto/test_support.hpp"

namespace hqadz::telegram::mtproto {
namespace {

// dh_prime of the core.telegram.org worked example (Telegram's standard prime).
tl::Bytes sample_prime() {
  auto j = testing::testdata_json("samples_auth_key.json");
  auto answer = testing::hex(j["answer_with_hash"].get<std::string>());
  // sha1(20) | id(4) nonce(16) server_nonce(16) g(4) | 0xfe 00 01 00 | 256 bytes
  return tl::Bytes(answer.begin() + 64, answer.begin() + 64 + 256);
}

TEST(Dh, AcceptsTelegramsPrimeWithItsGenerator) {
  auto p = sample_prime();
  EXPECT_TRUE(check_dh_params(p, 3).ok());
  EXPECT_TRUE(check_dh_params(p, 4).ok());
  // For this prime p mod 8 != 7, so 2 does not generate the subgroup.
  EXPECT_FALSE(check_dh_params(p, 2).ok());
  EXPECT_FALSE(check_dh_params(p, 1).ok());
  EXPECT_FALSE(check_dh_params(p, 8).ok());
}

TEST(Dh, RejectsNonSafeOrShortPrimes) {
  auto p = sample_prime();
  auto not_prime = p;
  not_prime.back() ^= 0x02;  // still odd, no longer prime
  EXPECT_FALSE(check_dh_params(not_prime, 4).ok());
  EXPECT_FALSE(check_dh_params(tl::ByteSpan(p).subspan(1), 4).ok());
}

TEST(Dh, ValueRange) {
  auto p = sample_prime();
  EXPECT_FALSE(check_dh_value(tl::Bytes{1}, p).ok());
  EXPECT_FALSE(check_dh_value(p, p).ok());
  tl::Bytes low(256, 0);
  low[7] = 1;  // 2^1984 exactly
  EXPECT_TRUE(check_dh_value(low, p).ok());
  low[7] = 0;
  low[8] = 0x80;  // 2^1983
  EXPECT_FALSE(check_dh_value(low, p).ok());
  auto j = testing::testdata_json("samples_auth_key.json");
  EXPECT_TRUE(check_dh_value(testing::hex(j["g_b"].get<std::string>()), p).ok());
}

TEST(Bignum, ModPowAndCompare) {
  auto r = mod_pow(tl::Bytes{3}, tl::Bytes{5}, tl::Bytes{1, 0});  // 243 mod 256
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (tl::Bytes{0, 243}));
  EXPECT_FALSE(mod_pow(tl::Bytes{3}, tl::Bytes{5}, tl::Bytes{1}).ok());
  EXPECT_EQ(compare_be(tl::Bytes{0, 0, 5}, tl::Bytes{5}), 0);
  EXPECT_LT(compare_be(tl::Bytes{4}, tl::Bytes{1, 0}), 0);
  EXPECT_EQ(be_bytes(0), (tl::Bytes{0}));
  EXPECT_EQ(be_bytes(0x494C553B), (tl::Bytes{0x49, 0x4C, 0x55, 0x3B}));
}

}  // namespace
}  // namespace hqadz::telegram::mtproto
