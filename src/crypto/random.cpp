#include "crypto/random.hpp"

#include <sodium.h>

#include <stdexcept>

#include "crypto/encoding.hpp"

namespace hqadz::crypto {

void init() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialize");
  }
}

std::string random_bytes(size_t n) {
  init();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

uint64_t random_u64() {
  init();
  uint64_t v = 0;
  randombytes_buf(&v, sizeof v);
  return v;
}

uint64_t random_between(uint64_t lo, uint64_t hi) {
  if (hi <= lo) {
    return lo;
  }
  const uint64_t span = hi - lo;
  if (span == UINT64_MAX) {
    return random_u64();
  }
  // Rejection sampling keeps the distribution uniform.
  const uint64_t n = span + 1;
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
  uint64_t v = 0;
  do {
    v = random_u64();
  } while (v >= limit);
  return lo + v % n;
}

std::string random_hex(size_t n) { return to_hex(random_bytes(n)); }

}  // namespace hqadz::crypto
