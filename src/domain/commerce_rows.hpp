#pragma once
/// Rows of `orders`, `payments` and the stock handed to adbots: the queries commerce and
/// fulfilment share. Internal to the domain.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/commerce.hpp"
#include "domain/mailer.hpp"

namespace hqadz::domain::commerce_rows {

std::optional<Order> find_order(storage::Tx& tx, int64_t id);
/// FOR UPDATE on PostgreSQL.
std::optional<Payment> find_payment_by_order(storage::Tx& tx, int64_t order_id, bool lock);
std::optional<Payment> find_payment(storage::Tx& tx, const std::string& provider,
                                    const std::string& provider_payment_id, bool lock);
std::optional<std::string> user_email(storage::Tx& tx, int64_t user_id);
/// Runs a statement and returns the number of rows it changed.
long long affected(soci::statement& st);

/// Fulfils a paid order: see CommerceService. Mail to send after commit goes to `mail`.
struct Fulfilled {
  std::string outcome;  // provisioned | queued | renewed | already_paid
  std::optional<int64_t> adbot_id;
};
Fulfilled fulfil_order(storage::Tx& tx, const Order& order, int64_t now,
                       const CommerceSettings& settings, std::vector<Mail>& mail);
/// Gives UNUSED stock to QUEUED adbots, oldest first; returns how many became ready.
int fulfil_queued(storage::Tx& tx, int64_t now, const CommerceSettings& settings,
                  std::vector<Mail>& mail);
/// Moves up to `n` UNUSED accounts to ASSIGNED for the adbot; never one account twice
/// (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite writers are serialized).
int assign_sessions(storage::Tx& tx, int64_t adbot_id, int64_t user_id, int n, int64_t now);

}  // namespace hqadz::domain::commerce_rows
