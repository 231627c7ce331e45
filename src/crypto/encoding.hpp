#pragma once
/// Byte/text encodings: hex, base64 (standard and URL-safe, padded), all bounds-checked.

#include <optional>
#include <string>
#include <string_view>

namespace hqadz::crypto {

std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

std::string to_base64(std::string_view bytes);
std::string to_base64url(std::string_view bytes, bool padded = false);
/// Accepts standard or URL-safe alphabets, with or without padding; nullopt on bad input.
std::optional<std::string> from_base64(std::string_view text);

/// Constant-time comparison of two byte strings (length leaks, content doesn't).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace hqadz::crypto
