#pragma once
/// `hqadz engine`: engine workers only (scale-out on PostgreSQL), until SIGINT/SIGTERM.

#include "core/config.hpp"

namespace hqadz::app {

int run_engine(const core::Config& config);

}  // namespace hqadz::app
