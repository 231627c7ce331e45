#pragma once
/// Routes: method + path pattern + who may call it + handler. Every route declares its Access;
/// the Dispatcher enforces it before the handler runs (authorization in one place).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/message.hpp"

namespace hqadz::http {

enum class Access {
  kUnspecified,  // refused by Router::add: every route says who may call it
  kPublic,  // anyone
  kUser,    // any signed-in, active user (admins too); per-resource ownership in the handler
  kAdmin,   // admins only
};

using Handler = std::function<Response(Request&)>;
/// Runs on the connection's I/O thread, so it must not block (no database, no network, no
/// disk): it answers from memory or returns nullopt to have `handler` run on a worker.
using InlineHandler = std::function<std::optional<Response>(Request&)>;

/// What the OpenAPI document says about a route besides what the Route itself declares (method,
/// path, access, ownership, JSON body): written next to each route in src/api. Schemas are JSON
/// Schema 2020-12 objects; `{"$ref": "#/components/schemas/X"}` points into the shared ones.
struct RouteDoc {
  struct Param {
    std::string name;
    nlohmann::json schema;
    std::string description;
  };
  struct Reply {
    int status = 200;
    std::string description;
    nlohmann::json schema;     // JSON body; null for none (204) or a non-JSON body
    std::string content_type;  // empty: application/json (or no body when schema is null)
  };
  std::string summary;
  std::string tag;
  std::vector<Param> query;
  nlohmann::json request;      // the JSON body's schema; null when the route takes none
  std::string request_type;    // non-JSON request bodies (multipart uploads)
  std::vector<Reply> replies;  // success statuses; errors are derived plus `errors`
  std::vector<int> errors;     // statuses this route's domain calls may answer besides
                               // those its access, parameters and body imply
  bool demo = false;           // registered by `serve --demo` only
};

struct Route {
  std::string method;   // GET, POST, PUT, PATCH, DELETE
  std::string pattern;  // "/api/admin/users/{id:int}/suspend"; {name} or {name:int}
  Access access = Access::kUnspecified;
  Handler handler;
  bool json_body = false;    // the body must be a JSON object; parsed into Request::json
  uint64_t body_limit = 0;   // 0: the server's default limit
  bool owner_scoped = false; // the handler answers 404 for another user's resource
  InlineHandler inline_handler;  // optional fast path; public routes only
  std::shared_ptr<const RouteDoc> doc;  // for the OpenAPI document; null: undocumented
};

class Router {
 public:
  /// Adds a route; throws std::invalid_argument for a malformed pattern, a duplicate or an
  /// undeclared Access (programming errors, found at start-up).
  void add(Route route);
  /// The same with its documentation (src/api writes every route this way).
  void add(Route route, RouteDoc doc);

  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string allow;  // for kMethodNotAllowed: "GET, POST"
  };
  /// Literal segments beat parameters ("/stock/overview" before "/stock/{id}"). HEAD
  /// matches GET routes.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }
  bool has_inline_routes() const { return has_inline_; }

 private:
  struct Segment {
    std::string text;
    bool param = false;
    bool integer = false;
  };
  struct Compiled {
    std::vector<Segment> segments;
  };
  static Compiled compile(const std::string& pattern);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;  // parallel to routes_
  bool has_inline_ = false;
};

}  // namespace hqadz::http
