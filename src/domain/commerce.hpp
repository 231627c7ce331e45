#pragma once
/// Orders, payments and fulfilment (DESIGN section 4, steps 3–4).
///
/// The provider-independent half of buying: an order PENDING with its payment `waiting`, the
/// provider's details attached, then the provider's word about the payment (a verified IPN, a
/// poll, or an admin's mark-paid) applied in one transaction: statuses move forward only,
/// order id / amount / currency must match what was created (else the payment is flagged and
/// nothing is provisioned), and `finished` fulfils the order exactly once — order PAID, a new
/// adbot (or a renewal extended from max(now, validity_end)), stock accounts UNUSED → ASSIGNED.
/// Short stock leaves the adbot QUEUED; `fulfil_queued()` hands it stock when stock arrives.
///
/// Thread-safe: every call is one or two database transactions; concurrent calls about the
/// same payment or the same stock are serialized by the database (BEGIN IMMEDIATE on SQLite,
/// row locks and FOR UPDATE SKIP LOCKED on PostgreSQL) and by unique indexes.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/decimal.hpp"
#include "core/result.hpp"
#include "domain/catalog.hpp"
#include "domain/identity.hpp"
#include "domain/mail_queue.hpp"
#include "storage/database.hpp"

namespace hqadz::domain {

struct CommerceSettings {
  int low_stock_threshold = 5;
  /// Refused IPNs recorded per client address (beyond: only counted by the caller).
  RateRule refused_events{60, std::chrono::minutes(1)};
  std::chrono::hours order_ttl{24};  // a PENDING order with no deposit expires after this
};

struct Order {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t product_id = 0;
  std::optional<int64_t> adbot_id;  // a renewal
  /// The adbot a NEW order's payment created (QUEUED ones too); nullopt before fulfilment.
  std::optional<int64_t> created_adbot_id;
  core::Decimal amount;
  std::string currency;
  std::string status;  // PENDING | PAID | FAILED | EXPIRED | REFUNDED
  std::string product_snapshot;
  int64_t created_at = 0;
  std::optional<int64_t> paid_at;
  std::optional<int64_t> expires_at;
};

struct Payment {
  int64_t id = 0;
  int64_t order_id = 0;
  std::string provider;
  std::optional<std::string> provider_payment_id;
  std::optional<std::string> pay_address;
  std::optional<core::Decimal> pay_amount;
  std::optional<std::string> pay_currency;
  std::optional<std::string> payin_extra_id;
  std::optional<core::Decimal> actually_paid;
  std::string status;  // provider statuses, lower case: waiting, confirming, ..., finished
  bool flagged = false;
  std::optional<std::string> flag_reason;
  std::optional<int64_t> valid_until;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Of its order, read with the payment so that every view of a payment can put the coin
  // amount beside the price, the deadline and the time it was paid.
  core::Decimal fiat_amount;
  std::string fiat_currency;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> paid_at;
};

struct OrderWithPayment {
  Order order;
  std::optional<Payment> payment;
};

/// `adbot_id`: the adbot a renewal extends, or the one a NEW order's payment created.
nlohmann::json to_json(const Order& o);
/// With `coin` (ticker, name, network), the order's price beside the coin amount, its expiry,
/// `confirmation` ("manual": an operator confirms by hand; "provider") and `payment_uri`.
nlohmann::json to_json(const Payment& p);
/// `{order, payment, adbot_id, receipt}`; `receipt` is null until the order is paid.
nlohmann::json to_json(const OrderWithPayment& op);

/// Where a status stands: waiting 0 < confirming 1 < confirmed 2 < sending 3 < terminal 4;
/// -1 for a status we do not know.
int payment_status_rank(const std::string& status);

struct NewOrder {
  int64_t user_id = 0;
  int64_t product_id = 0;
  std::optional<int64_t> renew_adbot_id;
  std::string provider;
  std::string pay_currency;
};

/// What the provider said when the payment was created.
struct ProviderDetails {
  std::string provider_payment_id;
  std::string status = "waiting";
  std::optional<std::string> pay_address;
  std::optional<core::Decimal> pay_amount;
  std::optional<std::string> pay_currency;
  std::optional<std::string> payin_extra_id;
  std::optional<int64_t> valid_until;  // ms
  std::optional<int64_t> expires_at;   // ms: when the provider gives up on the deposit
};

/// The provider's word about one payment (an IPN, a poll, an admin's mark-paid).
struct PaymentUpdate {
  std::string provider;
  std::string provider_payment_id;
  std::string status;  // lower case
  std::optional<std::string> order_id;
  std::optional<core::Decimal> price_amount;
  std::optional<std::string> price_currency;
  std::optional<core::Decimal> pay_amount;
  std::optional<core::Decimal> actually_paid;
  std::optional<std::string> pay_currency;
};

/// A raw IPN as received, with the signature verdict.
struct RawEvent {
  std::string provider;
  std::string body;
  std::optional<std::string> signature;
  bool verified = false;
  std::string verdict;  // valid, valid_canonical, bad_signature, missing_signature, ...
};

struct ApplyResult {
  /// provisioned | queued | renewed | already_paid | duplicate | stale_status | flagged |
  /// partially_paid | updated | closed | unknown_payment | rejected
  std::string outcome;
  std::optional<int64_t> order_id;
  std::optional<int64_t> adbot_id;
};

struct OrderQuery {
  std::optional<int64_t> before_id;
  int limit = 50;
};

struct PaymentFilter {
  std::optional<bool> flagged;
  std::optional<int64_t> before_id;
  int limit = 50;
};

/// A payment the poller should re-check with its provider.
struct StalePayment {
  int64_t payment_id = 0;
  int64_t order_id = 0;
  std::string provider_payment_id;
};

class CommerceService {
 public:
  CommerceService(storage::Database& db, const core::Clock& clock, MailQueue* mail,
                  CommerceSettings settings = {});

  // Buying.
  /// Order PENDING + payment `waiting` (no provider call). Errors: not_found (product or
  /// adbot), product_inactive (409), renewal_product_mismatch (422), adbot_suspended (409).
  core::Result<OrderWithPayment> create_order(const NewOrder& request);
  /// Records the provider's details; mails the order confirmation.
  core::Result<OrderWithPayment> attach_provider_payment(int64_t order_id,
                                                         const ProviderDetails& details);
  /// The provider refused or failed: the order becomes FAILED (never left half made).
  core::Status fail_order(int64_t order_id, const std::string& reason);
  /// `owner`: when set, another user's order is not_found.
  core::Result<OrderWithPayment> get_order(int64_t order_id, std::optional<int64_t> owner);

  // The provider's word.
  /// Stores the raw event; when verified and `update` is set, applies it — idempotent per
  /// (payment id, status): a repeat is stored as a duplicate and changes nothing.
  core::Result<ApplyResult> record_event(const RawEvent& event,
                                         const std::optional<PaymentUpdate>& update);
  /// A refused IPN (its signature does not verify): kept as its verdict, the SHA-256 of the
  /// body and the body's first 256 bytes (escaped), at most `refused_events` per client
  /// address; beyond that nothing is written. Answers whether it was recorded.
  core::Result<bool> record_refused_event(const RawEvent& event, const std::string& client_address);
  /// Applies a polled status (the provider answered our authenticated call).
  core::Result<ApplyResult> apply_polled(const PaymentUpdate& update);
  /// The admin confirms a manual payment: `finished`, audited. Errors: not_found,
  /// order_not_pending (409).
  core::Result<ApplyResult> mark_paid(int64_t order_id, const RequestContext& ctx);

  // Stock.
  /// Gives stock to QUEUED adbots, oldest first; returns how many became ready. Call it after
  /// stock is added (StockService's on_stock_added hook).
  core::Result<int> fulfil_queued();

  // Lists (newest first).
  core::Result<std::vector<OrderWithPayment>> list_orders(int64_t user_id, const OrderQuery& q);
  core::Result<std::vector<nlohmann::json>> list_adbots(int64_t user_id);
  core::Result<std::vector<Payment>> list_payments(const PaymentFilter& filter);

  // The poller.
  core::Result<std::vector<StalePayment>> stale_payments(const std::string& provider,
                                                         int64_t updated_before_ms, int limit);
  core::Status touch_payment(int64_t payment_id);
  /// PENDING orders past expires_at whose payment saw no deposit → EXPIRED; orders whose
  /// provider call never completed (no provider payment id after `stuck_after`) → FAILED.
  core::Result<int> expire_abandoned(int64_t now_ms, std::chrono::milliseconds stuck_after);

 private:
  struct Outbox;  // mail to send after commit
  core::Result<ApplyResult> apply_in_tx(storage::Tx& tx, const PaymentUpdate& update,
                                        Outbox& out);
  void send(Outbox& out);
  int64_t now_ms() const { return core::to_unix_ms(clock_.now()); }

  storage::Database& db_;
  const core::Clock& clock_;
  MailQueue* mail_;
  CommerceSettings settings_;
  RateLimiter limiter_;
};

}  // namespace hqadz::domain
