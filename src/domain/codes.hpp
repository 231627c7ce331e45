#pragma once
/// Human-typable secrets: access codes (140 random bits, Crockford base32 in groups of four)
/// and license keys.

#include <optional>
#include <string>
#include <string_view>

namespace hqadz::domain {

/// e.g. "7KQ2-M9XD-..." (7 groups of 4 = 28 symbols = 140 bits).
std::string generate_access_code();
/// Upper-cases, drops '-' and spaces, maps O→0 and I/L→1; nullopt unless exactly 28 symbols of
/// the alphabet remain. The normalized form is what gets hashed.
std::optional<std::string> normalize_access_code(std::string_view input);
/// "HQ-XXXXX-XXXXX-XXXXX-XXXXX".
std::string generate_license_key();

}  // namespace hqadz::domain
