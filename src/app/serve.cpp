#include "app/serve.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>
#include <cstdio>
#include <memory>
#include <sstream>

#include "api/auth_routes.hpp"
#include "app/demo.hpp"
#include "app/demo_world.hpp"
#include "app/platform.hpp"
#include "app/startup.hpp"
#include "http/dispatcher.hpp"
#include "http/server.hpp"

namespace hqadz::app {
namespace {

std::set<std::string> split_list(const std::string& s) {
  std::set<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) {
      out.insert(item);
    }
  }
  return out;
}

}  // namespace

int run_serve(core::Config config, const ServeOptions& options) {
  if (!options.listen.empty()) {
    auto hp = core::parse_host_port(options.listen);
    if (!hp.ok()) {
      throw std::runtime_error(hp.error().message);
    }
    config.listen = *hp;
  }
  // The demo's Telegram is up before the platform: the engine connects to it from its start.
  std::unique_ptr<DemoWorld> demo_world;
  if (options.demo) {
    demo_world = std::make_unique<DemoWorld>(config.data_dir);
    config.telegram_dcs = demo_world->dcs_config();
    if (!config.post_gap_set) {
      // Deliveries within seconds of pressing Start; production keeps its 15-60 s.
      config.post_gap_min_seconds = 1;
      config.post_gap_max_seconds = 3;
    }
  }
  Platform platform(config, 8, options.demo);
  if (options.demo) {
    prepare_demo(platform);
    if (const int added = demo_world->stock_up(platform.stock()); added > 0) {
      spdlog::info("demo: {} demo accounts put in stock", added);
    }
  }
  if (!options.no_engine) {
    platform.start_engine();
  }
  http::Router router;
  platform.add_routes(router);
  api::TokenAuthenticator auth(platform.identity());

  const http::StaticFiles statics(find_web_dir(config));
  if (!statics.available()) {
    spdlog::warn("no web UI found (build it with `make build`); serving the API only");
  }
  http::Dispatcher dispatcher({.default_body_limit = config.body_limit_bytes,
                               .trusted_proxies = split_list(config.trusted_proxies),
                               .workers = 8},
                              router, &auth, &statics, platform.metrics());
  http::Server server({.listen = config.listen, .io_threads = 2, .handle_signals = true},
                      dispatcher);
  // On SIGTERM: no new send starts while the last requests finish.
  server.set_on_shutdown([&platform] { platform.stop_engine(); });
  auto bound = server.start();
  if (!bound.ok()) {
    throw std::runtime_error(bound.error().message);
  }
  platform.start_background();
  std::printf("hqadz listening on http://%s\n", bound->to_string().c_str());
  std::fflush(stdout);
  if (options.demo) {
    print_demo_banner(platform, *demo_world, "http://" + bound->to_string());
  }
  server.run();
  dispatcher.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace hqadz::app
