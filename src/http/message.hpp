#pragma once
/// HTTP request and response as the rest of hqadz sees them: plain structs, no Beast types
/// (STYLE rule 2). Header names are matched case-insensitively.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace hqadz::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// First value of header `name` (case-insensitive), if present.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

enum class Role { kUser, kAdmin };

/// Who is asking, as established by the Authenticator.
struct Principal {
  int64_t user_id = 0;
  Role role = Role::kUser;
  std::string email;
  bool is_admin() const { return role == Role::kAdmin; }
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, no query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. {id}
  Headers headers;
  std::string body;
  std::string client_address;  // after X-Forwarded-For from trusted proxies
  std::string request_id;
  std::optional<nlohmann::json> json;    // set for routes that read JSON
  std::optional<Principal> principal;    // set for routes that need a user

  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
  /// The caller: only valid on routes declared for users or admins.
  const Principal& who() const { return *principal; }
};

/// A body produced over time (Server-Sent Events). The server calls poll() on its I/O thread
/// about every `interval`: it must not block long (one quick database read is fine).
class StreamSource {
 public:
  virtual ~StreamSource() = default;
  /// Bytes to send now (maybe empty), or nullopt to end the stream.
  virtual std::optional<std::string> poll() = 0;
  std::chrono::milliseconds interval{500};
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string content_type = "application/json";
  /// When set, `body` is sent first, then whatever the source produces, until it ends, the
  /// client goes away or the server shuts down. The connection then closes.
  std::shared_ptr<StreamSource> stream;

  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  /// A JSON body; invalid UTF-8 in strings is replaced, never thrown (TRAPS.md).
  static Response json(int status, const nlohmann::json& body);
  static Response ok(const nlohmann::json& body) { return json(200, body); }
  static Response created(const nlohmann::json& body) { return json(201, body); }
  static Response no_content();
  /// `{"error":{"code","message"}}` with the status of `error.errc`.
  static Response error(const core::Error& error);
};

/// The HTTP status for an error kind: the one place that mapping lives.
int status_for(core::Errc errc);

/// Percent-decodes a URL component ('+' stays '+' in paths, becomes ' ' in queries).
std::optional<std::string> url_decode(std::string_view s, bool plus_is_space);

/// Splits "a=1&b=2" into a map (later keys win); nullopt on bad percent-encoding.
std::optional<std::map<std::string, std::string>> parse_query(std::string_view query);

}  // namespace hqadz::http
