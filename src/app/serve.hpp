#pragma once
/// `hqadz serve`: the API, the web UI and (later) the engine in one process.

#include <string>

#include "core/config.hpp"

namespace hqadz::app {

struct ServeOptions {
  std::string listen;  // --listen; empty: HQADZ_LISTEN or 127.0.0.1:8080
  bool demo = false;
  bool no_engine = false;
};

/// Runs until SIGINT/SIGTERM; returns the process exit code.
int run_serve(core::Config config, const ServeOptions& options);

}  // namespace hqadz::app
