#include "app/platform.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "api/adbot_routes.hpp"
#include "api/admin_stock_routes.hpp"
#include "api/admin_user_routes.hpp"
#include "api/auth_routes.hpp"
#include "api/commerce_routes.hpp"
#include "api/notification_routes.hpp"
#include "api/openapi.hpp"
#include "api/system_routes.hpp"
#include "app/demo_payments.hpp"
#include "app/master_key.hpp"
#include "app/secrets.hpp"
#include "app/startup.hpp"
#include "app/telegram_runtime.hpp"
#include "domain/smtp_mailer.hpp"
#include "engine/engine.hpp"
#include "payments/nowpayments.hpp"
#include "telegram/client/dc_table.hpp"

namespace hqadz::app {
namespace {

/// The DC ids an imported session may name: those of the DC table in force.
std::vector<int> dc_ids_of(const std::string& dcs_setting) {
  auto table = telegram::DcTable::from_setting(dcs_setting);
  if (!table.ok()) {
    throw std::runtime_error("HQADZ_TELEGRAM_DCS: " + table.error().message);
  }
  std::vector<int> ids;
  for (const auto& dc : table->dcs()) {
    ids.push_back(dc.id);
  }
  return ids;
}

}  // namespace

Platform::Platform(core::Config config, size_t db_pool_size, bool demo)
    : config_(std::move(config)) {
  db_ = open_database(config_, db_pool_size);
  if (!config_.smtp_url.empty()) {
    mailer_ = std::make_unique<domain::SmtpMailer>(
        domain::SmtpSettings{.url = config_.smtp_url, .from = config_.smtp_from});
  } else {
    mailer_ = std::make_unique<domain::NullMailer>();
  }

  domain::IdentitySettings identity;
  identity.jwt_secret = !config_.jwt_secret.empty()
                            ? config_.jwt_secret
                            : load_or_create_secret(config_.data_dir + "/jwt_secret", 48);
  identity.access_ttl = std::chrono::seconds(config_.access_token_ttl_seconds);
  if (identity.jwt_secret.size() < 32) {
    throw std::runtime_error("HQADZ_JWT_SECRET must be at least 32 characters");
  }
  identity_ = std::make_unique<domain::IdentityService>(*db_, clock_, *mailer_, identity);
  stock_ = std::make_unique<domain::StockService>(
      *db_, clock_, load_master_key(config_),
      domain::StockSettings{.low_stock_threshold = config_.low_stock_threshold,
                            .dc_ids = dc_ids_of(config_.telegram_dcs)});

  api_ = std::make_unique<api::ApiContext>(api::ApiContext{
      *identity_, {.secure_cookies = config_.public_url.rfind("https://", 0) == 0}});
  api_->stock = stock_.get();

  mail_queue_ = std::make_unique<domain::MailQueue>(*mailer_);
  catalog_ = std::make_unique<domain::CatalogService>(*db_, clock_);
  commerce_ = std::make_unique<domain::CommerceService>(
      *db_, clock_, mail_queue_.get(),
      domain::CommerceSettings{.low_stock_threshold = config_.low_stock_threshold});
  if (config_.payment_provider == "nowpayments") {
    provider_ = std::make_unique<payments::NowPaymentsProvider>(payments::NowPaymentsSettings{
        .api_url = config_.nowpayments_api_url,
        .api_key = config_.nowpayments_api_key,
        .timeout = std::chrono::milliseconds(config_.nowpayments_timeout_ms)});
  } else if (demo) {
    provider_ = std::make_unique<DemoPaymentProvider>();  // manual, with a demo address
  } else {
    provider_ = std::make_unique<payments::ManualProvider>();
  }
  payments_ = std::make_unique<payments::PaymentService>(
      *commerce_, *provider_, clock_,
      payments::PaymentSettings{
          .ipn_secret = config_.nowpayments_ipn_secret,
          .public_url = config_.public_url,
          .on_unrecorded_refusal = [this] {
            metrics_.count("hqadz_ipn_refused_unrecorded_total",
                           "Refused IPNs (bad signature) over their address's rate: not stored.");
          }});
  poller_ = std::make_unique<payments::PaymentPoller>(*commerce_, *payments_, clock_);
  commerce_api_ = std::make_unique<api::CommerceApi>(api::CommerceApi{*catalog_, *commerce_, *payments_});
  // Simulated payments are manual ones; a demo on NOWPayments takes real (sandbox) payments.
  commerce_api_->demo = demo && config_.payment_provider == "manual";
  stock_->set_on_stock_added([this] { (void)commerce_->fulfil_queued(); });

  adbots_ = std::make_unique<domain::AdbotService>(*db_, clock_);
  api_->adbots = adbots_.get();
}

void Platform::start_engine() {
  if (engine_) {
    return;
  }
  telegram_ = std::make_unique<TelegramRuntime>(*stock_, config_.telegram_dcs);
  engine::EngineSettings settings;
  settings.gap_min_seconds = config_.post_gap_min_seconds;
  settings.gap_max_seconds = config_.post_gap_max_seconds;
  if (const char* ttl = std::getenv("HQADZ_ENGINE_LEASE_TTL_MS"); ttl != nullptr && *ttl != 0) {
    // Tests and small fleets take over a dead worker's adbots sooner than the 30 s default.
    char* end = nullptr;
    const long long ms = std::strtoll(ttl, &end, 10);
    if (*end != 0 || ms < 1000 || ms > 600'000) {
      throw std::runtime_error("HQADZ_ENGINE_LEASE_TTL_MS: expected 1000..600000 milliseconds");
    }
    settings.lease_ttl = std::chrono::milliseconds(ms);
    settings.renew_every = std::min(settings.renew_every, settings.lease_ttl / 3);
  }
  // The adbots run on their accounts' I/O thread; the pool keeps only scans, leases and
  // maintenance.
  settings.threads = 1;
  settings.notify_url = config_.database_url;  // the engine LISTENs on PostgreSQL only
  engine_ = std::make_unique<engine::Engine>(
      *db_, clock_, [this](int64_t session_id) { return telegram_->open(session_id); }, settings,
      &telegram_->io());
  api_->engine = engine_.get();
  adbots_->set_on_change([this](int64_t id) {
    if (engine_) {
      engine_->wake(id);
    }
  });
  engine_->start();
}

void Platform::stop_engine() {
  if (engine_) {
    engine_->stop();
  }
}

void Platform::start_background() {
  mail_queue_->start();
  poller_->start();
}

Platform::~Platform() {
  stop_engine();
}

void Platform::add_routes(http::Router& router) {
  if (!health_) {
    health_ = std::make_unique<api::HealthCheck>(*db_, clock_);
  }
  api::add_system_routes(router, *health_, metrics_);
  api::add_auth_routes(router, *api_);
  api::add_admin_user_routes(router, *api_);
  api::add_admin_stock_routes(router, *api_);
  api::add_commerce_routes(router, *commerce_api_);
  api::add_notification_routes(router, *db_, clock_);
  api::add_adbot_routes(router, *api_);
  api::add_admin_adbot_routes(router, *api_);
  // Last: the document it serves is the table as it stands now.
  api::add_contract_routes(router, {.web_dir = find_web_dir(config_)});
}

}  // namespace hqadz::app
