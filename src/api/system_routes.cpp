#include "api/system_routes.hpp"

#include <mutex>

#include "api/schema.hpp"

namespace hqadz::api {

struct HealthCheck::State {
  mutable std::mutex mutex;
  bool known = false;
  core::TimePoint at{};
  http::Response answer;
};

HealthCheck::HealthCheck(storage::Database& db, const core::Clock& clock,
                         std::chrono::milliseconds max_age)
    : db_(db), clock_(clock), max_age_(max_age), state_(std::make_unique<State>()) {}

HealthCheck::~HealthCheck() = default;

std::optional<http::Response> HealthCheck::cached() const {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  if (!state_->known || now < state_->at || now - state_->at >= max_age_) {
    return std::nullopt;
  }
  return state_->answer;
}

http::Response HealthCheck::probe() {
  http::Response r;
  if (auto st = db_.ping(); !st.ok()) {
    r = http::Response::json(
        503, {{"status", "degraded"},
              {"db", "unreachable"},
              {"error", {{"code", st.error().code}, {"message", st.error().message}}}});
  } else {
    r = http::Response::ok({{"status", "ok"}, {"db", "ok"}});
  }
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  state_->known = true;
  state_->at = now;
  state_->answer = r;
  return r;
}

void add_system_routes(http::Router& router, HealthCheck& health, http::Metrics& metrics) {
  router.add(
      {.method = "GET",
       .pattern = "/api/health",
       .access = http::Access::kPublic,
       .handler = [&health](http::Request&) { return health.probe(); },
       .inline_handler = [&health](http::Request&) { return health.cached(); }},
      {.summary = "Is the server up, and can it reach its database",
       .tag = "system",
       .replies = {
           {200, "Up",
            schema::obj({{"status", schema::enum_of({"ok"})}, {"db", schema::enum_of({"ok"})}})},
           {503, "Up, but the database is unreachable",
            schema::obj({{"status", schema::enum_of({"degraded"})},
                         {"db", schema::enum_of({"unreachable"})},
                         {"error", schema::obj({{"code", schema::string()},
                                                {"message", schema::string()}})}})}}});
  // Public like any Prometheus endpoint: counts and latencies only, nothing about anyone.
  router.add({"GET", "/metrics", http::Access::kPublic,
              [&metrics](http::Request&) {
                http::Response r;
                r.body = metrics.render();
                r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                return r;
              }},
             {.summary = "Prometheus metrics (request counts and latencies)",
              .tag = "system",
              .replies = {{200, "The Prometheus text format", nullptr, "text/plain"}}});
}

}  // namespace hqadz::api
