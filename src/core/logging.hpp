#pragma once
/// Logs go to stderr (stdout carries only machine-readable output, DESIGN section 8).

#include <string>
#include <string_view>

namespace hqadz::core {

/// Installs a stderr logger as spdlog's default. `level`: trace|debug|info|warn|error|off.
void setup_logging(const std::string& level);

/// `text` as printable ASCII, for logs and records of untrusted input (a URL, a provider's
/// field, a refused body): every byte outside 0x20–0x7e becomes `\xNN` and `\` becomes `\\`,
/// so a `%0a` cannot start a forged log line, an ESC cannot drive the terminal, and the result
/// is valid UTF-8 for any database. At most `max_bytes` input bytes are kept ("..." marks a cut).
std::string escape_for_log(std::string_view text, size_t max_bytes = 1024);

}  // namespace hqadz::core
