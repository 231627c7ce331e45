#include "app/session_import.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

#include "app/cli_io.hpp"
#include "app/platform.hpp"
#include "telegram/session/session_data.hpp"

namespace hqadz::app {
namespace {

int fail(const core::Error& e) {
  spdlog::error("session import: {}", e.message);
  print_json({{"error", {{"code", e.code}, {"message", e.message}}}});
  return 1;
}

}  // namespace

struct SessionImportCommand::State {
  CLI::App* import = nullptr;
  std::string file;
  std::string string_session;
  std::string phone;
  int64_t api_id = 0;
  std::string api_hash;
};

SessionImportCommand::SessionImportCommand(CLI::App& cli,
                                           const std::function<void(CLI::App*)>& add_common)
    : state_(std::make_unique<State>()) {
  CLI::App* session = cli.get_subcommand("session");
  auto* s = state_.get();
  s->import = session->add_subcommand(
      "import", "put one Telegram account into stock (Telethon .session file or StringSession)");
  add_common(s->import);
  auto* file = s->import->add_option("file", s->file, "Telethon .session file");
  auto* text = s->import->add_option("--string", s->string_session, "Telethon StringSession");
  file->excludes(text);
  text->excludes(file);
  s->import->add_option("--phone", s->phone, "the account's phone number")->required();
  s->import->add_option("--api-id", s->api_id, "api_id the session was created with")->required();
  s->import->add_option("--api-hash", s->api_hash, "api_hash the session was created with")
      ->required();
}

SessionImportCommand::~SessionImportCommand() = default;

bool SessionImportCommand::parsed() const { return state_->import->parsed(); }

int SessionImportCommand::run(const core::Config& config) {
  const auto& s = *state_;
  if (s.file.empty() == s.string_session.empty()) {
    return fail(core::Error::invalid("missing_session", "give a FILE or --string, not both"));
  }
  Platform platform(config, 1);
  const domain::StockImport fields{s.phone, s.api_id, s.api_hash};
  const domain::RequestContext ctx{"cli", std::nullopt};
  core::Result<domain::StockAccount> made = core::Error::internal();
  if (!s.file.empty()) {
    auto bytes = read_session_file(s.file);
    if (!bytes.ok()) {
      return fail(bytes.error());
    }
    made = platform.stock().import_session_file(*bytes, fields, ctx);
  } else {
    made = platform.stock().import_string_session(s.string_session, fields, ctx);
  }
  if (!made.ok()) {
    return fail(made.error());
  }
  print_json(domain::to_json(*made));
  return 0;
}

}  // namespace hqadz::app
