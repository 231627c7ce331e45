#pragma once
/// The Service the server calls: request ids, client address, routing (404/405), the body
/// limit per route, authorization (every route's declared Access), JSON bodies, static files,
/// metrics and the access log. Handlers run on a worker pool, never on an I/O thread, because
/// they block on the database.

#include <atomic>
#include <memory>
#include <set>
#include <string>

#include "core/clock.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"

namespace hqadz::http {

/// Establishes who is asking (bearer token or cookie). Implemented by the identity module.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  /// kUnauthenticated when there is no valid credential; kForbidden for a suspended user.
  virtual core::Result<Principal> authenticate(const Request& request) = 0;
};

struct DispatcherSettings {
  uint64_t default_body_limit = 1 << 20;
  std::set<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
  size_t workers = 8;
};

class Dispatcher final : public Service {
 public:
  /// `auth` may be null while no route needs it; `statics` may be null (no web UI).
  Dispatcher(DispatcherSettings settings, const Router& router, Authenticator* auth,
             const StaticFiles* statics, Metrics& metrics);
  ~Dispatcher() override;

  uint64_t body_limit_for(std::string_view method, std::string_view target) const override;
  void handle(Request request, std::function<void(Response)> done) override;
  void run_blocking(std::function<void()> work) override;

  /// The whole pipeline, synchronously (what handle() runs on a worker). For tests.
  Response process(Request& request);

  /// Waits for handlers in flight to finish; later handle() calls answer 503.
  void stop();

 private:
  /// inline_only: run only a route's inline handler; nullopt when the request needs a worker.
  std::optional<Response> run(Request& request, bool inline_only);
  std::optional<Response> route_and_run(Request& request, std::string& route_label,
                                        bool inline_only);
  std::string client_address(const Request& request) const;

  DispatcherSettings settings_;
  const Router& router_;
  Authenticator* auth_;
  const StaticFiles* statics_;
  Metrics& metrics_;
  struct Pool;
  std::unique_ptr<Pool> pool_;
  mutable std::atomic<bool> warned_untrusted_xff_{false};
};

}  // namespace hqadz::http
