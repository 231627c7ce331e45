#include <utility>  // before Asio (TRAPS.md)

#include "fake_nowpayments.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <thread>

namespace hqadz::testing {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

struct FakeNowPayments::Impl {
  net::io_context ioc;
  net::ip::tcp::acceptor acceptor{ioc};
  std::thread thread;
  mutable std::mutex mutex;
  std::condition_variable cv;
  bool stopping = false;                          // guarded by mutex
  Mode mode = Mode::kOk;                          // guarded by mutex
  std::string min_fiat = "1";                     // guarded by mutex
  std::vector<Seen> seen;                         // guarded by mutex
  std::map<std::string, nlohmann::json> created;  // guarded by mutex
  int64_t next_id = 4'000'000'001;                // guarded by mutex
  std::vector<net::ip::tcp::socket> hung;         // the server thread's only

  void serve() {
    while (true) {
      net::ip::tcp::socket socket(ioc);
      beast::error_code ec;
      acceptor.accept(socket, ec);
      if (ec) {
        return;
      }
      handle(socket);
    }
  }

  void handle(net::ip::tcp::socket& socket) {
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> req;
    beast::error_code ec;
    bhttp::read(socket, buffer, req, ec);
    if (ec) {
      return;
    }
    Mode m;
    {
      std::lock_guard lock(mutex);
      seen.push_back({std::string(req.method_string()), std::string(req.target()),
                      std::string(req["x-api-key"]),
                      req.body()});
      m = mode;
    }
    if (m == Mode::kClose) {
      socket.close(ec);
      return;
    }
    if (m == Mode::kHang) {
      hung.push_back(std::move(socket));  // never answered; closed when the fake stops
      return;
    }
    auto [status, body] = answer(req, m);
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
    res.set(bhttp::field::content_type, "application/json");
    res.set(bhttp::field::connection, "close");
    res.body() = body;
    res.prepare_payload();
    bhttp::write(socket, res, ec);
    socket.shutdown(net::ip::tcp::socket::shutdown_both, ec);
  }

  std::pair<int, std::string> answer(const bhttp::request<bhttp::string_body>& req, Mode m) {
    switch (m) {
      case Mode::kServerError:
        return {500, R"({"status":false,"statusCode":500,"message":"Internal server error"})"};
      case Mode::kBadRequest:
        return {403, R"({"status":false,"statusCode":403,"code":"INVALID_API_KEY","message":"Invalid api key"})"};
      case Mode::kGarbage:
        return {200, "<html>not json"};
      default:
        break;
    }
    const std::string target(req.target());
    std::lock_guard lock(mutex);
    if (target.rfind("/v1/min-amount", 0) == 0) {
      return {200, R"({"currency_from":"btc","currency_to":"btc","min_amount":0.0001,"fiat_equivalent":)" +
                       min_fiat + "}"};
    }
    if (req.method() == bhttp::verb::post && target == "/v1/payment") {
      if (m == Mode::kMinimalAmount) {
        return {400, R"({"status":false,"statusCode":400,"code":"AMOUNT_MINIMAL_ERROR","message":"amountTo is too small"})"};
      }
      auto in = nlohmann::json::parse(req.body(), nullptr, false);
      if (!in.is_object() || !in.contains("price_amount") || !in.contains("pay_currency")) {
        return {400, R"({"status":false,"statusCode":400,"code":"INVALID_REQUEST_PARAMS","message":"bad"})"};
      }
      const std::string id = std::to_string(next_id++);
      nlohmann::json p = {{"payment_id", id},
                          {"payment_status", "waiting"},
                          {"pay_address", "bc1qfake" + id},
                          {"pay_amount", 0.00123},
                          {"pay_currency", in["pay_currency"]},
                          {"payin_extra_id", nullptr},
                          {"price_amount", in["price_amount"]},
                          {"price_currency", in.value("price_currency", "usd")},
                          {"order_id", in.value("order_id", "")},
                          {"ipn_callback_url", in.value("ipn_callback_url", "")},
                          {"created_at", "2026-11-27T12:00:00.000Z"},
                          {"valid_until", "2030-01-01T00:00:00.000Z"},
                          {"expiration_estimate_date", "2030-01-08T00:00:00.000Z"}};
      created[id] = p;
      return {201, p.dump()};
    }
    if (req.method() == bhttp::verb::get && target.rfind("/v1/payment/", 0) == 0) {
      const std::string id = target.substr(12);
      auto it = created.find(id);
      if (it == created.end()) {
        return {404, R"({"status":false,"statusCode":404,"message":"not found"})"};
      }
      nlohmann::json p = it->second;
      p["payment_id"] = std::stoll(id);  // a number here, as the real API does
      return {200, p.dump()};
    }
    return {404, R"({"status":false,"statusCode":404,"message":"no route"})"};
  }
};

FakeNowPayments::FakeNowPayments() : impl_(std::make_unique<Impl>()) {
  net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->thread = std::thread([this] { impl_->serve(); });
}

FakeNowPayments::~FakeNowPayments() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  // Wakes the blocked accept (Linux answers EINVAL), then closes from this thread.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  impl_->thread.join();
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

uint16_t FakeNowPayments::port() const { return impl_->acceptor.local_endpoint().port(); }
std::string FakeNowPayments::url() const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/v1";
}

void FakeNowPayments::set_mode(Mode mode) {
  std::lock_guard lock(impl_->mutex);
  impl_->mode = mode;
}

void FakeNowPayments::set_min_fiat(const std::string& amount) {
  std::lock_guard lock(impl_->mutex);
  impl_->min_fiat = amount;
}

void FakeNowPayments::set_status(const std::string& payment_id, const std::string& status) {
  std::lock_guard lock(impl_->mutex);
  impl_->created[payment_id]["payment_status"] = status;
}

std::vector<FakeNowPayments::Seen> FakeNowPayments::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

std::map<std::string, nlohmann::json> FakeNowPayments::payments() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->created;
}

}  // namespace hqadz::testing
