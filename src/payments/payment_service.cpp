#include "payments/payment_service.hpp"

#include <spdlog/spdlog.h>

#include "core/logging.hpp"
#include "payments/ipn_signature.hpp"
#include "payments/nowpayments.hpp"

namespace hqadz::payments {
namespace {

bool valid_currency_code(const std::string& s) {
  if (s.size() < 2 || s.size() > 20) {
    return false;
  }
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

domain::PaymentUpdate to_update(const std::string& provider, const ProviderPayment& p) {
  domain::PaymentUpdate u;
  u.provider = provider;
  u.provider_payment_id = p.payment_id;
  u.status = p.status;
  u.order_id = p.order_id;
  u.price_amount = p.price_amount;
  u.price_currency = p.price_currency;
  u.pay_amount = p.pay_amount;
  u.actually_paid = p.actually_paid;
  u.pay_currency = p.pay_currency;
  return u;
}

PaymentService::PaymentService(domain::CommerceService& commerce, PaymentProvider& provider,
                               const core::Clock& clock, PaymentSettings settings)
    : commerce_(commerce), provider_(provider), clock_(clock), settings_(std::move(settings)) {
  while (!settings_.public_url.empty() && settings_.public_url.back() == '/') {
    settings_.public_url.pop_back();
  }
}

core::Result<domain::OrderWithPayment> PaymentService::create(const domain::NewOrder& request) {
  if (!valid_currency_code(request.pay_currency)) {
    return core::Error::invalid("invalid_pay_currency",
                                "pay_currency must be a currency code such as btc");
  }
  domain::NewOrder req = request;
  req.provider = provider_.name();
  auto made = commerce_.create_order(req);
  if (!made.ok()) {
    return made.error();
  }
  const domain::Order& order = made->order;
  auto fail = [&](const core::Error& e) -> core::Error {
    if (auto st = commerce_.fail_order(order.id, e.code); !st.ok()) {
      spdlog::error("order {}: could not mark FAILED: {}", order.id, st.error().message);
    }
    return e;
  };
  // The provider's minimum, checked before asking for an address.
  auto minimum = provider_.minimum_price(req.pay_currency, order.currency);
  if (!minimum.ok()) {
    return fail(minimum.error());
  }
  if (*minimum && order.amount < **minimum) {
    return fail({core::Errc::kUnprocessable, "amount_below_minimum",
                 "the price " + order.amount.to_string() + " " + order.currency +
                     " is below the minimum of " + (*minimum)->to_string() + " " +
                     order.currency + " for " + req.pay_currency});
  }
  CreatePayment call;
  call.order_id = order.id;
  call.price_amount = order.amount;
  call.price_currency = order.currency;
  call.pay_currency = req.pay_currency;
  if (!settings_.public_url.empty()) {
    call.ipn_callback_url = settings_.public_url + "/api/payment/webhook";
  }
  auto product = domain::product_from_snapshot(order.product_snapshot);
  call.order_description = "hqadz order " + std::to_string(order.id) +
                           (product ? " (" + product->name + ")" : std::string());
  auto paid = provider_.create_payment(call);
  if (!paid.ok()) {
    return fail(paid.error());
  }
  domain::ProviderDetails d;
  d.provider_payment_id = paid->payment_id;
  d.status = paid->status;
  d.pay_address = paid->pay_address;
  d.pay_amount = paid->pay_amount;
  d.pay_currency = paid->pay_currency ? paid->pay_currency : std::optional(req.pay_currency);
  d.payin_extra_id = paid->payin_extra_id;
  d.valid_until = paid->valid_until;
  d.expires_at = paid->expires_at;
  auto attached = commerce_.attach_provider_payment(order.id, d);
  if (!attached.ok()) {
    return fail(attached.error());
  }
  return attached;
}

core::Result<IpnOutcome> PaymentService::handle_ipn(const std::string& body,
                                                    const std::optional<std::string>& signature,
                                                    const std::string& client_address) {
  const IpnVerdict verdict = verify_ipn_signature(body, signature.value_or(""), settings_.ipn_secret);
  IpnOutcome out;
  out.verdict = verdict_name(verdict);
  out.accepted = is_valid(verdict);
  std::optional<domain::PaymentUpdate> update;
  auto parsed = parse_provider_payment(body);
  if (parsed.ok()) {
    update = to_update(provider_.name(), *parsed);
  }
  domain::RawEvent event{provider_.name(), body, signature, out.accepted, out.verdict};
  if (!out.accepted) {
    auto recorded = commerce_.record_refused_event(event, client_address);
    if (!recorded.ok()) {
      return recorded.error();
    }
    out.recorded = *recorded;
    if (!out.recorded && settings_.on_unrecorded_refusal) {
      settings_.on_unrecorded_refusal();
    }
    if (out.recorded) {  // beyond the rate, not even a log line per request
      spdlog::warn("IPN refused from {}: {}", core::escape_for_log(client_address), out.verdict);
    }
    return core::Error{core::Errc::kUnauthenticated, "invalid_signature",
                       "the notification's signature does not verify"};
  }
  if (!update) {
    event.verdict = "unreadable";
    event.verified = false;
  }
  auto r = commerce_.record_event(event, out.accepted ? update : std::nullopt);
  if (!r.ok()) {
    return r.error();
  }
  out.result = *r;
  if (!update) {
    return core::Error::invalid("invalid_ipn", "the notification is not a payment");
  }
  spdlog::info("IPN payment {} {}: {}", core::escape_for_log(update->provider_payment_id, 64),
               core::escape_for_log(update->status, 32), out.result.outcome);
  return out;
}

core::Result<domain::ApplyResult> PaymentService::refresh(const domain::Payment& payment) {
  if (!provider_.automatic() || !payment.provider_payment_id || payment.provider != provider_.name()) {
    return domain::ApplyResult{"unchanged", payment.order_id, std::nullopt};
  }
  auto p = provider_.get_payment(*payment.provider_payment_id);
  if (!p.ok()) {
    return p.error();
  }
  if (p->payment_id != *payment.provider_payment_id) {
    return core::Error{core::Errc::kBadGateway, "provider_bad_response",
                       "the provider answered about another payment"};
  }
  auto r = commerce_.apply_polled(to_update(provider_.name(), *p));
  if (r.ok() && (r->outcome == "duplicate" || r->outcome == "stale_status")) {
    (void)commerce_.touch_payment(payment.id);
  }
  return r;
}

core::Result<domain::OrderWithPayment> PaymentService::status(int64_t order_id,
                                                              std::optional<int64_t> owner) {
  auto op = commerce_.get_order(order_id, owner);
  if (!op.ok() || !op->payment || op->order.status != "PENDING") {
    return op;
  }
  const int64_t now = core::to_unix_ms(clock_.now());
  const auto age = std::chrono::milliseconds(now - op->payment->updated_at);
  if (domain::payment_status_rank(op->payment->status) < 4 && age > settings_.refresh_after) {
    if (auto r = refresh(*op->payment); !r.ok()) {
      // The stored state is still the truth; the user sees it.
      spdlog::info("order {}: provider refresh failed: {}", order_id, r.error().message);
    }
    return commerce_.get_order(order_id, owner);
  }
  return op;
}

}  // namespace hqadz::payments
