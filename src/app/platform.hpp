#pragma once
/// The composition root: builds every service from the Config and wires the routes. The only
/// place that knows all the modules.

#include <memory>
#include <string>

#include "api/context.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "domain/identity.hpp"
#include "domain/mailer.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace hqadz::app {

class Platform {
 public:
  /// Opens and migrates the database, loads or makes the secrets. Throws on bad config.
  explicit Platform(core::Config config, size_t db_pool_size = 8);
  ~Platform();

  /// Registers every route on `router`.
  void add_routes(http::Router& router);

  const core::Config& config() const { return config_; }
  storage::Database& db() { return *db_; }
  domain::IdentityService& identity() { return *identity_; }
  http::Metrics& metrics() { return metrics_; }
  const core::Clock& clock() const { return clock_; }

 private:
  core::Config config_;
  core::SystemClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<domain::Mailer> mailer_;
  std::unique_ptr<domain::IdentityService> identity_;
  http::Metrics metrics_;
  std::unique_ptr<api::ApiContext> api_;
};

}  // namespace hqadz::app
