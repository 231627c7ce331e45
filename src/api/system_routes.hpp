#pragma once
/// GET /api/health and GET /metrics.

#include <chrono>
#include <memory>

#include "core/clock.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace hqadz::api {

/// The database's health as GET /api/health reports it. A probe (Database::ping) runs on a
/// worker at most once per `max_age`; in between, the last answer is served from memory on
/// the I/O thread, so a load balancer polling health costs the database nothing and a dead
/// database shows within `max_age`.
class HealthCheck {
 public:
  HealthCheck(storage::Database& db, const core::Clock& clock,
              std::chrono::milliseconds max_age = std::chrono::milliseconds(1000));
  ~HealthCheck();

  /// The cached answer, or nullopt when it is older than max_age (then call probe()).
  std::optional<http::Response> cached() const;
  /// Pings the database now and remembers the answer.
  http::Response probe();

 private:
  struct State;
  storage::Database& db_;
  const core::Clock& clock_;
  std::chrono::milliseconds max_age_;
  std::unique_ptr<State> state_;
};

void add_system_routes(http::Router& router, HealthCheck& health, http::Metrics& metrics);

}  // namespace hqadz::api
