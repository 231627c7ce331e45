#include "engine/notify_listener.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

namespace hqadz::engine {

NotifyListener::NotifyListener(std::string url, std::function<void(int64_t)> on_notify)
    : url_(std::move(url)), on_notify_(std::move(on_notify)) {}

NotifyListener::~NotifyListener() { stop(); }

void NotifyListener::start() {
  if (thread_.joinable()) {
    return;
  }
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::runtime_error(std::string("notify listener: pipe: ") + std::strerror(errno));
  }
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void NotifyListener::stop() {
  if (!thread_.joinable()) {
    return;
  }
  stopping_ = true;
  const char byte = 1;
  (void)!::write(wake_pipe_[1], &byte, 1);
  thread_.join();
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
  wake_pipe_[0] = wake_pipe_[1] = -1;
}

bool NotifyListener::wait_readable(int fd, int ms) {
  pollfd fds[2] = {{wake_pipe_[0], POLLIN, 0}, {fd, POLLIN, 0}};
  const nfds_t n = fd >= 0 ? 2 : 1;
  while (!stopping_) {
    const int r = ::poll(fds, n, ms);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    return !stopping_;
  }
  return false;
}

void NotifyListener::run() {
  const std::string listen = std::string("LISTEN ") + kAdbotsChannel;
  bool warned = false;
  while (!stopping_) {
    PGconn* conn = PQconnectdb(url_.c_str());
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* res = PQexec(conn, listen.c_str());
      const bool listening = PQresultStatus(res) == PGRES_COMMAND_OK;
      PQclear(res);
      if (listening) {
        warned = false;
        spdlog::debug("engine: listening on {}", kAdbotsChannel);
        while (wait_readable(PQsocket(conn), -1)) {
          if (PQconsumeInput(conn) == 0) {
            break;  // the connection is gone: reconnect
          }
          while (PGnotify* n = PQnotifies(conn)) {
            int64_t id = 0;
            const char* end = n->extra + std::strlen(n->extra);
            if (std::from_chars(n->extra, end, id).ec == std::errc{} && id > 0) {
              on_notify_(id);
            }
            PQfreemem(n);
          }
        }
      }
    }
    if (!stopping_ && !warned) {
      spdlog::warn("engine: LISTEN {} lost ({}); the periodic scan covers it meanwhile",
                   kAdbotsChannel, PQerrorMessage(conn));
      warned = true;
    }
    PQfinish(conn);
    wait_readable(-1, 1000);  // retry in a second, or leave at once on stop()
  }
}

}  // namespace hqadz::engine
