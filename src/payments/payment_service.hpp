#pragma once
/// Buying and being paid: ties the commerce domain to a payment provider.
///
/// - create(): checks the provider's minimum, records the order (PENDING) and its payment,
///   calls the provider, attaches its answer — or marks the order FAILED and returns the
///   provider's error (502/422): never a half-made order.
/// - handle_ipn(): verifies the signature on the raw body (NOWPAYMENTS.md), stores the raw
///   event, applies a verified one (authoritative; no round trip to the provider).
/// - status(): an order and its payment; a stale one is refreshed from the provider first.
///
/// Thread-safe.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "domain/commerce.hpp"
#include "payments/provider.hpp"

namespace hqadz::payments {

struct PaymentSettings {
  std::string ipn_secret;     // HQADZ_NOWPAYMENTS_IPN_SECRET
  std::string public_url;     // HQADZ_PUBLIC_URL: the IPN callback is <public_url>/api/payment/webhook
  std::chrono::seconds refresh_after{30};  // status(): re-ask the provider when older than this
  /// Called for each refused IPN not recorded (its address is over the rate): a metric.
  std::function<void()> on_unrecorded_refusal;
};

struct IpnOutcome {
  bool accepted = false;     // false: refused (401), nothing changed
  std::string verdict;       // valid, valid_canonical, bad_signature, missing_signature, ...
  domain::ApplyResult result;
  bool recorded = true;  // false: a refused event over its address's rate, only counted
};

class PaymentService {
 public:
  PaymentService(domain::CommerceService& commerce, PaymentProvider& provider,
                 const core::Clock& clock, PaymentSettings settings);

  PaymentProvider& provider() { return provider_; }

  /// Errors: invalid_pay_currency (400), not_found, product_inactive (409),
  /// amount_below_minimum (422), provider errors (502).
  core::Result<domain::OrderWithPayment> create(const domain::NewOrder& request);
  /// Errors: invalid_signature (401: recorded only as verdict, digest and prefix, and only
  /// within its address's rate), invalid_ipn (400: signed but unreadable). A correctly signed
  /// IPN is never refused for volume.
  core::Result<IpnOutcome> handle_ipn(const std::string& body,
                                      const std::optional<std::string>& signature,
                                      const std::string& client_address = {});
  core::Result<domain::OrderWithPayment> status(int64_t order_id, std::optional<int64_t> owner);
  /// Re-asks the provider about one payment and applies the answer.
  core::Result<domain::ApplyResult> refresh(const domain::Payment& payment);

 private:
  domain::CommerceService& commerce_;
  PaymentProvider& provider_;
  const core::Clock& clock_;
  PaymentSettings settings_;
};

/// An IPN or a polled payment as the domain's PaymentUpdate.
domain::PaymentUpdate to_update(const std::string& provider, const ProviderPayment& p);

}  // namespace hqadz::payments
