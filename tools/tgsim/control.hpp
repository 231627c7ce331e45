#pragma once
/// tgsim's control API (JSON over loopback HTTP): build a world, break it, read deliveries.
/// Routes are documented in tools/tgsim/README.md. Handlers only translate JSON to World calls.

#include <functional>
#include <string>

#include "http/router.hpp"
#include "telegram/session/session_data.hpp"
#include "tools/tgsim/world.hpp"

namespace hqadz::tgsim {

struct ControlContext {
  World& world;
  /// The session an account's key is served at (dc, address, port, key).
  std::function<telegram::SessionData(const AccountInfo&)> session_for;
  /// The HQADZ_TELEGRAM_DCS value pointing at this tgsim.
  std::function<std::string()> dcs_config;
  std::function<std::size_t()> connection_count;
};

/// Adds every control route to `router`. `context` must outlive the router's use.
void add_control_routes(http::Router& router, const ControlContext& context);

}  // namespace hqadz::tgsim
