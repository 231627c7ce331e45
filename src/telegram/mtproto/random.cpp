#include "telegram/mtproto/random.hpp"

#include <openssl/rand.h>

#include <cstdlib>

namespace hqadz::telegram::mtproto {

void SecureRandom::fill(std::span<std::uint8_t> out) {
  // RAND_bytes fails only if the CSPRNG cannot be seeded; continuing would leak keys.
  if (!out.empty() && RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::abort();
  }
}

}  // namespace hqadz::telegram::mtproto
