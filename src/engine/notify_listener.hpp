#pragma once
/// PostgreSQL LISTEN on the channel the domain notifies (`pg_notify('hqadz_adbots', id)` on
/// start and stop), so a start made in `hqadz serve --no-engine` reaches a worker at once.
///
/// Owns one libpq connection of its own (never a pooled one) and one thread that waits on it
/// with poll(). Reconnects after a lost connection; the engine's periodic scan covers anything
/// missed meanwhile. start()/stop(); `on_notify` runs on the listener's thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace hqadz::engine {

inline constexpr const char* kAdbotsChannel = "hqadz_adbots";

class NotifyListener {
 public:
  /// `url`: a libpq connection URI (postgresql://...).
  NotifyListener(std::string url, std::function<void(int64_t adbot_id)> on_notify);
  ~NotifyListener();
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;

  void start();
  /// Returns once the thread has ended and the connection is closed.
  void stop();

 private:
  void run();
  /// Waits up to `ms` (−1: forever) for `fd` to be readable or stop(); false when stopping.
  bool wait_readable(int fd, int ms);

  const std::string url_;
  const std::function<void(int64_t)> on_notify_;
  std::atomic<bool> stopping_{false};
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace hqadz::engine
