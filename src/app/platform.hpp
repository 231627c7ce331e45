#pragma once
/// The composition root: builds every service from the Config and wires the routes. The only
/// place that knows all the modules.

#include <memory>
#include <string>

#include "api/context.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "api/commerce_routes.hpp"
#include "api/system_routes.hpp"
#include "domain/adbots.hpp"
#include "domain/catalog.hpp"
#include "domain/commerce.hpp"
#include "domain/identity.hpp"
#include "domain/mail_queue.hpp"
#include "domain/mailer.hpp"
#include "domain/stock.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "payments/payment_poller.hpp"
#include "payments/payment_service.hpp"
#include "storage/database.hpp"

namespace hqadz::engine {
class Engine;
}  // namespace hqadz::engine

namespace hqadz::app {

class Platform {
 public:
  /// Opens and migrates the database, loads or makes the secrets. Throws on bad config.
  /// `demo` (`serve --demo`): with the manual provider, checkouts show a demo address and an
  /// order's owner may simulate its payment.
  explicit Platform(core::Config config, size_t db_pool_size = 8, bool demo = false);
  ~Platform();

  /// Registers every route on `router`, GET /api/openapi.json (their document) last. Throws
  /// std::invalid_argument for a route without a RouteDoc.
  void add_routes(http::Router& router);
  /// Background services of `serve` (mail queue, payment poller); stopped by the destructor.
  void start_background();
  /// Creates and starts the engine (before add_routes, so validate-post can reach it).
  void start_engine();
  /// Stops the engine: no send starts after this returns. Idempotent.
  void stop_engine();

  const core::Config& config() const { return config_; }
  storage::Database& db() { return *db_; }
  domain::IdentityService& identity() { return *identity_; }
  domain::CatalogService& catalog() { return *catalog_; }
  domain::CommerceService& commerce() { return *commerce_; }
  domain::StockService& stock() { return *stock_; }
  domain::AdbotService& adbots() { return *adbots_; }
  engine::Engine* engine() { return engine_.get(); }
  http::Metrics& metrics() { return metrics_; }
  const core::Clock& clock() const { return clock_; }

 private:
  core::Config config_;
  core::SystemClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<domain::Mailer> mailer_;
  std::unique_ptr<domain::IdentityService> identity_;
  std::unique_ptr<domain::StockService> stock_;
  http::Metrics metrics_;
  std::unique_ptr<api::HealthCheck> health_;
  std::unique_ptr<api::ApiContext> api_;
  // Commerce (destroyed first: the poller and the mail queue stop before what they use).
  std::unique_ptr<domain::MailQueue> mail_queue_;
  std::unique_ptr<domain::CatalogService> catalog_;
  std::unique_ptr<domain::CommerceService> commerce_;
  std::unique_ptr<payments::PaymentProvider> provider_;
  std::unique_ptr<payments::PaymentService> payments_;
  std::unique_ptr<payments::PaymentPoller> poller_;
  std::unique_ptr<api::CommerceApi> commerce_api_;
  std::unique_ptr<domain::AdbotService> adbots_;
  // The engine and its Telegram connections go first at destruction.
  std::unique_ptr<class TelegramRuntime> telegram_;
  std::unique_ptr<engine::Engine> engine_;
};

}  // namespace hqadz::app
