#pragma once
/// `hqadz session check|forward|import`: operate on one Telegram account from the command line.

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

#include "core/config.hpp"

namespace hqadz::app {

class SessionCommands {
 public:
  /// Adds `session` and its subcommands to `cli`; `add_common` adds --data-dir etc.
  SessionCommands(CLI::App& cli, const std::function<void(CLI::App*)>& add_common);
  ~SessionCommands();
  bool parsed() const;
  /// Runs the parsed subcommand; prints one JSON document on stdout; returns the exit code.
  int run(const core::Config& config);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hqadz::app
