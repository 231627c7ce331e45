#include "app/startup.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "storage/migrations.hpp"

namespace hqadz::app {
namespace fs = std::filesystem;

std::string find_web_dir(const core::Config& config) {
  if (!config.web_dir.empty()) {
    return config.web_dir;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      if (fs::exists(dir / "web" / "dist" / "index.html", ec)) {
        return (dir / "web" / "dist").string();
      }
    }
  }
  return "web/dist";
}

core::Config load_configuration(const CommonOptions& options) {
  const auto env = core::process_env();
  std::string data_dir = options.data_dir;
  if (data_dir.empty()) {
    data_dir = env("HQADZ_DATA_DIR").value_or("./data");
  }
  std::string file = options.config_file;
  const bool explicit_file = !file.empty();
  if (file.empty()) {
    file = (fs::path(data_dir) / "hqadz.conf").string();
  }
  std::map<std::string, std::string> values;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = core::parse_config_file(text.str());
    if (!parsed.ok()) {
      throw std::runtime_error(file + ": " + parsed.error().message);
    }
    values = std::move(*parsed);
  } else if (explicit_file) {
    throw std::runtime_error("config file " + file + " does not exist");
  }
  auto config = core::load_config(env, values);
  if (!config.ok()) {
    throw std::runtime_error(config.error().message);
  }
  config->data_dir = data_dir;  // the flag wins over the environment and the file
  return *config;
}

void ensure_data_dir(const core::Config& config) {
  std::error_code ec;
  if (!fs::exists(config.data_dir, ec)) {
    fs::create_directories(config.data_dir, ec);
    if (ec) {
      throw std::runtime_error("cannot create data dir " + config.data_dir + ": " + ec.message());
    }
    fs::permissions(config.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  } else if (!fs::is_directory(config.data_dir, ec)) {
    throw std::runtime_error("data dir " + config.data_dir + " is not a directory");
  }
}

std::unique_ptr<storage::Database> open_database(const core::Config& config, size_t pool_size) {
  auto db = storage::Database::open({.url = config.effective_database_url(), .pool_size = pool_size});
  if (!db.ok()) {
    throw std::runtime_error(db.error().message);
  }
  auto applied = storage::migrate(**db);
  if (!applied.ok()) {
    throw std::runtime_error("migration failed: " + applied.error().message);
  }
  spdlog::info("database {} ({}), {} migration(s) applied", (*db)->url_for_logs(),
               storage::backend_name((*db)->backend()), *applied);
  return std::move(*db);
}

}  // namespace hqadz::app
