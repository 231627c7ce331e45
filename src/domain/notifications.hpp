#pragma once
/// In-app notifications (the `notifications` table), written in the caller's transaction so a
/// notice exists exactly when the thing it announces does.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace hqadz::domain {

/// kind: e.g. "payment_received", "adbot_ready", "adbot_queued", "low_stock", "account_banned",
/// "adbot_expiring", "adbot_expired".
void notify_user(storage::Tx& tx, int64_t user_id, const std::string& kind,
                 const std::string& title, const std::string& body, int64_t now_ms);
/// One notification per admin.
void notify_admins(storage::Tx& tx, const std::string& kind, const std::string& title,
                   const std::string& body, int64_t now_ms);

struct NotificationQuery {
  bool unread_only = false;
  std::optional<int64_t> before_id;
  int limit = 50;
};

/// Newest first: [{"id","kind","title","body","created_at","read_at"}].
std::vector<nlohmann::json> list_notifications(storage::Tx& tx, int64_t user_id,
                                               const NotificationQuery& q);
int64_t count_unread(storage::Tx& tx, int64_t user_id);
/// Marks one (when `id` is set) or all of the user's notifications read; false when `id` is
/// not the user's.
bool mark_read(storage::Tx& tx, int64_t user_id, std::optional<int64_t> id, int64_t now_ms);

}  // namespace hqadz::domain
