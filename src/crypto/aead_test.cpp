#include "crypto/aead.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace hqadz::crypto {
namespace {

MasterKey key() { return *MasterKey::from_bytes(random_bytes(32)); }

TEST(Aead, SealsAndOpensWithTheSameAdditionalData) {
  const auto k = key();
  const std::string secret = random_bytes(256);
  const std::string sealed = k.seal(secret, "tg_sessions:auth_key:1");
  EXPECT_EQ(sealed.size(), 1 + 24 + 256 + 16u);
  EXPECT_EQ(sealed.find(secret), std::string::npos);
  auto back = k.open(sealed, "tg_sessions:auth_key:1");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, secret);
}

TEST(Aead, NoncesDiffer) {
  const auto k = key();
  EXPECT_NE(k.seal("x", "ad"), k.seal("x", "ad"));
}

TEST(Aead, WrongAdditionalDataKeyOrBytesFail) {
  const auto k = key();
  const std::string sealed = k.seal("secret", "row:1");
  EXPECT_EQ(k.open(sealed, "row:2").error().code, "decrypt_failed");
  EXPECT_FALSE(key().open(sealed, "row:1").ok());
  std::string flipped = sealed;
  flipped[30] ^= 1;
  EXPECT_FALSE(k.open(flipped, "row:1").ok());
  EXPECT_FALSE(k.open(sealed.substr(0, 20), "row:1").ok());
  EXPECT_FALSE(k.open("", "row:1").ok());
  std::string version = sealed;
  version[0] = 2;
  EXPECT_FALSE(k.open(version, "row:1").ok());
}

TEST(Aead, Base64Form) {
  const auto k = key();
  const std::string text = k.seal_to_base64("api-hash", "tg_sessions:api_hash:1");
  EXPECT_TRUE(from_base64(text).has_value());
  EXPECT_EQ(*k.open_base64(text, "tg_sessions:api_hash:1"), "api-hash");
  EXPECT_FALSE(k.open_base64("***", "tg_sessions:api_hash:1").ok());
}

TEST(MasterKeyParsing, AcceptsBase64Of32BytesOnly) {
  const std::string raw = random_bytes(32);
  auto k = MasterKey::from_base64(to_base64(raw) + "\n");
  ASSERT_TRUE(k.ok());
  auto same = MasterKey::from_bytes(raw);
  EXPECT_EQ(*same->open(k->seal("x", "a"), "a"), "x");
  EXPECT_EQ(MasterKey::from_base64(to_base64(random_bytes(31))).error().code, "bad_master_key");
  EXPECT_EQ(MasterKey::from_base64("not base64!").error().code, "bad_master_key");
  const std::string secretish = to_base64(random_bytes(16));
  EXPECT_EQ(MasterKey::from_base64(secretish).error().message.find(secretish), std::string::npos);
}

}  // namespace
}  // namespace hqadz::crypto
