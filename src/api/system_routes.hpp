#pragma once
/// GET /api/health and GET /metrics.

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace hqadz::api {

void add_system_routes(http::Router& router, storage::Database& db, http::Metrics& metrics);

}  // namespace hqadz::api
