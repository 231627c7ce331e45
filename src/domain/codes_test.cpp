#include "domain/codes.hpp"

#include <gtest/gtest.h>

#include <set>

#include "domain/jwt.hpp"

namespace hqadz::domain {
namespace {

TEST(AccessCodes, LookRightAndNormalize) {
  const auto code = generate_access_code();
  EXPECT_EQ(code.size(), 28u + 6u);  // 7 groups of 4, 6 dashes
  const auto n = normalize_access_code(code);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->size(), 28u);
  std::string messy = code;
  for (auto& c : messy) {
    c = static_cast<char>(std::tolower(c));
  }
  EXPECT_EQ(normalize_access_code(messy), n);
  EXPECT_EQ(normalize_access_code("OOOO IIII LLLL 0000 1111 2222 3333"),
            "0000111111110000111122223333");
  EXPECT_FALSE(normalize_access_code("short").has_value());
  EXPECT_FALSE(normalize_access_code(code + "X").has_value());
  EXPECT_FALSE(normalize_access_code("UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU").has_value());
  EXPECT_FALSE(normalize_access_code(std::string(1000, 'A')).has_value());
}

TEST(AccessCodes, AreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(generate_access_code()).second);
  }
  EXPECT_EQ(generate_license_key().rfind("HQ-", 0), 0u);
}

TEST(Jwt, SignsAndVerifies) {
  const std::string secret(32, 's');
  const auto token = sign_jwt({7, "ADMIN", "ACTIVE", 1000, 1900, "fam1"}, secret);
  auto c = verify_jwt(token, secret, 1500);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user_id, 7);
  EXPECT_EQ(c->role, "ADMIN");
  EXPECT_EQ(verify_jwt(token, secret, 1900).error().code, "token_expired");
  EXPECT_FALSE(verify_jwt(token, std::string(32, 't'), 1500).ok());
  std::string tampered = token;
  tampered[tampered.find('.') + 3] ^= 1;
  EXPECT_FALSE(verify_jwt(tampered, secret, 1500).ok());
  for (const char* bad : {"", "a.b", "a.b.c.d", "....", "x.y.z"}) {
    EXPECT_FALSE(verify_jwt(bad, secret, 1500).ok()) << bad;
  }
}

TEST(Jwt, RefusesAlgNone) {
  const std::string secret(32, 's');
  const auto token = sign_jwt({7, "USER", "ACTIVE", 1000, 1900, "fam1"}, secret);
  const std::string payload = token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  // {"alg":"none"} header with an empty signature.
  EXPECT_FALSE(verify_jwt("eyJhbGciOiJub25lIn0." + payload + ".", secret, 1500).ok());
}

}  // namespace
}  // namespace hqadz::domain
