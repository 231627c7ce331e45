#pragma once
// Test-only helpers: fixed randomness and testdata access.

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "telegram/mtproto/random.hpp"
#include "telegram/tl/bytes.hpp"

namespace hqadz::telegram::mtproto::testing {

/// Hands out the given bytes in order, then a counter pattern.
class FixedRandom final : public Random {
 public:
  explicit FixedRandom(tl::Bytes bytes = {}) : bytes_(std::move(bytes)) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) {
      b = pos_ < bytes_.size() ? bytes_[pos_] : static_cast<std::uint8_t>(pos_ * 7 + 1);
      ++pos_;
    }
  }

 private:
  tl::Bytes bytes_;
  std::size_t pos_ = 0;
};

inline std::string read_testdata(const std::string& name) {
  std::ifstream in(std::string(HQADZ_TG_TESTDATA) + "/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nlohmann::json testdata_json(const std::string& name) {
  return nlohmann::json::parse(read_testdata(name));
}

inline tl::Bytes hex(const std::string& s) { return tl::from_hex(s); }

inline tl::Bytes iota_bytes(std::size_t n) {
  tl::Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) {
    b[i] = static_cast<std::uint8_t>(i);
  }
  return b;
}

template <std::size_t N>
std::array<std::uint8_t, N> arr(const tl::Bytes& b) {
  std::array<std::uint8_t, N> out{};
  std::copy_n(b.begin(), std::min(N, b.size()), out.begin());
  return out;
}

}  // namespace hqadz::telegram::mtproto::testing
