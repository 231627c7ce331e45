#pragma once
/// Test support: `hqadz serve` on a free port in a fresh data dir, its URL read from the one
/// line it prints when ready.

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "http_client.hpp"
#include "process.hpp"

namespace hqadz::testing {

std::string hqadz_binary();

struct ServerOptions {
  std::map<std::string, std::string> env;
  std::vector<std::string> extra_args;
  std::string data_dir;  // empty: a fresh temp dir
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  uint16_t port() const { return port_; }
  HttpClient client() const { return HttpClient(port_); }
  Process& process() { return *process_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& stderr_path() const { return stderr_path_; }
  std::string logs() const;
  /// Time from spawn to the listening line.
  std::chrono::milliseconds startup_time() const { return startup_; }

 private:
  std::unique_ptr<TempDir> temp_;
  std::string data_dir_;
  std::string stderr_path_;
  std::unique_ptr<Process> process_;
  uint16_t port_ = 0;
  std::chrono::milliseconds startup_{0};
};

}  // namespace hqadz::testing
