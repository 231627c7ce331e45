#include <utility>  // before Asio (TRAPS.md)

#include "http/dispatcher.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include "core/logging.hpp"
#include "crypto/random.hpp"

namespace hqadz::http {

struct Dispatcher::Pool {
  explicit Pool(size_t n) : threads(n) {}
  boost::asio::thread_pool threads;
  std::atomic<bool> stopped{false};
};

namespace {

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

bool is_api(std::string_view path) {
  return path == "/api" || path.rfind("/api/", 0) == 0 || path == "/metrics";
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Dispatcher::Dispatcher(DispatcherSettings settings, const Router& router, Authenticator* auth,
                       const StaticFiles* statics, Metrics& metrics)
    : settings_(std::move(settings)),
      router_(router),
      auth_(auth),
      statics_(statics),
      metrics_(metrics),
      pool_(std::make_unique<Pool>(settings_.workers)) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::stop() {
  pool_->stopped = true;
  pool_->threads.join();
}

uint64_t Dispatcher::body_limit_for(std::string_view method, std::string_view target) const {
  auto decoded = url_decode(path_of(target), false);
  if (decoded) {
    auto m = router_.match(method, *decoded);
    if (m.outcome == Router::Outcome::kFound && m.route->body_limit > 0) {
      return m.route->body_limit;
    }
  }
  return settings_.default_body_limit;
}

std::string Dispatcher::client_address(const Request& request) const {
  if (settings_.trusted_proxies.count(request.client_address) == 0) {
    if (settings_.trusted_proxies.empty() && request.header("X-Forwarded-For") &&
        !warned_untrusted_xff_.exchange(true)) {
      // Behind a proxy every client shares the proxy's address: one per-address limit (sign-in,
      // sign-up, opt-out) would then hold for everyone at once. Said once, loudly.
      spdlog::warn(
          "SECURITY: requests carry X-Forwarded-For but HQADZ_TRUSTED_PROXIES is not set: every "
          "client is taken to be {} and per-address limits apply to all of them together. "
          "Behind a reverse proxy, set HQADZ_TRUSTED_PROXIES to its address.",
          core::escape_for_log(request.client_address, 64));
    }
    return request.client_address;
  }
  auto xff = request.header("X-Forwarded-For");
  if (!xff) {
    return request.client_address;
  }
  // Walk from the right: the first address not one of our proxies is the client.
  std::string_view list = *xff;
  std::string candidate = request.client_address;
  while (!list.empty()) {
    const auto comma = list.rfind(',');
    std::string hop = trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
    if (hop.empty()) {
      continue;
    }
    candidate = hop;
    if (settings_.trusted_proxies.count(hop) == 0) {
      break;
    }
  }
  return candidate;
}

void Dispatcher::handle(Request request, std::function<void(Response)> done) {
  if (pool_->stopped) {
    done(Response::error({core::Errc::kUnavailable, "shutting_down", "the server is stopping"}));
    return;
  }
  if (router_.has_inline_routes()) {
    // A route that can answer from memory (health) does so on this I/O thread: no hop to a
    // worker and back. Anything it cannot answer goes to a worker like every other request.
    auto m = router_.match(request.method, path_of(request.target));
    if (m.outcome == Router::Outcome::kFound && m.route->inline_handler) {
      if (auto r = run(request, true)) {
        done(std::move(*r));
        return;
      }
    }
  }
  boost::asio::post(pool_->threads, [this, request = std::move(request),
                                     done = std::move(done)]() mutable {
    done(process(request));
  });
}

void Dispatcher::run_blocking(std::function<void()> work) {
  if (pool_->stopped) {
    work();  // the workers are gone (shutting down): the caller's thread it is
    return;
  }
  boost::asio::post(pool_->threads, std::move(work));
}

Response Dispatcher::process(Request& request) { return *run(request, false); }

std::optional<Response> Dispatcher::run(Request& request, bool inline_only) {
  const auto started = std::chrono::steady_clock::now();
  if (auto rid = request.header("X-Request-Id"); rid && valid_request_id(*rid)) {
    request.request_id = std::string(*rid);
  } else {
    request.request_id = crypto::random_hex(8);
  }
  request.client_address = client_address(request);

  std::string route_label = "unmatched";
  Response response;
  try {
    auto r = route_and_run(request, route_label, inline_only);
    if (!r) {
      return std::nullopt;  // inline_only and the route wants a worker: nothing done yet
    }
    response = std::move(*r);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id,
                  core::escape_for_log(request.method, 32), core::escape_for_log(request.path),
                  core::escape_for_log(e.what()));
    response = Response::error(core::Error::internal());
  }
  response.with_header("X-Request-Id", request.request_id);

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.observe(request.method, route_label, response.status, seconds);
  // The path only: a query string could carry something private. Escaped: a decoded %0a or
  // %1b must not forge a log line or drive the terminal.
  spdlog::info("{} {} {} {} {:.1f}ms {}B rid={}", core::escape_for_log(request.client_address, 64),
               core::escape_for_log(request.method, 32),
               request.path.empty() ? "-" : core::escape_for_log(request.path), response.status,
               seconds * 1000, response.body.size(), request.request_id);
  return response;
}

std::optional<Response> Dispatcher::route_and_run(Request& request, std::string& route_label,
                                                  bool inline_only) {
  const std::string_view raw_path = path_of(request.target);
  auto path = url_decode(raw_path, false);
  if (!path || path->empty() || (*path)[0] != '/' || path->find('\0') != std::string::npos) {
    return Response::error(core::Error::invalid("bad_path", "the request path is malformed"));
  }
  request.path = *path;
  if (const auto q = request.target.find('?'); q != std::string::npos) {
    auto query = parse_query(std::string_view(request.target).substr(q + 1));
    if (!query) {
      return Response::error(core::Error::invalid("bad_query", "the query string is malformed"));
    }
    request.query = std::move(*query);
  }

  auto match = router_.match(request.method, request.path);
  if (inline_only && match.outcome != Router::Outcome::kFound) {
    return std::nullopt;  // static files read the disk: a worker's job
  }
  if (match.outcome == Router::Outcome::kMethodNotAllowed) {
    route_label = "method_not_allowed";
    return Response::error({core::Errc::kMethodNotAllowed, "method_not_allowed",
                            request.method + " is not allowed on " + request.path})
        .with_header("Allow", match.allow);
  }
  if (match.outcome == Router::Outcome::kNotFound) {
    if (!is_api(request.path) && statics_ != nullptr &&
        (request.method == "GET" || request.method == "HEAD")) {
      route_label = "static";
      return statics_->serve(request.path);
    }
    route_label = "not_found";
    return Response::error(
        core::Error::not_found("no route for " + request.method + " " + request.path));
  }

  const Route& route = *match.route;
  route_label = route.pattern;
  request.params = std::move(match.params);
  if (inline_only) {
    if (!route.inline_handler || route.json_body) {
      return std::nullopt;
    }
    return route.inline_handler(request);
  }

  if (route.access != Access::kPublic) {
    if (auth_ == nullptr) {
      return Response::error({core::Errc::kUnauthenticated, "unauthenticated", "sign in first"});
    }
    auto who = auth_->authenticate(request);
    if (!who.ok()) {
      return Response::error(who.error());
    }
    if (route.access == Access::kAdmin && !who->is_admin()) {
      return Response::error({core::Errc::kForbidden, "forbidden", "admins only"});
    }
    request.principal = *who;
  }

  if (route.json_body) {
    if (request.body.empty()) {
      return Response::error(core::Error::invalid("invalid_json", "a JSON object is required"));
    }
    auto parsed = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      return Response::error(
          core::Error::invalid("invalid_json", "the request body is not valid JSON (UTF-8)"));
    }
    if (!parsed.is_object()) {
      return Response::error(
          core::Error::invalid("invalid_json", "the request body must be a JSON object"));
    }
    request.json = std::move(parsed);
  }
  return route.handler(request);
}

}  // namespace hqadz::http
