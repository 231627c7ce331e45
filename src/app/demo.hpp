#pragma once
/// `hqadz serve --demo`: demo users (and, as the platform grows, a demo world), their access
/// codes kept in <data-dir>/demo-credentials.json (demo mode only) and shown on every run.

#include <string>

#include "app/demo_world.hpp"
#include "app/platform.hpp"

namespace hqadz::app {

/// Creates what the demo needs on the first run; idempotent.
void prepare_demo(Platform& platform);
/// Tells the person who typed `make run` where to go and how to sign in (on stderr).
/// `world` names the demo channel post and groups to configure.
void print_demo_banner(Platform& platform, const DemoWorld& world, const std::string& url);

}  // namespace hqadz::app
