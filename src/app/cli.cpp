#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "api/auth_routes.hpp"
#include "api/openapi.hpp"
#include "app/cli_io.hpp"
#include "app/engine_command.hpp"
#include "app/openapi_command.hpp"
#include "app/platform.hpp"
#include "app/serve.hpp"
#include "app/session_commands.hpp"
#include "app/session_import.hpp"
#include "app/startup.hpp"
#include "core/logging.hpp"
#include "crypto/random.hpp"
#include "storage/migrations.hpp"

namespace hqadz::app {
namespace {

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

  auto* engine_cmd = cli.add_subcommand("engine", "engine workers only (scale-out)");
  add_common(engine_cmd);

  auto* migrate_cmd = cli.add_subcommand("migrate", "apply pending database migrations");
  add_common(migrate_cmd);

  auto* admin_cmd = cli.add_subcommand("admin", "operator tasks");
  admin_cmd->require_subcommand(1);
  std::string new_email;
  std::string new_role = "USER";
  auto* create_user_cmd = admin_cmd->add_subcommand("create-user", "create a user, print its access code once");
  add_common(create_user_cmd);
  create_user_cmd->add_option("--email", new_email, "email address")->required();
  create_user_cmd->add_option("--role", new_role, "USER or ADMIN")
      ->check(CLI::IsMember({"USER", "ADMIN"}, CLI::ignore_case));

  auto* routes_cmd = cli.add_subcommand("routes", "print every HTTP route and who may call it (JSON)");
  add_common(routes_cmd);

  auto* openapi_cmd = cli.add_subcommand(
      "openapi", "print the OpenAPI 3.1 document of every route, demo ones included (JSON)");

  SessionCommands session(cli, add_common);
  SessionImportCommand session_import(cli, add_common);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  try {
    crypto::init();
    if (openapi_cmd->parsed()) {
      core::setup_logging(log_level.empty() ? "warn" : log_level);
      return run_openapi();
    }
    core::Config config = load_configuration(common);
    core::setup_logging(log_level.empty() ? config.log_level : log_level);
    ensure_data_dir(config);

    if (engine_cmd->parsed()) {
      return run_engine(config);
    }
    if (serve_cmd->parsed()) {
      return run_serve(config, serve);
    }
    if (create_user_cmd->parsed()) {
      Platform platform(config, 1);
      for (auto& c : new_role) {
        c = static_cast<char>(std::toupper(c));
      }
      auto made = platform.identity().create_user(new_email, new_role, {"cli", std::nullopt});
      if (!made.ok()) {
        return fail(made.error().code, made.error().message);
      }
      print_json({{"id", made->user.id},
                  {"email", made->user.email},
                  {"role", made->user.role},
                  {"access_code", made->access_code}});
      return 0;
    }
    if (routes_cmd->parsed()) {
      Platform platform(config, 1);
      http::Router router;
      platform.add_routes(router);
      nlohmann::json list = nlohmann::json::array();
      for (const auto& r : router.routes()) {
        list.push_back({{"method", r.method},
                        {"pattern", r.pattern},
                        {"access", api::access_name(r.access)},
                        {"owner_scoped", r.owner_scoped},
                        {"json_body", r.json_body}});
      }
      print_json({{"routes", list}});
      return 0;
    }
    if (session_import.parsed()) {
      return session_import.run(config);
    }
    if (session.parsed()) {
      return session.run(config);
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
