#pragma once
/// `serve --demo`'s payment provider: the manual provider (an order is confirmed by hand, so
/// POST /api/payment/simulate confirms it like an admin's mark-paid). Its payment is the
/// manual one, the price in the order's money with no address: a demo address beside a coin
/// amount would need a made-up exchange rate, and showed "55 BTC" for a $55 plan.

#include "payments/provider.hpp"

namespace hqadz::app {

class DemoPaymentProvider final : public payments::PaymentProvider {
 public:
  // "manual": the payment is confirmed the manual way (CommerceService::mark_paid).
  std::string name() const override { return "manual"; }
  bool automatic() const override { return false; }
  core::Result<std::optional<core::Decimal>> minimum_price(const std::string&,
                                                           const std::string&) override {
    return std::optional<core::Decimal>{};
  }
  core::Result<payments::ProviderPayment> create_payment(
      const payments::CreatePayment& request) override {
    return payments::manual_payment(request);
  }
  core::Result<payments::ProviderPayment> get_payment(const std::string&) override {
    return core::Error{core::Errc::kConflict, "not_supported",
                       "demo payments are confirmed with the simulate action"};
  }
};

}  // namespace hqadz::app
