#pragma once
/// The NOWPayments REST client (docs/NOWPAYMENTS.md) over libcurl: `x-api-key`,
/// POST /payment, GET /payment/{id}, GET /min-amount. HTTPS in production; plain http:// is
/// accepted for a local fake. Thread-safe (one curl handle per call).

#include <chrono>
#include <string>

#include "payments/provider.hpp"

namespace hqadz::payments {

struct NowPaymentsSettings {
  std::string api_url = "https://api.nowpayments.io/v1";
  std::string api_key;
  std::chrono::milliseconds timeout{10000};
};

class NowPaymentsProvider final : public PaymentProvider {
 public:
  explicit NowPaymentsProvider(NowPaymentsSettings settings);
  std::string name() const override { return "nowpayments"; }
  bool automatic() const override { return true; }
  core::Result<std::optional<core::Decimal>> minimum_price(
      const std::string& pay_currency, const std::string& price_currency) override;
  core::Result<ProviderPayment> create_payment(const CreatePayment& request) override;
  core::Result<ProviderPayment> get_payment(const std::string& payment_id) override;

 private:
  struct Reply {
    long status = 0;
    std::string body;
  };
  core::Result<Reply> call(const std::string& method, const std::string& path,
                           const std::string& body);

  NowPaymentsSettings settings_;
};

/// Reads a payment object (POST /payment or GET /payment/{id} answer, or an IPN body).
/// Errors: provider_bad_response when it is not JSON or lacks payment_id/payment_status.
core::Result<ProviderPayment> parse_provider_payment(std::string_view body);

}  // namespace hqadz::payments
