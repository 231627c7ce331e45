#include "app/platform.hpp"

#include "api/admin_user_routes.hpp"
#include "api/auth_routes.hpp"
#include "api/system_routes.hpp"
#include "app/secrets.hpp"
#include "app/startup.hpp"

namespace hqadz::app {

Platform::Platform(core::Config config, size_t db_pool_size) : config_(std::move(config)) {
  db_ = open_database(config_, db_pool_size);
  mailer_ = std::make_unique<domain::NullMailer>();

  domain::IdentitySettings identity;
  identity.jwt_secret = !config_.jwt_secret.empty()
                            ? config_.jwt_secret
                            : load_or_create_secret(config_.data_dir + "/jwt_secret", 48);
  if (identity.jwt_secret.size() < 32) {
    throw std::runtime_error("HQADZ_JWT_SECRET must be at least 32 characters");
  }
  identity_ = std::make_unique<domain::IdentityService>(*db_, clock_, *mailer_, identity);

  api_ = std::make_unique<api::ApiContext>(api::ApiContext{
      *identity_, {.secure_cookies = config_.public_url.rfind("https://", 0) == 0}});
}

Platform::~Platform() = default;

void Platform::add_routes(http::Router& router) {
  api::add_system_routes(router, *db_, metrics_);
  api::add_auth_routes(router, *api_);
  api::add_admin_user_routes(router, *api_);
}

}  // namespace hqadz::app
