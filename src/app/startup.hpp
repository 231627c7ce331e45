#pragma once
/// What every subcommand does first: resolve the data dir, read the configuration (a KEY=VALUE
/// file, then the environment), create the data dir, set up logging, open and migrate the
/// database.

#include <memory>
#include <string>

#include "core/config.hpp"
#include "storage/database.hpp"

namespace hqadz::app {

struct CommonOptions {
  std::string data_dir;     // --data-dir; empty: HQADZ_DATA_DIR or ./data
  std::string config_file;  // --config; empty: <data-dir>/hqadz.conf when it exists
};

/// Loads the configuration; throws std::runtime_error with a clear message on bad config.
core::Config load_configuration(const CommonOptions& options);

/// Creates the data dir (mode 0700 when new).
void ensure_data_dir(const core::Config& config);

/// The built web UI (web/dist): HQADZ_WEB_DIR, else next to the source tree the binary was
/// built in, else ./web/dist (which may not exist).
std::string find_web_dir(const core::Config& config);

/// Opens the database and applies pending migrations; throws on failure.
std::unique_ptr<storage::Database> open_database(const core::Config& config, size_t pool_size);

}  // namespace hqadz::app
