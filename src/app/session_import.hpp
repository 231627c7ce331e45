#pragma once
/// `hqadz session import FILE | --string S --phone P --api-id N --api-hash H`: puts one Telegram
/// account into stock from the command line (operators with many files), with the same checks
/// and the same encryption as the admin's upload. Prints the new stock row as JSON.

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

#include "core/config.hpp"

namespace hqadz::app {

class SessionImportCommand {
 public:
  /// Adds `import` under the existing `session` subcommand of `cli`.
  SessionImportCommand(CLI::App& cli, const std::function<void(CLI::App*)>& add_common);
  ~SessionImportCommand();
  bool parsed() const;
  /// Prints one JSON document on stdout; returns the exit code (0 imported, 1 refused).
  int run(const core::Config& config);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hqadz::app
