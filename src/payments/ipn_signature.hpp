#pragma once
/// NOWPayments IPN signatures (docs/NOWPAYMENTS.md): lowercase hex HMAC-SHA512 of the body,
/// keyed with the trimmed IPN secret. Verified on the raw bytes first; only if that fails, on
/// the canonical form (object keys sorted recursively, no whitespace, every number and string
/// token copied byte for byte). The body is never parsed and dumped by a JSON library.
///
/// `canonicalize_ipn_body` is pure (no Asio, no nlohmann): it is fuzzed with clang.

#include <optional>
#include <string>
#include <string_view>

namespace hqadz::payments {

/// Keys sorted recursively by UTF-16 code units (JavaScript's default sort), whitespace
/// removed, tokens as written. nullopt when the body is not a well-formed JSON object.
std::optional<std::string> canonicalize_ipn_body(std::string_view body);

enum class IpnVerdict {
  kValid,             // the raw bytes matched
  kValidCanonical,    // the canonical form matched
  kMissingSignature,  // no (or an empty) x-nowpayments-sig header
  kBadSignature,      // neither form matched
  kNoSecret,          // no IPN secret configured: nothing can be verified
};

/// Compares in constant time; `signature` is the header's value (hex, any case).
IpnVerdict verify_ipn_signature(std::string_view body, std::string_view signature,
                                std::string_view secret);

inline bool is_valid(IpnVerdict v) {
  return v == IpnVerdict::kValid || v == IpnVerdict::kValidCanonical;
}
const char* verdict_name(IpnVerdict v);

/// The signature NOWPayments would send for `body` (tests and the fake provider).
std::string sign_ipn_body(std::string_view body, std::string_view secret);

}  // namespace hqadz::payments
