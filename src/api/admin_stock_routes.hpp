#pragma once
/// /api/admin/stock*: upload (multipart .session file or JSON StringSession), list, overview,
/// assign a replacement, retire. Admins only; every change is audited by the domain.

#include "api/context.hpp"
#include "domain/stock.hpp"

namespace hqadz::api {

/// Big enough for a .session file at its limit plus the form fields and multipart framing.
inline constexpr uint64_t kStockUploadBodyLimit = 2 << 20;

/// Needs `ctx.stock`.
void add_admin_stock_routes(http::Router& router, ApiContext& ctx);

}  // namespace hqadz::api
