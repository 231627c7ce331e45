#pragma once
/// /api/user/notifications (list, newest first), /{id}/read and /read-all.

#include "http/router.hpp"
#include "storage/database.hpp"
#include "core/clock.hpp"

namespace hqadz::api {

void add_notification_routes(http::Router& router, storage::Database& db, const core::Clock& clock);

}  // namespace hqadz::api
