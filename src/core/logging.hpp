#pragma once
/// Logs go to stderr (stdout carries only machine-readable output, DESIGN section 8).

#include <string>

namespace hqadz::core {

/// Installs a stderr logger as spdlog's default. `level`: trace|debug|info|warn|error|off.
void setup_logging(const std::string& level);

}  // namespace hqadz::core
