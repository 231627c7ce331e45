#pragma once
/// What route handlers get from the composition root: the domain services and a few settings.

#include "domain/identity.hpp"
#include "http/router.hpp"

namespace hqadz::domain {
class StockService;
class AdbotService;
}  // namespace hqadz::domain

namespace hqadz::engine {
class Engine;
}  // namespace hqadz::engine

namespace hqadz::api {

struct ApiSettings {
  bool secure_cookies = false;  // HQADZ_PUBLIC_URL is https
};

struct ApiContext {
  domain::IdentityService& identity;
  ApiSettings settings;
  domain::StockService* stock = nullptr;  // set by the composition root
  domain::AdbotService* adbots = nullptr;  // set by the composition root
  engine::Engine* engine = nullptr;        // null when this process runs no engine
};

/// The caller as the domain knows it.
domain::Caller caller_of(const http::Request& request);

/// The domain context of an HTTP request: who acts, from where (for the audit log).
domain::RequestContext request_context(const http::Request& request);

/// Maps a domain result to a response: the value through `to_json`, errors by kind.
template <typename T, typename F>
http::Response respond(const core::Result<T>& r, F&& to_json, int status = 200) {
  if (!r.ok()) {
    return http::Response::error(r.error());
  }
  return http::Response::json(status, to_json(*r));
}

}  // namespace hqadz::api
