#pragma once
/// The customer's adbot routes: advertisement, validate-post, start/stop, status, logs (JSON and
/// Server-Sent Events), stats; the seed's legacy /api/bot/config and /api/bot/control.

#include "api/context.hpp"

namespace hqadz::api {

void add_adbot_routes(http::Router& router, ApiContext& ctx);
/// Admin: fleet, extend, dashboard, stats, blocklist; public opt-out.
void add_admin_adbot_routes(http::Router& router, ApiContext& ctx);

}  // namespace hqadz::api
