#include "telegram/mtproto/pq.hpp"

#include <gtest/gtest.h>

namespace hqadz::telegram::mtproto {
namespace {

TEST(Pq, FactorsKnownProducts) {
  // core.telegram.org samples-auth_key, and the older 0x17ED48941A08F981 example.
  auto a = factorize_pq(2694724800268887959ull);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->first, 1513098571u);
  EXPECT_EQ(a->second, 1780931429u);
  auto b = factorize_pq(0x17ED48941A08F981ull);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->first, 0x494C553Bu);
  EXPECT_EQ(b->second, 0x53911073u);
}

TEST(Pq, ManyProductsOfTwoPrimes) {
  const std::uint64_t primes[] = {4294967291ull, 4294967279ull, 2147483647ull, 1000000007ull,
                                  998244353ull,  65537ull,      3ull};
  for (auto p : primes) {
    for (auto q : primes) {
      auto r = factorize_pq(p * q);
      ASSERT_TRUE(r.has_value()) << p << "*" << q;
      EXPECT_EQ(r->first, std::min(p, q));
      EXPECT_EQ(r->second, std::max(p, q));
    }
  }
}

TEST(Pq, RejectsPrimesAndTinyValues) {
  EXPECT_FALSE(factorize_pq(0).has_value());
  EXPECT_FALSE(factorize_pq(3).has_value());
  EXPECT_FALSE(factorize_pq(4294967291ull).has_value());
}

TEST(Pq, FromBytes) {
  tl::Bytes be{0x17, 0xED, 0x48, 0x94, 0x1A, 0x08, 0xF9, 0x81};
  EXPECT_EQ(pq_from_bytes(be), 0x17ED48941A08F981ull);
  EXPECT_FALSE(pq_from_bytes({}).has_value());
  EXPECT_FALSE(pq_from_bytes(tl::Bytes(9, 1)).has_value());
}

}  // namespace
}  // namespace hqadz::telegram::mtproto
