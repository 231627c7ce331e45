#pragma once
/// Test support: runs an hqadz binary as a child process with a pipe on its stdout.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hqadz::testing {

class Process {
 public:
  /// Starts `argv` with the current environment plus `env` (stderr goes to `stderr_path`, or
  /// is inherited when empty).
  Process(std::vector<std::string> argv, std::map<std::string, std::string> env = {},
          std::string stderr_path = {});
  ~Process();  // kills the child if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// The next line of stdout, or nullopt on EOF or when `timeout` passes first.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  /// Everything left on stdout until EOF (or timeout).
  std::string read_all(std::chrono::milliseconds timeout);
  void signal(int sig);
  /// Exit code (or 128+signal); nullopt if still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  std::optional<int> status_;
};

/// Runs a command to completion; returns {exit code, stdout}.
std::pair<int, std::string> run_to_end(std::vector<std::string> argv,
                                       std::map<std::string, std::string> env = {},
                                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hqadz::testing
