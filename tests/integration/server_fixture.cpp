#include "server_fixture.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace hqadz::testing {

std::string hqadz_binary() { return HQADZ_BIN; }

ServerProcess::ServerProcess(ServerOptions options) {
  temp_ = std::make_unique<TempDir>();
  data_dir_ = options.data_dir.empty() ? temp_->path() + "/data" : options.data_dir;
  stderr_path_ = temp_->path() + "/stderr.log";
  std::vector<std::string> argv = {hqadz_binary(), "serve", "--listen", "127.0.0.1:0",
                                   "--data-dir", data_dir_};
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  const auto start = std::chrono::steady_clock::now();
  process_ = std::make_unique<Process>(argv, options.env, stderr_path_);
  auto line = process_->read_line(std::chrono::seconds(30));
  startup_ = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (!line) {
    ADD_FAILURE() << "hqadz serve printed no listening line; stderr:\n" << logs();
    return;
  }
  static const std::regex kLine(R"(^hqadz listening on http://127\.0\.0\.1:(\d+)$)");
  std::smatch m;
  if (!std::regex_match(*line, m, kLine)) {
    ADD_FAILURE() << "unexpected first line: " << *line;
    return;
  }
  port_ = static_cast<uint16_t>(std::stoi(m[1]));
}

std::string ServerProcess::logs() const {
  std::ifstream in(stderr_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace hqadz::testing
