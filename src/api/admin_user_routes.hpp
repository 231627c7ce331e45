#pragma once
/// /api/admin/users* and /api/admin/audit.

#include "api/context.hpp"

namespace hqadz::api {

void add_admin_user_routes(http::Router& router, ApiContext& ctx);

}  // namespace hqadz::api
