#pragma once
/// Payment providers behind one interface: `nowpayments` (crypto, REST + signed IPNs) and
/// `manual` (an admin confirms). Implementations are thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "core/decimal.hpp"
#include "core/result.hpp"

namespace hqadz::payments {

struct CreatePayment {
  int64_t order_id = 0;
  core::Decimal price_amount;
  std::string price_currency;  // e.g. "usd"
  std::string pay_currency;    // e.g. "btc"
  std::string ipn_callback_url;  // empty: none
  std::string order_description;
};

/// A payment as the provider describes it. Amounts are exact decimals; ids are text whether
/// the provider sent a string or a number.
struct ProviderPayment {
  std::string payment_id;
  std::string status;  // lower case
  std::optional<std::string> pay_address;
  std::optional<core::Decimal> pay_amount;
  std::optional<std::string> pay_currency;
  std::optional<std::string> payin_extra_id;
  std::optional<core::Decimal> actually_paid;
  std::optional<core::Decimal> price_amount;
  std::optional<std::string> price_currency;
  std::optional<std::string> order_id;
  std::optional<int64_t> valid_until;  // ms since the epoch
  std::optional<int64_t> expires_at;   // ms: NOWPayments' expiration_estimate_date
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual std::string name() const = 0;
  /// True when the provider reports payments by itself (IPN, polling).
  virtual bool automatic() const = 0;
  /// The smallest price accepted for `pay_currency`, in `price_currency` (nullopt: no minimum
  /// known). Errors as for create_payment.
  virtual core::Result<std::optional<core::Decimal>> minimum_price(
      const std::string& pay_currency, const std::string& price_currency) = 0;
  /// Errors: amount_below_minimum (422); provider_unreachable / provider_timeout /
  /// provider_error / provider_bad_response / provider_rejected (502).
  virtual core::Result<ProviderPayment> create_payment(const CreatePayment& request) = 0;
  virtual core::Result<ProviderPayment> get_payment(const std::string& payment_id) = 0;
};

/// A payment an operator confirms by hand. It is asked for in the order's own money: no coin
/// amount exists without an exchange rate, and a price copied into a coin amount asked a
/// customer for "55 BTC" on a $55 plan. No address: the operator says how to pay.
inline ProviderPayment manual_payment(const CreatePayment& request) {
  ProviderPayment p;
  p.payment_id = "manual-" + std::to_string(request.order_id);
  p.status = "waiting";
  p.pay_amount = request.price_amount;
  std::string currency = request.price_currency;
  for (char& c : currency) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  p.pay_currency = currency;
  p.price_amount = request.price_amount;
  p.price_currency = currency;
  p.order_id = std::to_string(request.order_id);
  return p;
}

/// The embedded default: no provider call; the admin marks the order paid.
class ManualProvider final : public PaymentProvider {
 public:
  std::string name() const override { return "manual"; }
  bool automatic() const override { return false; }
  core::Result<std::optional<core::Decimal>> minimum_price(const std::string&,
                                                           const std::string&) override {
    return std::optional<core::Decimal>{};
  }
  core::Result<ProviderPayment> create_payment(const CreatePayment& request) override {
    return manual_payment(request);
  }
  core::Result<ProviderPayment> get_payment(const std::string&) override {
    return core::Error{core::Errc::kConflict, "not_supported",
                       "manual payments are confirmed by an admin"};
  }
};

}  // namespace hqadz::payments
