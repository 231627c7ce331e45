#include <fmt/format.h>

#include <algorithm>

#include "domain/commerce_rows.hpp"
#include "domain/notifications.hpp"
#include "storage/row.hpp"

namespace hqadz::domain::commerce_rows {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t count_unused(storage::Tx& tx) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM tg_sessions WHERE status = 'UNUSED'", soci::into(n);
  return n;
}

/// Tells the admins once, when an assignment takes stock below the threshold.
void check_low_stock(storage::Tx& tx, int assigned, int64_t now, const CommerceSettings& s) {
  if (assigned <= 0) {
    return;
  }
  const int64_t left = count_unused(tx);
  if (left < s.low_stock_threshold && left + assigned >= s.low_stock_threshold) {
    notify_admins(tx, "low_stock", "Stock is running low",
                  fmt::format("{} unused account(s) left (threshold {}).", left,
                              s.low_stock_threshold),
                  now);
  }
}

void mail_ready(storage::Tx& tx, int64_t user_id, int64_t adbot_id, int64_t validity_end,
                std::vector<Mail>& mail) {
  if (auto email = user_email(tx, user_id)) {
    mail.push_back({*email, fmt::format("Your adbot #{} is ready", adbot_id),
                    fmt::format("Your adbot #{} is ready and valid until {}.\n\nSet its post and "
                                "groups in your dashboard, then start it.\n",
                                adbot_id, core::format_iso8601(core::from_unix_ms(validity_end)))});
  }
}

}  // namespace

int assign_sessions(storage::Tx& tx, int64_t adbot_id, int64_t user_id, int n, int64_t now) {
  if (n <= 0) {
    return 0;
  }
  std::vector<long long> ids;
  const int limit = n;
  // SKIP LOCKED: concurrent fulfilments take different accounts instead of waiting on, and
  // then failing over, the same ones.
  const std::string sql = std::string("SELECT id FROM tg_sessions WHERE status = 'UNUSED' ") +
                          "ORDER BY id LIMIT :n" +
                          (tx.is_postgres() ? " FOR UPDATE SKIP LOCKED" : "");
  {
    soci::rowset<soci::row> rows = (tx.sql().prepare << sql, soci::use(limit, "n"));
    for (const auto& r : rows) {
      ids.push_back(storage::i64(r, "id"));
    }
  }
  const long long aid = adbot_id;
  const long long uid = user_id;
  const long long at = now;
  int assigned = 0;
  for (long long id : ids) {
    soci::statement up =
        (tx.sql().prepare << "UPDATE tg_sessions SET status = 'ASSIGNED', "
                             "assigned_to_adbot_id = :a, assigned_to_user_id = :u, updated_at = :t "
                             "WHERE id = :id AND status = 'UNUSED'",
         soci::use(aid), soci::use(uid), soci::use(at), soci::use(id));
    assigned += static_cast<int>(affected(up));
  }
  return assigned;
}

Fulfilled fulfil_order(storage::Tx& tx, const Order& order, int64_t now,
                       const CommerceSettings& settings, std::vector<Mail>& mail) {
  const long long oid = order.id;
  const long long at = now;
  // The one guard that makes provisioning exactly once: only one transaction moves the order.
  soci::statement paid =
      (tx.sql().prepare << "UPDATE orders SET status = 'PAID', paid_at = :t WHERE id = :id AND "
                           "status IN ('PENDING', 'EXPIRED')",
       soci::use(at), soci::use(oid));
  if (affected(paid) == 0) {
    return {"already_paid", std::nullopt};
  }
  auto product = product_from_snapshot(order.product_snapshot);
  if (!product) {
    product = products::find(tx, order.product_id);
  }
  if (!product) {
    throw std::runtime_error("order " + std::to_string(order.id) + " has no product");
  }
  const long long uid = order.user_id;
  const int64_t days_ms = product->validity_days * kDayMs;
  const auto email = user_email(tx, order.user_id);
  notify_user(tx, order.user_id, "payment_received", "Payment received",
              fmt::format("Order #{} ({}, {} {}) is paid.", order.id, product->name,
                          order.amount.to_string(), order.currency),
              now);
  if (email) {
    mail.push_back({*email, fmt::format("Payment received for order #{}", order.id),
                    fmt::format("Thank you: we received your payment of {} {} for {} (order #{}).\n",
                                order.amount.to_string(), order.currency, product->name,
                                order.id)});
  }

  if (order.adbot_id) {
    const long long aid = *order.adbot_id;
    soci::row r;
    tx.sql() << std::string("SELECT status, validity_end, queued_validity_days FROM adbots WHERE "
                            "id = :id") +
                    (tx.is_postgres() ? " FOR UPDATE" : ""),
        soci::use(aid), soci::into(r);
    if (!tx.sql().got_data()) {
      throw std::runtime_error("renewal of a missing adbot");
    }
    const std::string status = storage::str(r, "status");
    if (status == "QUEUED") {
      tx.sql() << "UPDATE adbots SET queued_validity_days = queued_validity_days + :d, "
                  "updated_at = :t WHERE id = :id",
          soci::use(product->validity_days), soci::use(at), soci::use(aid);
    } else {
      // Remaining days are kept: the new period starts where the current one ends.
      const int64_t base = std::max(now, storage::i64(r, "validity_end", now));
      const long long end = base + days_ms;
      const std::string next = status == "EXPIRED" ? "STOPPED" : status;
      tx.sql() << "UPDATE adbots SET validity_end = :e, status = :s, "
                  "validity_start = COALESCE(validity_start, :t), updated_at = :t2 WHERE id = :id",
          soci::use(end), soci::use(next), soci::use(at), soci::use(at), soci::use(aid);
    }
    notify_user(tx, order.user_id, "adbot_renewed", "Adbot renewed",
                fmt::format("Adbot #{} was renewed for {} days.", aid, product->validity_days),
                now);
    return {"renewed", *order.adbot_id};
  }

  long long adbot_id = 0;
  const long long pid = product->id;
  tx.sql() << "INSERT INTO adbots (user_id, order_id, product_id, status, sessions_needed, "
              "posting_interval_seconds, distribution, max_groups, daily_cap_per_account, "
              "queued_validity_days, created_at, updated_at) VALUES (:u, :o, :p, 'QUEUED', :n, "
              ":i, :d, :mg, :cap, :days, :c, :up) RETURNING id",
      soci::use(uid), soci::use(oid), soci::use(pid), soci::use(product->sessions_count),
      soci::use(product->posting_interval_seconds), soci::use(product->distribution),
      soci::use(product->max_groups), soci::use(product->daily_cap_per_account),
      soci::use(product->validity_days), soci::use(at), soci::use(at), soci::into(adbot_id);
  const int got = assign_sessions(tx, adbot_id, order.user_id, product->sessions_count, now);
  check_low_stock(tx, got, now, settings);
  if (got == product->sessions_count) {
    const long long end = now + days_ms;
    tx.sql() << "UPDATE adbots SET status = 'STOPPED', sessions_needed = 0, validity_start = :s, "
                "validity_end = :e, queued_validity_days = 0 WHERE id = :id",
        soci::use(at), soci::use(end), soci::use(adbot_id);
    notify_user(tx, order.user_id, "adbot_ready", "Your adbot is ready",
                fmt::format("Adbot #{} is ready: set its post and groups, then start it.",
                            adbot_id),
                now);
    mail_ready(tx, order.user_id, adbot_id, end, mail);
    return {"provisioned", adbot_id};
  }
  const int missing = product->sessions_count - got;
  tx.sql() << "UPDATE adbots SET sessions_needed = :n WHERE id = :id", soci::use(missing),
      soci::use(adbot_id);
  notify_user(tx, order.user_id, "adbot_queued", "Your adbot is queued",
              fmt::format("Adbot #{} waits for {} account(s) from stock; its {} days start when "
                          "it is ready.",
                          adbot_id, missing, product->validity_days),
              now);
  notify_admins(tx, "stock_short", "Adbot waiting for stock",
                fmt::format("Adbot #{} (order #{}) needs {} more account(s).", adbot_id, order.id,
                            missing),
                now);
  return {"queued", adbot_id};
}

int fulfil_queued(storage::Tx& tx, int64_t now, const CommerceSettings& settings,
                  std::vector<Mail>& mail) {
  struct Queued {
    int64_t id, user_id;
    int needed, days;
  };
  std::vector<Queued> queued;
  {
    soci::rowset<soci::row> rows =
        tx.sql().prepare << std::string("SELECT id, user_id, sessions_needed, "
                                        "queued_validity_days FROM adbots WHERE status = 'QUEUED' "
                                        "ORDER BY id") +
                                (tx.is_postgres() ? " FOR UPDATE" : "");
    for (const auto& r : rows) {
      queued.push_back({storage::i64(r, "id"), storage::i64(r, "user_id"),
                        static_cast<int>(storage::i64(r, "sessions_needed")),
                        static_cast<int>(storage::i64(r, "queued_validity_days"))});
    }
  }
  const long long at = now;
  int ready = 0;
  int assigned_total = 0;
  for (const auto& q : queued) {
    const int got = assign_sessions(tx, q.id, q.user_id, q.needed, now);
    assigned_total += got;
    const long long id = q.id;
    if (got < q.needed) {
      // Oldest first: a later adbot does not overtake one still waiting.
      const int missing = q.needed - got;
      tx.sql() << "UPDATE adbots SET sessions_needed = :n, updated_at = :t WHERE id = :id",
          soci::use(missing), soci::use(at), soci::use(id);
      break;
    }
    const long long end = now + std::max(q.days, 1) * kDayMs;
    tx.sql() << "UPDATE adbots SET status = 'STOPPED', sessions_needed = 0, validity_start = :s, "
                "validity_end = :e, queued_validity_days = 0, updated_at = :t WHERE id = :id",
        soci::use(at), soci::use(end), soci::use(at), soci::use(id);
    notify_user(tx, q.user_id, "adbot_ready", "Your adbot is ready",
                fmt::format("Adbot #{} got its accounts and is ready: set its post and groups, "
                            "then start it.",
                            q.id),
                now);
    mail_ready(tx, q.user_id, q.id, end, mail);
    ++ready;
  }
  check_low_stock(tx, assigned_total, now, settings);
  return ready;
}

}  // namespace hqadz::domain::commerce_rows
