#pragma once
/// Randomness is injected (STYLE rule 9) so tests can fix paddings, nonces and keys.

#include <cstdint>
#include <span>

namespace hqadz::telegram::mtproto {

/// Thread-safety is up to the implementation; SecureRandom is thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

/// OpenSSL's CSPRNG.
class SecureRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace hqadz::telegram::mtproto
