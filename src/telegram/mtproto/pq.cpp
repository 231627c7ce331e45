#include "telegram/mtproto/pq.hpp"

#include <algorithm>
#include <numeric>

namespace hqadz::telegram::mtproto {
namespace {

// __extension__: -Wpedantic rejects the GCC 128-bit type otherwise.
__extension__ using u128 = unsigned __int128;

std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b, std::uint64_t m) {
  return static_cast<std::uint64_t>(static_cast<u128>(a) * b % m);
}

// One Brent run with f(x) = x^2 + c; returns a factor (possibly n itself on failure).
std::uint64_t brent(std::uint64_t n, std::uint64_t y0, std::uint64_t c) {
  constexpr std::uint64_t kBatch = 128;
  std::uint64_t y = y0;
  std::uint64_t x = y0;
  std::uint64_t ys = y0;
  std::uint64_t g = 1;
  std::uint64_t q = 1;
  auto f = [&](std::uint64_t v) { return (mul_mod(v, v, n) + c) % n; };
  for (std::uint64_t r = 1; g == 1; r <<= 1) {
    x = y;
    for (std::uint64_t i = 0; i < r; ++i) {
      y = f(y);
    }
    for (std::uint64_t k = 0; k < r && g == 1; k += kBatch) {
      ys = y;
      for (std::uint64_t i = 0; i < std::min(kBatch, r - k); ++i) {
        y = f(y);
        q = mul_mod(q, x > y ? x - y : y - x, n);
      }
      g = std::gcd(q, n);
    }
    if (r > (1ull << 40)) {
      return n;  // give up; a different c will be tried
    }
  }
  if (g == n) {
    // The batch overshot: step one at a time from the saved point.
    do {
      ys = f(ys);
      g = std::gcd(x > ys ? x - ys : ys - x, n);
    } while (g == 1);
  }
  return g;
}

}  // namespace

std::optional<std::pair<std::uint64_t, std::uint64_t>> factorize_pq(std::uint64_t pq) {
  if (pq < 4) {
    return std::nullopt;
  }
  if (pq % 2 == 0) {
    return std::make_pair(std::uint64_t{2}, pq / 2);
  }
  for (std::uint64_t c = 1; c < 64; ++c) {
    std::uint64_t d = brent(pq, 2 + c, c);
    if (d != 1 && d != pq) {
      std::uint64_t other = pq / d;
      return std::make_pair(std::min(d, other), std::max(d, other));
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> pq_from_bytes(tl::ByteSpan be) {
  if (be.empty() || be.size() > 8) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (auto b : be) {
    v = v << 8 | b;
  }
  return v;
}

}  // namespace hqadz::telegram::mtproto
