#pragma once
/// Test support: a blocking HTTP/1.1 client on loopback (Beast), and raw socket helpers for
/// sending malformed bytes.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hqadz::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined by '\n'
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string error_code() const;
  std::string header(const std::string& lower_name) const;
};

/// Every response an HttpClient receives is also appended, as one JSON line, to
/// `$HQADZ_CONTRACT_DIR/<pid>.jsonl` when that variable is set (CMake sets it on the
/// integration tests): {"method", "target", "status", "content_type", "body", "test"}, with
/// "body" the parsed JSON (absent when the response is not JSON). tests/contract/validate.py
/// checks each line against the OpenAPI document; anything else that speaks HTTP to hqadz (the
/// web journey) may append lines of the same shape to files of its own in that folder.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}
  /// One request on a new connection. `headers` are added as given.
  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  HttpResult get(const std::string& target) const { return request("GET", target); }
  HttpResult post(const std::string& target, const nlohmann::json& body) const;

  std::string bearer;  // when set, sent as "Authorization: Bearer <bearer>"
  /// When set (e.g. "127.0.0.7"), the client socket is bound to it: another client address on
  /// loopback, while the server is still reached on 127.0.0.1.
  std::string source_address;

 private:
  uint16_t port_;
};

/// Records a response read some other way (a raw socket, a stream) for the contract check,
/// as HttpClient records its own.
void record_response(const std::string& method, const std::string& target,
                     const HttpResult& result);

/// A connected loopback socket (fd); -1 when refused.
int connect_loopback(uint16_t port);
void send_all(int fd, const std::string& bytes);
/// Reads until the peer closes or `timeout` passes.
std::string read_until_close(int fd, std::chrono::milliseconds timeout);
/// Reads one HTTP response head (up to "\r\n\r\n") plus Content-Length bytes of body.
std::string read_response(int fd, std::chrono::milliseconds timeout);
/// Parses "HTTP/1.1 413 ..." → 413; 0 when not a status line.
int status_of(const std::string& raw);

}  // namespace hqadz::testing
