#pragma once
/// `serve --demo`'s payment provider: the manual provider (an order is confirmed by hand, so
/// POST /api/payment/simulate confirms it like an admin's mark-paid) that also shows the
/// customer what a crypto checkout looks like: an address and an amount, clearly not real.

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
    payments::ProviderPayment p;
    p.payment_id = "manual-" + std::to_string(request.order_id);
    p.status = "waiting";
    p.pay_currency = request.pay_currency;
    p.pay_address = "DEMO-" + request.pay_currency + "-ADDRESS-NO-REAL-FUNDS-ORDER-" +
                    std::to_string(request.order_id);
    p.pay_amount = request.price_amount;  // a demo rate of 1:1
    return p;
  }
  core::Result<payments::ProviderPayment> get_payment(const std::string&) override {
    return core::Error{core::Errc::kConflict, "not_supported",
                       "demo payments are confirmed with the simulate action"};
  }
};

}  // namespace hqadz::app
