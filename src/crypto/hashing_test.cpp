#include "crypto/hashing.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"

namespace hqadz::crypto {

TEST(Hashing, Sha256KnownAnswer) {
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hashing, HmacSha256Rfc4231Case2) {
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hashing, HmacSha512MatchesRfc4231) {
  EXPECT_EQ(to_hex(hmac_sha512("Jefe", "what do ya want for nothing?")),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d03"
            "4f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST(Hashing, Argon2idRoundTrip) {
  const Argon2Params fast{.ops = 1, .mem_bytes = 1u << 16};
  auto h = argon2id_hash("code-123", fast);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(argon2id_verify(*h, "code-123"));
  EXPECT_FALSE(argon2id_verify(*h, "code-124"));
  EXPECT_FALSE(argon2id_verify("garbage", "code-123"));
  EXPECT_FALSE(argon2id_verify(std::string(500, 'x'), "code-123"));
}

}  // namespace hqadz::crypto
