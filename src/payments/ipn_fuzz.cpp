// libFuzzer target for the IPN canonicalizer (clang only: -DHQADZ_FUZZ=ON with clang).
// Properties: never crashes; the canonical form is itself canonical and parses again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "payments/ipn_signature.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto once = hqadz::payments::canonicalize_ipn_body(body);
  if (!once) {
    return 0;
  }
  auto twice = hqadz::payments::canonicalize_ipn_body(*once);
  if (!twice || *twice != *once) {
    std::abort();
  }
  (void)hqadz::payments::verify_ipn_signature(body, "00", "secret");
  return 0;
}
