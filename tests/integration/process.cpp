#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "crypto/random.hpp"

extern char** environ;

namespace hqadz::testing {

Process::Process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                 std::string stderr_path) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    if (env.count(kv.substr(0, kv.find('='))) == 0) {
      envs.push_back(kv);
    }
  }
  for (auto& [k, v] : env) {
    envs.push_back(k + "=" + v);
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], 1);
    if (!stderr_path.empty()) {
      int fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        dup2(fd, 2);
      }
    }
    std::vector<char*> args;
    for (auto& a : argv) {
      args.push_back(a.data());
    }
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : envs) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  out_fd_ = fds[0];
}

Process::~Process() {
  if (!status_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    int st = 0;
    waitpid(pid_, &st, 0);
  }
  if (out_fd_ >= 0) {
    close(out_fd_);
  }
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return std::nullopt;
    }
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      continue;
    }
    char buf[4096];
    const ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) {
      return std::nullopt;
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

std::string Process::read_all(std::chrono::milliseconds timeout) {
  std::string out;
  while (auto line = read_line(timeout)) {
    out += *line + "\n";
  }
  out += buffer_;
  buffer_.clear();
  return out;
}

void Process::signal(int sig) { kill(pid_, sig); }

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  if (status_) {
    return status_;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int st = 0;
    const pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    // waitpid has no timeout; SIGCHLD handling would be global state in the test binary.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::pair<int, std::string> run_to_end(std::vector<std::string> argv,
                                       std::map<std::string, std::string> env,
                                       std::chrono::milliseconds timeout) {
  Process p(std::move(argv), std::move(env));
  std::string out = p.read_all(timeout);
  auto code = p.wait(timeout);
  return {code.value_or(-1), out};
}

TempDir::TempDir() {
  path_ = (std::filesystem::temp_directory_path() / ("hqadz-it-" + crypto::random_hex(8))).string();
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace hqadz::testing
