#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "app/serve.hpp"
#include "app/startup.hpp"
#include "core/logging.hpp"
#include "crypto/random.hpp"
#include "storage/migrations.hpp"

namespace hqadz::app {
namespace {

/// Machine-readable output: one JSON document on stdout, flushed at once.
void print_json(const nlohmann::json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

int fail(const std::string& code, const std::string& message) {
  spdlog::error("{}", message);
  print_json({{"error", {{"code", code}, {"message", message}}}});
  return 1;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"hqadz: Telegram adbots as a service"};
  cli.require_subcommand(1);
  CommonOptions common;
  std::string log_level;
  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--data-dir", common.data_dir, "data directory (env HQADZ_DATA_DIR, default ./data)");
    sub->add_option("--config", common.config_file, "KEY=VALUE config file (default <data-dir>/hqadz.conf)");
    sub->add_option("--log-level", log_level, "trace|debug|info|warn|error (env HQADZ_LOG_LEVEL)");
  };

  ServeOptions serve;
  auto* serve_cmd = cli.add_subcommand("serve", "run the API, web UI and engine");
  add_common(serve_cmd);
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT (env HQADZ_LISTEN, default 127.0.0.1:8080)");
  serve_cmd->add_flag("--demo", serve.demo, "demo mode: bundled Telegram simulator, demo data");
  serve_cmd->add_flag("--no-engine", serve.no_engine, "API only (scale-out on PostgreSQL)");

  auto* migrate_cmd = cli.add_subcommand("migrate", "apply pending database migrations");
  add_common(migrate_cmd);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  try {
    crypto::init();
    core::Config config = load_configuration(common);
    core::setup_logging(log_level.empty() ? config.log_level : log_level);
    ensure_data_dir(config);

    if (serve_cmd->parsed()) {
      return run_serve(config, serve);
    }
    if (migrate_cmd->parsed()) {
      auto db = open_database(config, 1);
      auto versions = storage::applied_versions(*db);
      if (!versions.ok()) {
        return fail(versions.error().code, versions.error().message);
      }
      print_json({{"backend", storage::backend_name(db->backend())},
                  {"schema_version", versions->empty() ? 0 : versions->back()}});
      return 0;
    }
  } catch (const std::exception& e) {
    if (!spdlog::get("hqadz")) {
      core::setup_logging("info");
    }
    return fail("startup_failed", e.what());
  }
  return 0;
}

}  // namespace hqadz::app
