#include "app/engine_command.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/platform.hpp"
#include "engine/engine.hpp"

namespace hqadz::app {

int run_engine(const core::Config& config) {
  // Block the stop signals before any thread exists, so only sigwait() below sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  Platform platform(config);
  platform.start_engine();
  std::cout << nlohmann::json{{"engine", platform.engine()->instance_id()}, {"status", "running"}}
                   .dump()
            << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  spdlog::info("engine: signal {}, stopping", sig);
  platform.stop_engine();
  return 0;
}

}  // namespace hqadz::app
