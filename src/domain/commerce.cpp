#include "domain/commerce.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <map>

#include "core/logging.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hashing.hpp"
#include "domain/adbot_rows.hpp"
#include "domain/audit.hpp"
#include "domain/coins.hpp"
#include "domain/commerce_rows.hpp"
#include "domain/notifications.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

constexpr const char* kOrderColumns =
    "SELECT id, user_id, product_id, adbot_id, "
    "(SELECT a.id FROM adbots a WHERE a.order_id = orders.id) AS created_adbot_id, "
    "CAST(amount AS TEXT) AS amount, currency, status, product_snapshot, created_at, paid_at, "
    "expires_at FROM orders ";
constexpr const char* kPaymentColumns =
    "SELECT id, order_id, provider, provider_payment_id, pay_address, "
    "CAST(pay_amount AS TEXT) AS pay_amount, pay_currency, payin_extra_id, "
    "CAST(actually_paid AS TEXT) AS actually_paid, status, flagged, flag_reason, valid_until, "
    "created_at, updated_at, "
    "(SELECT CAST(o.amount AS TEXT) FROM orders o WHERE o.id = payments.order_id) AS fiat_amount, "
    "(SELECT o.currency FROM orders o WHERE o.id = payments.order_id) AS fiat_currency, "
    "(SELECT o.expires_at FROM orders o WHERE o.id = payments.order_id) AS order_expires_at, "
    "(SELECT o.paid_at FROM orders o WHERE o.id = payments.order_id) AS order_paid_at "
    "FROM payments ";

std::optional<core::Decimal> opt_decimal(const soci::row& r, const std::string& column) {
  auto s = storage::opt_str(r, column);
  return s ? core::Decimal::parse(*s) : std::nullopt;
}

Order order_from_row(const soci::row& r) {
  Order o;
  o.id = storage::i64(r, "id");
  o.user_id = storage::i64(r, "user_id");
  o.product_id = storage::i64(r, "product_id");
  o.adbot_id = storage::opt_i64(r, "adbot_id");
  o.created_adbot_id = storage::opt_i64(r, "created_adbot_id");
  o.amount = opt_decimal(r, "amount").value_or(core::Decimal{});
  o.currency = storage::str(r, "currency");
  o.status = storage::str(r, "status");
  o.product_snapshot = storage::str(r, "product_snapshot");
  o.created_at = storage::i64(r, "created_at");
  o.paid_at = storage::opt_i64(r, "paid_at");
  o.expires_at = storage::opt_i64(r, "expires_at");
  return o;
}

Payment payment_from_row(const soci::row& r) {
  Payment p;
  p.id = storage::i64(r, "id");
  p.order_id = storage::i64(r, "order_id");
  p.provider = storage::str(r, "provider");
  p.provider_payment_id = storage::opt_str(r, "provider_payment_id");
  p.pay_address = storage::opt_str(r, "pay_address");
  p.pay_amount = opt_decimal(r, "pay_amount");
  p.pay_currency = storage::opt_str(r, "pay_currency");
  p.payin_extra_id = storage::opt_str(r, "payin_extra_id");
  p.actually_paid = opt_decimal(r, "actually_paid");
  p.status = storage::str(r, "status");
  p.flagged = storage::i64(r, "flagged") != 0;
  p.flag_reason = storage::opt_str(r, "flag_reason");
  p.valid_until = storage::opt_i64(r, "valid_until");
  p.created_at = storage::i64(r, "created_at");
  p.updated_at = storage::i64(r, "updated_at");
  p.fiat_amount = opt_decimal(r, "fiat_amount").value_or(core::Decimal{});
  p.fiat_currency = storage::str(r, "fiat_currency");
  p.expires_at = storage::opt_i64(r, "order_expires_at");
  p.paid_at = storage::opt_i64(r, "order_paid_at");
  return p;
}

nlohmann::json iso(std::optional<int64_t> ms) {
  return ms ? nlohmann::json(core::format_iso8601(core::from_unix_ms(*ms))) : nlohmann::json();
}

nlohmann::json money(const std::optional<core::Decimal>& d) {
  return d ? nlohmann::json(d->to_double()) : nlohmann::json();
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

nlohmann::json opt_text(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json();
}

/// `{ticker, name, network}` of a currency code, from the one coin table.
nlohmann::json coin_json(const std::optional<std::string>& code) {
  if (!code) {
    return nullptr;
  }
  const Coin c = coin_of(*code);
  return {{"ticker", c.ticker}, {"name", c.name}, {"network", opt_text(c.network)}};
}

/// What the customer paid, for the receipt: the provider's `actually_paid` where it reported
/// one, else the amount asked. A zero `actually_paid` on a finished payment means "not
/// reported", never "paid nothing".
std::optional<core::Decimal> paid_amount(const Payment& p) {
  if (p.actually_paid && !p.actually_paid->is_zero()) {
    return p.actually_paid;
  }
  return p.pay_amount;
}

nlohmann::json receipt_json(const Order& o, const std::optional<Payment>& p) {
  if (!o.paid_at || !p) {
    return nullptr;
  }
  const std::string payment_ref = p->provider_payment_id.value_or(std::to_string(p->id));
  return {{"order_id", o.id},
          {"provider", p->provider},
          {"provider_payment_id", opt_text(p->provider_payment_id)},
          {"reference", fmt::format("Order #{}, payment {}", o.id, payment_ref)},
          {"amount", money(paid_amount(*p))},
          {"currency", opt_text(p->pay_currency)},
          {"coin", coin_json(p->pay_currency)},
          {"fiat_amount", o.amount.to_double()},
          {"fiat_currency", o.currency},
          {"paid_at", iso(o.paid_at)}};
}

bool is_terminal(const std::string& status) { return payment_status_rank(status) == 4; }

/// Why an update does not describe the payment we created; empty when it does.
std::string mismatch(const PaymentUpdate& u, const Order& o, const Payment& p) {
  if (!u.order_id || *u.order_id != std::to_string(o.id)) {
    return "order_id does not match";
  }
  if (!u.price_amount || !(*u.price_amount == o.amount)) {
    return "price_amount does not match";
  }
  if (!u.price_currency || lower(*u.price_currency) != lower(o.currency)) {
    return "price_currency does not match";
  }
  if (u.pay_currency && p.pay_currency && lower(*u.pay_currency) != lower(*p.pay_currency)) {
    return "pay_currency does not match";
  }
  // "finished" is the provider's word; what arrived is the figure. Below 99.5% of what we asked
  // (exact decimals: paid × 1000 < due × 995) an admin decides, nothing is provisioned.
  const auto& due = p.pay_amount ? p.pay_amount : u.pay_amount;
  if (u.status == "finished" && u.actually_paid && due &&
      u.actually_paid->times(1000) < due->times(995)) {
    return "actually_paid " + u.actually_paid->to_string() + " is below 99.5% of pay_amount " +
           due->to_string();
  }
  return {};
}

}  // namespace

namespace commerce_rows {

long long affected(soci::statement& st) {
  st.execute(true);
  return st.get_affected_rows();
}

std::optional<Order> find_order(storage::Tx& tx, int64_t id) {
  const long long oid = id;
  soci::row r;
  tx.sql() << std::string(kOrderColumns) + "WHERE id = :id", soci::use(oid), soci::into(r);
  if (!tx.sql().got_data()) {
    return std::nullopt;
  }
  return order_from_row(r);
}

std::optional<Payment> find_payment_by_order(storage::Tx& tx, int64_t order_id, bool lock) {
  const long long oid = order_id;
  soci::row r;
  tx.sql() << std::string(kPaymentColumns) + "WHERE order_id = :o ORDER BY id DESC LIMIT 1" +
                  (lock && tx.is_postgres() ? " FOR UPDATE" : ""),
      soci::use(oid), soci::into(r);
  if (!tx.sql().got_data()) {
    return std::nullopt;
  }
  return payment_from_row(r);
}

std::optional<Payment> find_payment(storage::Tx& tx, const std::string& provider,
                                    const std::string& provider_payment_id, bool lock) {
  soci::row r;
  tx.sql() << std::string(kPaymentColumns) + "WHERE provider = :p AND provider_payment_id = :i" +
                  (lock && tx.is_postgres() ? " FOR UPDATE" : ""),
      soci::use(provider), soci::use(provider_payment_id), soci::into(r);
  if (!tx.sql().got_data()) {
    return std::nullopt;
  }
  return payment_from_row(r);
}

std::optional<std::string> user_email(storage::Tx& tx, int64_t user_id) {
  const long long uid = user_id;
  std::string email;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT email FROM users WHERE id = :u", soci::use(uid), soci::into(email, ind);
  if (!tx.sql().got_data() || ind != soci::i_ok) {
    return std::nullopt;
  }
  return email;
}

}  // namespace commerce_rows

using namespace commerce_rows;

int payment_status_rank(const std::string& status) {
  if (status == "waiting") return 0;
  if (status == "confirming") return 1;
  if (status == "confirmed") return 2;
  if (status == "sending") return 3;
  if (status == "finished" || status == "partially_paid" || status == "failed" ||
      status == "refunded" || status == "expired") {
    return 4;
  }
  return -1;
}

nlohmann::json to_json(const Order& o) {
  nlohmann::json product = nlohmann::json::parse(o.product_snapshot, nullptr, false);
  if (auto p = product_from_snapshot(o.product_snapshot)) {
    product["price"] = p->price.to_double();
  }
  const std::optional<int64_t> adbot = o.adbot_id ? o.adbot_id : o.created_adbot_id;
  return {{"id", o.id},
          {"user_id", o.user_id},
          {"product_id", o.product_id},
          {"adbot_id", adbot ? nlohmann::json(*adbot) : nlohmann::json()},
          {"kind", o.adbot_id ? "RENEWAL" : "NEW"},
          {"amount", o.amount.to_double()},
          {"currency", o.currency},
          {"status", o.status},
          {"product", product.is_object() ? product : nlohmann::json::object()},
          {"created_at", iso(o.created_at)},
          {"paid_at", iso(o.paid_at)},
          {"expires_at", iso(o.expires_at)}};
}

nlohmann::json to_json(const Payment& p) {
  const auto& opt = opt_text;
  const bool manual = p.provider == "manual";
  std::optional<std::string> uri;
  if (!manual && p.pay_address && p.pay_amount && p.pay_currency) {
    uri = payment_uri(*p.pay_currency, *p.pay_address, *p.pay_amount, p.payin_extra_id);
  }
  return {{"id", p.id},
          {"order_id", p.order_id},
          {"provider", p.provider},
          {"provider_payment_id", opt(p.provider_payment_id)},
          {"pay_address", opt(p.pay_address)},
          {"pay_amount", money(p.pay_amount)},
          {"pay_currency", opt(p.pay_currency)},
          {"payin_extra_id", opt(p.payin_extra_id)},
          {"actually_paid", money(p.actually_paid)},
          {"status", upper(p.status)},
          {"flagged", p.flagged},
          {"flag_reason", opt(p.flag_reason)},
          {"valid_until", iso(p.valid_until)},
          {"created_at", iso(p.created_at)},
          {"updated_at", iso(p.updated_at)},
          {"confirmation", manual ? "manual" : "provider"},
          {"coin", coin_json(p.pay_currency)},
          {"fiat_amount", p.fiat_amount.to_double()},
          {"fiat_currency", p.fiat_currency},
          {"expires_at", iso(p.expires_at)},
          {"payment_uri", opt(uri)}};
}

nlohmann::json to_json(const OrderWithPayment& op) {
  nlohmann::json order = to_json(op.order);
  return {{"order", order},
          {"payment", op.payment ? to_json(*op.payment) : nlohmann::json()},
          {"adbot_id", order["adbot_id"]},
          {"receipt", receipt_json(op.order, op.payment)}};
}

struct CommerceService::Outbox {
  std::vector<Mail> mail;
};

CommerceService::CommerceService(storage::Database& db, const core::Clock& clock, MailQueue* mail,
                                 CommerceSettings settings)
    : db_(db), clock_(clock), mail_(mail), settings_(settings), limiter_(db, clock) {}

core::Result<bool> CommerceService::record_refused_event(const RawEvent& event,
                                                         const std::string& client_address) {
  // Anyone can post here: what a refused caller may write is bounded in size (no body, a
  // hash and a short prefix) and in rate (per address), so it cannot fill the disk.
  auto wait = limiter_.take("ipn:refused:" + client_address, settings_.refused_events);
  if (!wait.ok()) {
    return wait.error();
  }
  if (*wait > 0) {
    return false;
  }
  const std::string prefix = core::escape_for_log(std::string_view(event.body).substr(0, 256), 256);
  const std::string digest = crypto::to_hex(crypto::sha256(event.body));
  storage::NullableStr sig(
      event.signature ? std::optional(core::escape_for_log(*event.signature, 160)) : std::nullopt);
  const long long at = now_ms();
  const std::string outcome = "rejected";
  auto w = db_.write([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "INSERT INTO payment_events (provider, verified, verdict, body, body_sha256, "
                "signature, client_address, received_at, processed_at, outcome) VALUES (:p, 0, "
                ":vd, :b, :h, :sig, :a, :t, :t2, :o)",
        soci::use(event.provider), soci::use(event.verdict), soci::use(prefix), soci::use(digest),
        soci::use(sig.value, sig.ind), soci::use(client_address), soci::use(at), soci::use(at),
        soci::use(outcome);
    return core::ok_status();
  });
  if (!w.ok()) {
    return w.error();
  }
  return true;
}

void CommerceService::send(Outbox& out) {
  if (mail_ == nullptr) {
    return;
  }
  for (auto& m : out.mail) {
    mail_->enqueue(std::move(m));
  }
  out.mail.clear();
}

core::Result<OrderWithPayment> CommerceService::create_order(const NewOrder& req) {
  const int64_t now = now_ms();
  return db_.write([&](storage::Tx& tx) -> core::Result<OrderWithPayment> {
    auto product = products::find(tx, req.product_id);
    if (!product) {
      return core::Error::not_found("no such product");
    }
    if (req.renew_adbot_id) {
      const long long aid = *req.renew_adbot_id;
      soci::row r;
      tx.sql() << "SELECT user_id, product_id, status FROM adbots WHERE id = :id", soci::use(aid),
          soci::into(r);
      if (!tx.sql().got_data() || storage::i64(r, "user_id") != req.user_id) {
        return core::Error::not_found("no such adbot");
      }
      if (storage::i64(r, "product_id") != req.product_id) {
        return core::Error{core::Errc::kUnprocessable, "renewal_product_mismatch",
                           "a renewal buys the adbot's own product again"};
      }
      if (storage::str(r, "status") == "SUSPENDED") {
        return core::Error::conflict("adbot_suspended", "this adbot is suspended");
      }
    } else if (!product->active) {
      return core::Error::conflict("product_inactive", "this product is no longer sold");
    }
    Order o;
    o.user_id = req.user_id;
    o.product_id = product->id;
    o.adbot_id = req.renew_adbot_id;
    o.amount = product->price;
    o.currency = product->currency;
    o.status = "PENDING";
    o.product_snapshot = snapshot_of(*product).dump();
    o.created_at = now;
    o.expires_at = now + std::chrono::duration_cast<core::Millis>(settings_.order_ttl).count();
    const std::string amount = o.amount.to_string();
    storage::NullableI64 adbot(o.adbot_id);
    const long long uid = o.user_id;
    const long long pid = o.product_id;
    const long long created = now;
    const long long expires = *o.expires_at;
    long long oid = 0;
    tx.sql() << "INSERT INTO orders (user_id, product_id, adbot_id, amount, currency, status, "
                "product_snapshot, created_at, expires_at) VALUES (:u, :p, :a, :amt, :c, "
                "'PENDING', :snap, :t, :e) RETURNING id",
        soci::use(uid), soci::use(pid), soci::use(adbot.value, adbot.ind), soci::use(amount),
        soci::use(o.currency), soci::use(o.product_snapshot), soci::use(created),
        soci::use(expires), soci::into(oid);
    o.id = oid;
    const std::string pay_currency = lower(req.pay_currency);
    tx.sql() << "INSERT INTO payments (order_id, provider, pay_currency, status, created_at, "
                "updated_at) VALUES (:o, :p, :c, 'waiting', :t, :t2)",
        soci::use(oid), soci::use(req.provider), soci::use(pay_currency), soci::use(created),
        soci::use(created);
    return OrderWithPayment{o, find_payment_by_order(tx, o.id, false)};
  });
}

core::Result<OrderWithPayment> CommerceService::attach_provider_payment(
    int64_t order_id, const ProviderDetails& d) {
  const int64_t now = now_ms();
  Outbox out;
  auto r = db_.write([&](storage::Tx& tx) -> core::Result<OrderWithPayment> {
    auto order = find_order(tx, order_id);
    auto payment = find_payment_by_order(tx, order_id, true);
    if (!order || !payment) {
      return core::Error::not_found("no such order");
    }
    storage::NullableStr address(d.pay_address);
    storage::NullableStr amount(d.pay_amount ? std::optional(d.pay_amount->to_string())
                                             : std::nullopt);
    storage::NullableStr currency(d.pay_currency ? std::optional(lower(*d.pay_currency))
                                                 : payment->pay_currency);
    storage::NullableStr extra(d.payin_extra_id);
    storage::NullableI64 valid(d.valid_until);
    const long long pid = payment->id;
    const long long at = now;
    const std::string status = payment_status_rank(d.status) >= 0 ? d.status : "waiting";
    tx.sql() << "UPDATE payments SET provider_payment_id = :ppid, pay_address = :a, "
                "pay_amount = :amt, pay_currency = :c, payin_extra_id = :x, valid_until = :v, "
                "status = :s, updated_at = :t WHERE id = :id",
        soci::use(d.provider_payment_id), soci::use(address.value, address.ind),
        soci::use(amount.value, amount.ind), soci::use(currency.value, currency.ind),
        soci::use(extra.value, extra.ind), soci::use(valid.value, valid.ind), soci::use(status),
        soci::use(at), soci::use(pid);
    // The order lasts as long as the provider waits for the deposit (NOWPayments'
    // expiration_estimate_date; else the end of its rate window).
    const std::optional<int64_t> deadline = d.expires_at ? d.expires_at : d.valid_until;
    if (deadline && *deadline > now) {
      const long long until = *deadline;
      const long long oid = order_id;
      tx.sql() << "UPDATE orders SET expires_at = :e WHERE id = :id", soci::use(until),
          soci::use(oid);
    }
    auto updated = OrderWithPayment{*find_order(tx, order_id), find_payment_by_order(tx, order_id, false)};
    if (auto email = user_email(tx, order->user_id)) {
      auto product = product_from_snapshot(order->product_snapshot);
      std::string text = fmt::format("Thank you for your order #{}: {} for {} {}.\n\n",
                                     order->id, product ? product->name : "your plan",
                                     order->amount.to_string(), order->currency);
      if (d.pay_address) {
        text += fmt::format("Send {} {} to {}", d.pay_amount ? d.pay_amount->to_string() : "",
                            upper(currency.value), *d.pay_address);
        if (d.payin_extra_id) {
          text += fmt::format(" with the memo/extra id {} (a deposit without it is lost)",
                              *d.payin_extra_id);
        }
        text += deadline ? " before " + core::format_iso8601(core::from_unix_ms(*deadline))
                         : std::string();
        text += ".\n";
      } else {
        text += "An operator will confirm your payment.\n";
      }
      out.mail.push_back({*email, fmt::format("Order #{} confirmation", order->id), text});
    }
    return updated;
  });
  if (r.ok()) {
    send(out);
  }
  return r;
}

core::Status CommerceService::fail_order(int64_t order_id, const std::string& reason) {
  const int64_t now = now_ms();
  auto r = db_.write([&](storage::Tx& tx) -> core::Result<int> {
    const long long oid = order_id;
    const long long at = now;
    tx.sql() << "UPDATE orders SET status = 'FAILED' WHERE id = :id AND status = 'PENDING'",
        soci::use(oid);
    tx.sql() << "UPDATE payments SET status = 'failed', flag_reason = :r, updated_at = :t "
                "WHERE order_id = :id AND status = 'waiting'",
        soci::use(reason), soci::use(at), soci::use(oid);
    return 0;
  });
  if (!r.ok()) {
    return r.error();
  }
  return core::ok_status();
}

core::Result<OrderWithPayment> CommerceService::get_order(int64_t order_id,
                                                          std::optional<int64_t> owner) {
  return db_.read([&](storage::Tx& tx) -> core::Result<OrderWithPayment> {
    auto order = find_order(tx, order_id);
    if (!order || (owner && order->user_id != *owner)) {
      return core::Error::not_found("no such order");
    }
    return OrderWithPayment{*order, find_payment_by_order(tx, order_id, false)};
  });
}

core::Result<ApplyResult> CommerceService::apply_in_tx(storage::Tx& tx, const PaymentUpdate& u,
                                                       Outbox& out) {
  const int64_t now = now_ms();
  auto payment = find_payment(tx, u.provider, u.provider_payment_id, true);
  if (!payment) {
    return ApplyResult{"unknown_payment", std::nullopt, std::nullopt};
  }
  auto order = find_order(tx, payment->order_id);
  if (!order) {
    return ApplyResult{"unknown_payment", std::nullopt, std::nullopt};
  }
  ApplyResult result{"updated", order->id, std::nullopt};
  const long long pid = payment->id;
  const long long oid = order->id;
  const long long at = now;
  if (payment_status_rank(u.status) < 0) {
    result.outcome = "rejected";
    return result;
  }
  // Statuses move forward only; a terminal status is final.
  if (is_terminal(payment->status) || payment_status_rank(u.status) <= payment_status_rank(payment->status)) {
    result.outcome = u.status == payment->status ? "duplicate" : "stale_status";
    return result;
  }
  storage::NullableStr paid(u.actually_paid ? std::optional(u.actually_paid->to_string())
                                            : std::nullopt);
  tx.sql() << "UPDATE payments SET status = :s, actually_paid = COALESCE(:p, actually_paid), "
              "updated_at = :t WHERE id = :id",
      soci::use(u.status), soci::use(paid.value, paid.ind), soci::use(at), soci::use(pid);

  if (const std::string why = mismatch(u, *order, *payment); !why.empty()) {
    if (!payment->flagged) {
      tx.sql() << "UPDATE payments SET flagged = 1, flag_reason = :r WHERE id = :id",
          soci::use(why), soci::use(pid);
      notify_admins(tx, "payment_flagged", "Payment needs review",
                    fmt::format("Payment {} ({}) for order #{}: {}; nothing was provisioned.",
                                u.provider_payment_id, u.status, order->id, why),
                    now);
    }
    result.outcome = "flagged";
    return result;
  }
  if (payment->flagged) {
    result.outcome = "flagged";  // an admin decides about a flagged payment
    return result;
  }

  if (u.status == "finished") {
    auto f = fulfil_order(tx, *order, now, settings_, out.mail);
    result.outcome = f.outcome;
    result.adbot_id = f.adbot_id;
  } else if (u.status == "partially_paid") {
    const std::string reason = "partially_paid";
    tx.sql() << "UPDATE payments SET flagged = 1, flag_reason = :r WHERE id = :id",
        soci::use(reason), soci::use(pid);
    const std::string got = u.actually_paid ? u.actually_paid->to_string() : "less";
    const std::string due = payment->pay_amount ? payment->pay_amount->to_string() : "the amount";
    const std::string cur = upper(payment->pay_currency.value_or(""));
    notify_user(tx, order->user_id, "payment_partial", "Payment incomplete",
                fmt::format("Order #{} received {} {} of {} {}; nothing was provisioned. Contact "
                            "support to settle the difference.",
                            order->id, got, cur, due, cur),
                now);
    notify_admins(tx, "payment_flagged", "Partial payment",
                  fmt::format("Order #{} was partially paid ({} of {} {}).", order->id, got, due,
                              cur),
                  now);
    if (auto email = user_email(tx, order->user_id)) {
      out.mail.push_back({*email, fmt::format("Order #{}: payment incomplete", order->id),
                          fmt::format("We received {} {} of {} {} for order #{}. Nothing was "
                                      "provisioned; contact support to settle the difference.\n",
                                      got, cur, due, cur, order->id)});
    }
    result.outcome = "partially_paid";
  } else if (u.status == "failed" || u.status == "expired" || u.status == "refunded") {
    const std::string next = u.status == "failed" ? "FAILED"
                             : u.status == "expired" ? "EXPIRED"
                                                      : "REFUNDED";
    tx.sql() << "UPDATE orders SET status = :s WHERE id = :id AND status = 'PENDING'",
        soci::use(next), soci::use(oid);
    result.outcome = "closed";
  }
  return result;
}

core::Result<ApplyResult> CommerceService::record_event(const RawEvent& event,
                                                        const std::optional<PaymentUpdate>& update) {
  const int64_t now = now_ms();
  for (int attempt = 0; attempt < 2; ++attempt) {
    Outbox out;
    auto r = db_.write([&](storage::Tx& tx) -> core::Result<ApplyResult> {
      storage::NullableStr ppid(update ? std::optional(update->provider_payment_id) : std::nullopt);
      storage::NullableStr status(update ? std::optional(update->status) : std::nullopt);
      storage::NullableStr sig(event.signature);
      const long long at = now;
      bool apply = event.verified && update.has_value();
      std::string verdict = event.verdict;
      if (apply) {
        long long seen = 0;
        tx.sql() << "SELECT COUNT(*) FROM payment_events WHERE provider = :p AND "
                    "provider_payment_id = :i AND status = :s AND verified = 1",
            soci::use(event.provider), soci::use(update->provider_payment_id),
            soci::use(update->status), soci::into(seen);
        if (seen > 0) {
          apply = false;
          verdict = "duplicate";
        }
      }
      // A duplicate is kept for the record but not as a verified event: the unique index over
      // verified events is what makes processing once per (payment, status).
      const int verified = apply ? 1 : 0;
      long long event_id = 0;
      tx.sql() << "INSERT INTO payment_events (provider, provider_payment_id, status, verified, "
                  "verdict, body, signature, received_at) VALUES (:p, :i, :s, :v, :vd, :b, :sig, "
                  ":t) RETURNING id",
          soci::use(event.provider), soci::use(ppid.value, ppid.ind),
          soci::use(status.value, status.ind), soci::use(verified), soci::use(verdict),
          soci::use(event.body), soci::use(sig.value, sig.ind), soci::use(at),
          soci::into(event_id);
      ApplyResult result{verdict == "duplicate" ? "duplicate" : "rejected", std::nullopt,
                         std::nullopt};
      if (apply) {
        auto applied = apply_in_tx(tx, *update, out);
        if (!applied.ok()) {
          return applied.error();
        }
        result = *applied;
      }
      tx.sql() << "UPDATE payment_events SET processed_at = :t, outcome = :o WHERE id = :id",
          soci::use(at), soci::use(result.outcome), soci::use(event_id);
      return result;
    });
    if (!r.ok() && r.error().errc == core::Errc::kConflict && attempt == 0) {
      continue;  // a concurrent copy of this event won the unique index: record ours as a duplicate
    }
    if (r.ok()) {
      send(out);
    }
    return r;
  }
  return core::Error::internal("unreachable");
}

core::Result<ApplyResult> CommerceService::apply_polled(const PaymentUpdate& update) {
  Outbox out;
  auto r = db_.write(
      [&](storage::Tx& tx) -> core::Result<ApplyResult> { return apply_in_tx(tx, update, out); });
  if (r.ok()) {
    send(out);
  }
  return r;
}

core::Result<ApplyResult> CommerceService::mark_paid(int64_t order_id, const RequestContext& ctx) {
  const int64_t now = now_ms();
  Outbox out;
  auto r = db_.write([&](storage::Tx& tx) -> core::Result<ApplyResult> {
    auto order = find_order(tx, order_id);
    if (!order) {
      return core::Error::not_found("no such order");
    }
    if (order->status != "PENDING" && order->status != "EXPIRED") {
      return core::Error::conflict("order_not_pending", "the order is " + order->status);
    }
    auto payment = find_payment_by_order(tx, order_id, true);
    if (!payment) {
      return core::Error::not_found("the order has no payment");
    }
    if (payment->provider != "manual") {
      return core::Error::conflict("not_manual",
                                   "this order is paid through " + payment->provider +
                                       "; its provider confirms it");
    }
    const Order o = *order;
    auto f = fulfil_order(tx, o, now, settings_, out.mail);
    const long long pid = payment->id;
    const long long at = now;
    tx.sql() << "UPDATE payments SET status = 'finished', actually_paid = pay_amount, "
                "updated_at = :t WHERE id = :id",
        soci::use(at), soci::use(pid);
    record_audit(tx,
                 {ctx.actor_user_id, "order.mark_paid", "order", order_id,
                  {{"amount", o.amount.to_string()}, {"currency", o.currency},
                   {"outcome", f.outcome}},
                  ctx.client_address},
                 now);
    return ApplyResult{f.outcome, order_id, f.adbot_id};
  });
  if (r.ok()) {
    send(out);
  }
  return r;
}

core::Result<int> CommerceService::fulfil_queued() {
  const int64_t now = now_ms();
  Outbox out;
  auto r = db_.write([&](storage::Tx& tx) -> core::Result<int> {
    return commerce_rows::fulfil_queued(tx, now, settings_, out.mail);
  });
  if (r.ok()) {
    send(out);
  }
  return r;
}

core::Result<std::vector<OrderWithPayment>> CommerceService::list_orders(int64_t user_id,
                                                                         const OrderQuery& q) {
  return db_.read([&](storage::Tx& tx) -> core::Result<std::vector<OrderWithPayment>> {
    const long long uid = user_id;
    const long long before = q.before_id.value_or(INT64_MAX);
    const int limit = q.limit;
    std::vector<Order> orders;
    {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << std::string(kOrderColumns) +
                                   "WHERE user_id = :u AND id < :b ORDER BY id DESC LIMIT :l",
           soci::use(uid, "u"), soci::use(before, "b"), soci::use(limit, "l"));
      for (const auto& r : rows) {
        orders.push_back(order_from_row(r));
      }
    }
    // Each order's newest payment, in one query for the page (not one per order).
    std::map<int64_t, Payment> payments;
    if (!orders.empty()) {
      const long long newest = orders.front().id;
      const long long oldest = orders.back().id;
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << std::string(kPaymentColumns) +
                                   "WHERE order_id IN (SELECT id FROM orders WHERE user_id = :u "
                                   "AND id BETWEEN :lo AND :hi) ORDER BY id",
           soci::use(uid, "u"), soci::use(oldest, "lo"), soci::use(newest, "hi"));
      for (const auto& r : rows) {
        auto p = payment_from_row(r);
        payments.insert_or_assign(p.order_id, std::move(p));
      }
    }
    std::vector<OrderWithPayment> out;
    out.reserve(orders.size());
    for (auto& o : orders) {
      std::optional<Payment> p;
      if (auto it = payments.find(o.id); it != payments.end()) {
        p = std::move(it->second);
      }
      out.push_back({std::move(o), std::move(p)});
    }
    return out;
  });
}

core::Result<std::vector<nlohmann::json>> CommerceService::list_adbots(int64_t user_id) {
  return db_.read([&](storage::Tx& tx) -> core::Result<std::vector<nlohmann::json>> {
    const long long uid = user_id;
    std::vector<int64_t> ids;
    {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "SELECT id FROM adbots WHERE user_id = :u ORDER BY id DESC",
           soci::use(uid, "u"));
      for (const auto& r : rows) {
        ids.push_back(storage::i64(r, "id"));
      }
    }
    // The same mapper as the admin's list: one shape of the adbot in a list.
    auto list = adbot_list_json(tx, ids);
    return std::vector<nlohmann::json>(list.begin(), list.end());
  });
}

core::Result<std::vector<Payment>> CommerceService::list_payments(const PaymentFilter& f) {
  return db_.read([&](storage::Tx& tx) -> core::Result<std::vector<Payment>> {
    const int has_flag = f.flagged ? 1 : 0;
    const int flag = f.flagged.value_or(false) ? 1 : 0;
    const long long before = f.before_id.value_or(INT64_MAX);
    const int limit = f.limit;
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << std::string(kPaymentColumns) +
                                 "WHERE (:hf = 0 OR flagged = :f) AND id < :b ORDER BY id DESC "
                                 "LIMIT :l",
         soci::use(has_flag, "hf"), soci::use(flag, "f"), soci::use(before, "b"),
         soci::use(limit, "l"));
    std::vector<Payment> out;
    for (const auto& r : rows) {
      out.push_back(payment_from_row(r));
    }
    return out;
  });
}

core::Result<std::vector<StalePayment>> CommerceService::stale_payments(
    const std::string& provider, int64_t updated_before_ms, int limit) {
  return db_.read([&](storage::Tx& tx) -> core::Result<std::vector<StalePayment>> {
    const long long cutoff = updated_before_ms;
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT p.id, p.order_id, p.provider_payment_id FROM payments p "
                             "JOIN orders o ON o.id = p.order_id WHERE p.provider = :prov AND "
                             "p.status IN ('waiting', 'confirming', 'confirmed', 'sending') AND "
                             "p.provider_payment_id IS NOT NULL AND p.updated_at < :c AND "
                             "o.status = 'PENDING' ORDER BY p.updated_at LIMIT :l",
         soci::use(provider, "prov"), soci::use(cutoff, "c"), soci::use(limit, "l"));
    std::vector<StalePayment> out;
    for (const auto& r : rows) {
      out.push_back({storage::i64(r, "id"), storage::i64(r, "order_id"),
                     storage::str(r, "provider_payment_id")});
    }
    return out;
  });
}

core::Status CommerceService::touch_payment(int64_t payment_id) {
  const long long at = now_ms();
  auto r = db_.write([&](storage::Tx& tx) -> core::Result<int> {
    const long long id = payment_id;
    tx.sql() << "UPDATE payments SET updated_at = :t WHERE id = :id", soci::use(at), soci::use(id);
    return 0;
  });
  if (!r.ok()) {
    return r.error();
  }
  return core::ok_status();
}

core::Result<int> CommerceService::expire_abandoned(int64_t now, std::chrono::milliseconds stuck_after) {
  return db_.write([&](storage::Tx& tx) -> core::Result<int> {
    const long long at = now;
    const long long stuck = now - stuck_after.count();
    soci::statement expire =
        (tx.sql().prepare << "UPDATE orders SET status = 'EXPIRED' WHERE status = 'PENDING' AND "
                             "expires_at < :t AND id IN (SELECT order_id FROM payments WHERE "
                             "status = 'waiting' AND provider_payment_id IS NOT NULL)",
         soci::use(at));
    const long long expired = affected(expire);
    // The provider call never completed (a crash between the two transactions of a purchase).
    soci::statement fail =
        (tx.sql().prepare << "UPDATE orders SET status = 'FAILED' WHERE status = 'PENDING' AND "
                             "created_at < :t AND id IN (SELECT order_id FROM payments WHERE "
                             "provider_payment_id IS NULL)",
         soci::use(stuck));
    const long long failed = affected(fail);
    if (expired + failed > 0) {
      spdlog::info("orders expired: {}, never completed: {}", expired, failed);
    }
    return static_cast<int>(expired + failed);
  });
}

}  // namespace hqadz::domain
