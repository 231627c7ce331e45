#include "app/session_commands.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include "app/cli_io.hpp"
#include "telegram/client/session_tool.hpp"
#include "telegram/session/session_data.hpp"

namespace hqadz::app {
namespace {

int fail(const std::string& code, const std::string& message) {
  spdlog::error("session: {}", message);
  print_json(telegram::error_json(code, message));
  return 1;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

}  // namespace

struct SessionCommands::State {
  CLI::App* session = nullptr;
  CLI::App* check = nullptr;
  CLI::App* forward = nullptr;
  std::string string_session;
  std::string file;
  std::string api_id;
  std::string api_hash;
  std::string from;
  std::string to;
  std::vector<int> retry_delays_ms;
};

SessionCommands::SessionCommands(CLI::App& cli, const std::function<void(CLI::App*)>& add_common)
    : state_(std::make_unique<State>()) {
  auto* s = state_.get();
  s->session = cli.add_subcommand("session", "operate on one Telegram account");
  add_common(s->session);
  auto add_account = [s, &add_common](CLI::App* sub) {
    add_common(sub);
    auto* text = sub->add_option("--string", s->string_session, "Telethon StringSession");
    auto* file = sub->add_option("--file", s->file, "Telethon .session file");
    text->excludes(file);
    sub->add_option("--api-id", s->api_id, "app api_id (env HQADZ_TELEGRAM_API_ID)");
    sub->add_option("--api-hash", s->api_hash, "app api_hash (env HQADZ_TELEGRAM_API_HASH)");
    sub->add_option("--retry-delays-ms", s->retry_delays_ms,
                    "waits before the retries of a TRANSIENT error (default 1000,4000,10000)")
        ->delimiter(',');
  };
  s->check = s->session->add_subcommand("check", "connect and print who the account is (JSON)");
  add_account(s->check);
  s->forward = s->session->add_subcommand("forward", "forward one post to one group (JSON)");
  add_account(s->forward);
  s->forward->add_option("--from", s->from, "post link, e.g. https://t.me/channel/123")
      ->required();
  s->forward->add_option("--to", s->to, "group link or @name")->required();
}

SessionCommands::~SessionCommands() = default;

bool SessionCommands::parsed() const { return state_->session->parsed(); }

int SessionCommands::run(const core::Config& config) {
  auto* s = state_.get();
  if (!s->check->parsed() && !s->forward->parsed()) {
    return fail("usage", "use `hqadz session check|forward|import` (see --help)");
  }
  core::Result<telegram::SessionData> session = core::Error::invalid("usage", "");
  if (!s->string_session.empty()) {
    session = telegram::parse_string_session(s->string_session);
  } else if (!s->file.empty()) {
    auto bytes = read_session_file(s->file);
    if (!bytes.ok()) {
      return fail(bytes.error().code, bytes.error().message);
    }
    session = telegram::parse_session_file(*bytes);
  } else {
    return fail("usage", "give the account as --string S or --file F");
  }
  if (!session.ok()) {
    return fail(session.error().code, session.error().message);
  }
  telegram::SessionToolOptions options;
  options.session = std::move(session).value();
  // Without credentials, a placeholder that tgsim accepts; Telegram itself needs the real ones.
  auto api_id = s->api_id.empty() ? env_or("HQADZ_TELEGRAM_API_ID", "0") : s->api_id;
  try {
    options.api_id = static_cast<int32_t>(std::stol(api_id));
  } catch (const std::exception&) {
    return fail("bad_api_id", "--api-id must be a number");
  }
  options.api_hash = s->api_hash.empty() ? env_or("HQADZ_TELEGRAM_API_HASH", "tgsim") : s->api_hash;
  options.telegram_dcs = config.telegram_dcs;
  if (!s->retry_delays_ms.empty()) {
    options.retry_delays.clear();
    for (int ms : s->retry_delays_ms) {
      if (ms < 0) {
        return fail("bad_retry_delays", "--retry-delays-ms takes waits of 0 ms or more");
      }
      options.retry_delays.push_back(std::chrono::milliseconds(ms));
    }
  }

  auto answer = s->check->parsed() ? telegram::check_session(options)
                                   : telegram::forward_post(options, s->from, s->to);
  print_json(answer);
  return answer.contains("error") ? 1 : 0;
}

}  // namespace hqadz::app
