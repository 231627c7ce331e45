#include "app/session_commands.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace hqadz::app {

struct SessionCommands::State {
  CLI::App* session = nullptr;
};

SessionCommands::SessionCommands(CLI::App& cli, const std::function<void(CLI::App*)>& add_common)
    : state_(std::make_unique<State>()) {
  state_->session = cli.add_subcommand("session", "operate on one Telegram account");
  add_common(state_->session);
}

SessionCommands::~SessionCommands() = default;

bool SessionCommands::parsed() const { return state_->session->parsed(); }

int SessionCommands::run(const core::Config&) {
  std::cout << nlohmann::json{{"error",
                               {{"code", "not_available"},
                                {"message", "session commands are not built yet"}}}}
                   .dump()
            << std::endl;
  return 1;
}

}  // namespace hqadz::app
