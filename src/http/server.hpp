#pragma once
/// The HTTP/1.1 server (Boost.Beast, async): one strand per connection, keep-alive, header and
/// body timeouts, the body limit checked on the header before the body is read (413 without
/// reading it), `Expect: 100-continue`, and graceful shutdown (stop accepting, let requests in
/// flight finish, close idle connections). It hands each request to a Service and knows
/// nothing else of hqadz.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/result.hpp"
#include "http/message.hpp"

namespace hqadz::http {

/// What the server calls. Implementations must be thread-safe.
class Service {
 public:
  virtual ~Service() = default;
  /// The most body bytes a request with this method and target may carry. Called with only
  /// the header read, before any body byte.
  virtual uint64_t body_limit_for(std::string_view method, std::string_view target) const = 0;
  /// Answers `request`; must call `done` exactly once, from any thread.
  virtual void handle(Request request, std::function<void(Response)> done) = 0;
  /// Runs `work`, which may block (a stream's poll reads the database), off the I/O threads
  /// when the service has workers; here, inline.
  virtual void run_blocking(std::function<void()> work) { work(); }
};

/// The browser hardening every response carries: a Content-Security-Policy that the built web
/// UI and /api/docs (Swagger UI bundled, no inline script, no eval) satisfy, no framing, no
/// MIME sniffing, no referrer outside the origin.
std::vector<std::pair<std::string, std::string>> browser_security_headers();

struct ServerSettings {
  core::HostPort listen;
  size_t io_threads = 2;
  std::chrono::milliseconds header_timeout{10'000};  // first request's header
  std::chrono::milliseconds idle_timeout{60'000};    // between keep-alive requests
  std::chrono::milliseconds body_timeout{30'000};    // reading a body, writing a response
  std::chrono::milliseconds drain_timeout{1'500};    // in-flight requests on shutdown
  uint32_t header_limit = 16 * 1024;
  bool handle_signals = false;  // SIGINT/SIGTERM start a graceful shutdown
  /// Sent on every response (also the server's own 400/413 and streams) unless the response
  /// sets the header itself.
  std::vector<std::pair<std::string, std::string>> response_headers = browser_security_headers();
};

class Server {
 public:
  Server(ServerSettings settings, Service& service);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens. Returns the bound address (the real port when port 0 was asked).
  core::Result<core::HostPort> start();
  /// Runs the I/O threads; returns when a shutdown has completed.
  void run();
  /// Begins a graceful shutdown. Thread-safe, returns at once; idempotent.
  void shutdown();
  /// Called once (on an I/O thread) when a shutdown begins, e.g. to stop the engine.
  void set_on_shutdown(std::function<void()> fn);
  size_t open_connections() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hqadz::http
