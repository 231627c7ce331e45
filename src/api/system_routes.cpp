#include "api/system_routes.hpp"

namespace hqadz::api {

void add_system_routes(http::Router& router, storage::Database& db, http::Metrics& metrics) {
  router.add({"GET", "/api/health", http::Access::kPublic, [&db](http::Request&) {
                if (auto st = db.ping(); !st.ok()) {
                  return http::Response::json(
                      503, {{"status", "degraded"}, {"db", "unreachable"},
                            {"error", {{"code", st.error().code}, {"message", st.error().message}}}});
                }
                return http::Response::ok({{"status", "ok"}, {"db", "ok"}});
              }});
  // Public like any Prometheus endpoint: counts and latencies only, nothing about anyone.
  router.add({"GET", "/metrics", http::Access::kPublic, [&metrics](http::Request&) {
                http::Response r;
                r.body = metrics.render();
                r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                return r;
              }});
}

}  // namespace hqadz::api
