#include <utility>  // before Asio (TRAPS.md)

#include "http_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>

namespace hqadz::testing {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

/// One line per response, written with a single append so that lines from this process's
/// threads (and from other processes, each with its own file) never interleave.
void record_for_contract(const std::string& method, const std::string& target,
                         const HttpResult& r) {
  static const char* dir = std::getenv("HQADZ_CONTRACT_DIR");
  if (dir == nullptr || *dir == 0) {
    return;
  }
  nlohmann::json line = {{"method", method},
                         {"target", target},
                         {"status", r.status},
                         {"content_type", r.header("content-type")}};
  if (line["content_type"].get<std::string>().rfind("application/json", 0) == 0) {
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_discarded()) {
      line["body_text"] = r.body;  // the validator reports it as not JSON
    } else {
      line["body"] = std::move(body);
    }
  }
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    line["test"] = std::string(info->test_suite_name()) + "." + info->name();
  }
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  const std::string path = std::string(dir) + "/" + std::to_string(::getpid()) + ".jsonl";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    ADD_FAILURE() << "cannot record the response for the contract check in " << path;
    return;
  }
  const ssize_t n = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) {
    ADD_FAILURE() << "short write recording a response in " << path;
  }
}

}  // namespace

void record_response(const std::string& method, const std::string& target,
                     const HttpResult& result) {
  record_for_contract(method, target, result);
}

std::string HttpResult::error_code() const {
  auto j = json();
  if (j.is_object() && j.contains("error") && j["error"].contains("code")) {
    return j["error"]["code"].get<std::string>();
  }
  return {};
}

std::string HttpResult::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string{} : it->second;
}

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& headers) const {
  // Asynchronous operations under one deadline, so that a stalled peer fails the test instead of
  // hanging it. (Socket timeouts do not bound Asio's blocking calls: on EAGAIN they poll() again
  // without a timeout.)
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  if (!bearer.empty()) {
    req.set(bhttp::field::authorization, "Bearer " + bearer);
  }
  for (auto& [k, v] : headers) {
    req.insert(k, v);
  }
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code failure;
  stream.expires_after(std::chrono::seconds(60));
  if (!source_address.empty()) {
    stream.socket().open(net::ip::tcp::v4());
    stream.socket().bind(net::ip::tcp::endpoint(net::ip::make_address(source_address), 0));
  }
  stream.async_connect(
      net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port_),
      [&](beast::error_code ec) {
        if (ec) {
          failure = ec;
          return;
        }
        bhttp::async_write(stream, req, [&](beast::error_code wec, size_t) {
          if (wec) {
            failure = wec;
            return;
          }
          bhttp::async_read(stream, buffer, parser,
                            [&](beast::error_code rec, size_t) { failure = rec; });
        });
      });
  ioc.run();
  if (failure) {
    throw beast::system_error(failure, method + " " + target + " on port " +
                                           std::to_string(port_));
  }
  auto res = parser.release();
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  for (auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    auto [it, fresh] = out.headers.emplace(name, std::string(f.value()));
    if (!fresh) {
      it->second += "\n" + std::string(f.value());  // repeated (Set-Cookie): one per line
    }
  }
  out.body = res.body();
  beast::error_code ec;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  record_for_contract(method, target, out);
  return out;
}

HttpResult HttpClient::post(const std::string& target, const nlohmann::json& body) const {
  return request("POST", target, body.dump(), {{"Content-Type", "application/json"}});
}

int connect_loopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) {
      return;
    }
    off += static_cast<size_t>(n);
  }
}

namespace {

bool read_some(int fd, std::string& out, std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    return false;
  }
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
    return false;
  }
  char buf[8192];
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  if (n <= 0) {
    return false;
  }
  out.append(buf, static_cast<size_t>(n));
  return true;
}

}  // namespace

std::string read_until_close(int fd, std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (read_some(fd, out, deadline)) {
  }
  return out;
}

std::string read_response(int fd, std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.find("\r\n\r\n") == std::string::npos) {
    if (!read_some(fd, out, deadline)) {
      return out;
    }
  }
  const auto head_end = out.find("\r\n\r\n") + 4;
  std::string lower = out.substr(0, head_end);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  size_t length = 0;
  if (auto p = lower.find("content-length:"); p != std::string::npos) {
    length = std::stoul(lower.substr(p + 15));
  }
  while (out.size() < head_end + length) {
    if (!read_some(fd, out, deadline)) {
      break;
    }
  }
  return out;
}

int status_of(const std::string& raw) {
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || raw.size() < 12) {
    return 0;
  }
  return std::atoi(raw.substr(9, 3).c_str());
}

}  // namespace hqadz::testing
