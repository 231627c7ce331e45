#include "app/openapi_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "api/openapi.hpp"
#include "app/platform.hpp"

namespace hqadz::app {
namespace fs = std::filesystem;

int run_openapi() {
  // Defaults only (no environment, no file): the document must not depend on where it was
  // generated, or web/openapi.json would differ between machines.
  std::string tmpl = (fs::temp_directory_path() / "hqadz-openapi-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw std::runtime_error("openapi: cannot make a temporary data dir");
  }
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{tmpl};
  core::Config config;
  config.data_dir = tmpl;
  config.payment_provider = "manual";  // demo routes exist with the manual provider only
  std::string text;
  {
    Platform platform(config, 1, /*demo=*/true);
    http::Router router;
    platform.add_routes(router);
    text = api::openapi_document(router).dump(2);
  }
  std::fputs(text.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace hqadz::app
