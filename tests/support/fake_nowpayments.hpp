#pragma once
/// Test support: a NOWPayments API on loopback (port 0) that speaks the contract of
/// docs/NOWPAYMENTS.md — POST /payment, GET /payment/{id}, GET /min-amount — and can be told
/// to fail (4xx, 5xx, hang past the client's timeout, answer garbage).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hqadz::testing {

class FakeNowPayments {
 public:
  enum class Mode { kOk, kServerError, kBadRequest, kMinimalAmount, kHang, kGarbage, kClose };

  FakeNowPayments();
  ~FakeNowPayments();
  FakeNowPayments(const FakeNowPayments&) = delete;
  FakeNowPayments& operator=(const FakeNowPayments&) = delete;

  uint16_t port() const;
  std::string url() const;  // http://127.0.0.1:PORT/v1

  void set_mode(Mode mode);
  void set_min_fiat(const std::string& amount);  // "fiat_equivalent" of GET /min-amount
  /// What GET /payment/{id} reports from now on.
  void set_status(const std::string& payment_id, const std::string& status);

  struct Seen {
    std::string method;
    std::string target;
    std::string api_key;
    std::string body;
  };
  std::vector<Seen> requests() const;
  /// The payments created so far (the POST /payment answers), by payment id.
  std::map<std::string, nlohmann::json> payments() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqadz::testing
