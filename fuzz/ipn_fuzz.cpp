// libFuzzer target: the NOWPayments IPN canonicalizer and signature check (src/payments/
// ipn_signature). Input: the x-nowpayments-sig header value up to the first '\n', then the
// body (no '\n': the whole input is the body, with an empty header).
// Properties: never crashes; the canonical form is itself canonical; a body signed with the
// secret verifies (raw, in any hex case), and so does its canonical form's signature; a
// header that is not the signature of either form never verifies.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "payments/ipn_signature.hpp"

namespace p = hqadz::payments;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "ipn_fuzz: property violated: %s\n", what);
  std::abort();
}

std::string upper(std::string s) {
  for (auto& c : s) {
    if (c >= 'a' && c <= 'f') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nl = input.find('\n');
  const std::string_view header = nl == std::string_view::npos ? "" : input.substr(0, nl);
  const std::string_view body = nl == std::string_view::npos ? input : input.substr(nl + 1);
  constexpr std::string_view kSecret = "fuzz-ipn-secret";

  auto once = p::canonicalize_ipn_body(body);
  if (once) {
    auto twice = p::canonicalize_ipn_body(*once);
    if (!twice || *twice != *once) {
      fail("the canonical form is not canonical");
    }
  }

  const std::string sig = p::sign_ipn_body(body, kSecret);
  if (p::verify_ipn_signature(body, sig, kSecret) != p::IpnVerdict::kValid ||
      p::verify_ipn_signature(body, upper(sig), kSecret) != p::IpnVerdict::kValid) {
    fail("the body's own signature does not verify");
  }
  if (once && *once != body) {
    const std::string canonical_sig = p::sign_ipn_body(*once, kSecret);
    if (p::verify_ipn_signature(body, canonical_sig, kSecret) != p::IpnVerdict::kValidCanonical) {
      fail("the canonical form's signature does not verify");
    }
  }

  const auto verdict = p::verify_ipn_signature(body, header, kSecret);
  if (p::is_valid(verdict)) {
    const std::string h = upper(std::string(header));
    const bool raw = h.find(upper(sig)) != std::string::npos;
    const bool canonical =
        once && h.find(upper(p::sign_ipn_body(*once, kSecret))) != std::string::npos;
    if (!raw && !canonical) {
      fail("a header that is no signature verified");
    }
  }
  if (p::verify_ipn_signature(body, header, "") != p::IpnVerdict::kNoSecret) {
    fail("no secret, yet a verdict");
  }
  return 0;
}
