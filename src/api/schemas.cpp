// The shared resources of the API as today's mappers write them (src/domain/*.cpp to_json and
// the JSON the services return). Each is written once here and referenced from the route docs.
#include "api/schema.hpp"

namespace hqadz::api::schema {
namespace {

const Json kAdbotStatus = enum_of({"STOPPED", "RUNNING", "QUEUED", "EXPIRED", "SUSPENDED"});
// domain/stock_accounts.hpp kStockStatuses, the CHECK of tg_sessions.status (migration 0007).
const Json kStockStatus =
    enum_of({"UNUSED", "ASSIGNED", "COOLING", "LIMITED", "FROZEN", "BANNED", "DEAD", "RETIRED"});
// adbot_groups.state: ACTIVE as configured (domain/adbots.cpp), INVALID once the engine found
// the target is no group anyone can post in (engine/store.cpp).
const Json kGroupState = enum_of({"ACTIVE", "INVALID"});
// account_groups.state, what one account knows of one group (engine/store.cpp, driver.cpp,
// conduct.cpp): UNKNOWN before a try (or an unknown refusal counted), KNOWN resolved, JOINED,
// INVALID not a group, DROPPED refused for this account (rechecked after 3 days),
// AWAITING_APPROVAL a join request the group's admins have not approved yet.
const Json kAccountGroupState =
    enum_of({"UNKNOWN", "KNOWN", "JOINED", "INVALID", "DROPPED", "AWAITING_APPROVAL"});

/// `s` with a description for readers of the document.
Json doc(Json s, const char* description) {
  s["description"] = description;
  return s;
}

Json user() {
  return obj({{"id", integer()},
              {"email", string()},
              {"role", enum_of({"USER", "ADMIN"})},
              {"status", enum_of({"ACTIVE", "SUSPENDED"})},
              {"license_key", string()},
              {"created_at", date_time()},
              {"last_login_at", nullable(date_time())}});
}

Json product() {
  return obj({{"id", integer()},
              {"name", string()},
              {"description", string()},
              {"tier", string()},
              {"sessions_count", integer()},
              {"posting_interval_seconds", integer()},
              {"price", number()},
              {"currency", string()},
              {"validity_days", integer()},
              {"distribution", string()},
              {"max_groups", integer()},
              {"daily_cap_per_account", integer()},
              {"active", boolean()},
              {"created_at", date_time()},
              {"updated_at", date_time()}});
}

/// What an order keeps of its plan at purchase time (catalog.cpp snapshot_of, the only writer:
/// every field is always there).
Json product_snapshot() {
  return obj({{"id", integer()},
              {"name", string()},
              {"tier", string()},
              {"sessions_count", integer()},
              {"posting_interval_seconds", integer()},
              {"price", number()},
              {"currency", string()},
              {"validity_days", integer()},
              {"distribution", string()},
              {"max_groups", integer()},
              {"daily_cap_per_account", integer()}});
}

Json order() {
  return obj({{"id", integer()},
              {"user_id", integer()},
              {"product_id", integer()},
              {"adbot_id", doc(nullable(integer()),
                               "the adbot a renewal extends, or the one a NEW order's payment "
                               "created (QUEUED ones too); null before")},
              {"kind", enum_of({"NEW", "RENEWAL"})},
              {"amount", number()},
              {"currency", string()},
              {"status", string()},
              {"product", ref("ProductSnapshot")},
              {"created_at", nullable(date_time())},
              {"paid_at", nullable(date_time())},
              {"expires_at", nullable(date_time())}});
}

Json payment() {
  return obj({{"id", integer()},
              {"order_id", integer()},
              {"provider", string()},
              {"provider_payment_id", nullable(string())},
              {"pay_address", nullable(string())},
              {"pay_amount", nullable(number())},
              {"pay_currency", nullable(string())},
              {"payin_extra_id", nullable(string())},
              {"actually_paid", nullable(number())},
              {"status", string()},
              {"flagged", boolean()},
              {"flag_reason", nullable(string())},
              {"valid_until", nullable(date_time())},
              {"created_at", nullable(date_time())},
              {"updated_at", nullable(date_time())},
              {"confirmation", doc(enum_of({"manual", "provider"}),
                                   "manual: an operator confirms it by hand, and pay_amount is "
                                   "the price in the order's own money (no address)")},
              {"coin", doc(nullable(ref("Coin")), "pay_currency in words")},
              {"fiat_amount", doc(number(), "the order's price, beside the coin amount")},
              {"fiat_currency", string()},
              {"expires_at", doc(nullable(date_time()), "the order's deadline to pay")},
              {"payment_uri", doc(nullable(string()),
                                  "for the QR code: bitcoin:/litecoin:/dogecoin: (BIP-21), "
                                  "ethereum: (EIP-681, wei), solana:, ton://transfer/; null for "
                                  "tokens, TRON, manual payments")}});
}

Json coin() {
  return obj({{"ticker", string()},
              {"name", string()},
              {"network", doc(nullable(string()), "e.g. \"TRON (TRC-20)\"; null for fiat")}});
}

/// What was paid, once the order is PAID (commerce.cpp receipt_json).
Json receipt() {
  return obj({{"order_id", integer()},
              {"provider", string()},
              {"provider_payment_id", nullable(string())},
              {"reference", string()},
              {"amount", doc(nullable(number()), "actually_paid where known, else pay_amount")},
              {"currency", nullable(string())},
              {"coin", nullable(ref("Coin"))},
              {"fiat_amount", number()},
              {"fiat_currency", string()},
              {"paid_at", date_time()}});
}

Json adbot_stats() {
  return obj({{"posts", integer()},
              {"success", integer()},
              {"failures", integer()},
              {"flood_waits", integer()},
              {"last_activity", nullable(date_time())}});
}

Json adbot() {
  return obj({{"id", integer()},
              {"user_id", integer()},
              {"order_id", integer()},
              {"product_id", integer()},
              {"product", obj({{"id", integer()}, {"name", string()}})},
              {"status", kAdbotStatus},
              {"sessions_needed", integer()},
              {"posting_interval_seconds", integer()},
              {"distribution", string()},
              {"max_groups", integer()},
              {"daily_cap_per_account", integer()},
              {"validity_start", nullable(date_time())},
              {"validity_end", nullable(date_time())},
              {"post_link", nullable(string())},
              {"cycle_no", integer()},
              {"next_run_at", nullable(date_time())},
              {"stop_reason", nullable(string())},
              {"created_at", nullable(date_time())}});
}

/// An adbot in a list, the user's (GET /api/user/adbots) and the admin's (adbot_rows.cpp
/// adbot_list_json).
Json adbot_summary() {
  return extend(adbot(), {{"product_name", string()},
                          {"stats", ref("AdbotStats")},
                          {"groups_count", doc(integer(), "configured groups")},
                          {"sessions_assigned", doc(integer(), "accounts ASSIGNED to it now")},
                          {"accounts_count",
                           doc(integer(), "every account attached, retired ones included")}});
}

Json adbot_detail() {
  const Json account =
      obj({{"session_id", integer()},
           {"phone", string()},
           {"username", nullable(string())},
           {"status", kStockStatus},
           {"healthy", boolean()},
           {"flood_until", nullable(date_time())},
           {"sends_today", integer()},
           {"status_reason", nullable(string())},
           {"no_joins_since", doc(nullable(date_time()),
                                  "since when Telegram lets it join no more groups (it keeps "
                                  "posting to the ones it is in); null if it can")}});
  const Json group_account = obj({{"session_id", integer()},
                                  {"state", kAccountGroupState},
                                  {"next_allowed_at", nullable(date_time())},
                                  {"last_error", nullable(string())}});
  const Json group = obj({{"target", string()},
                          {"state", kGroupState},
                          {"last_error", nullable(string())},
                          {"accounts", array_of(group_account)}});
  return obj({{"adbot", ref("Adbot")},
              {"groups", array_of(group)},
              {"accounts", array_of(account)},
              {"stats", ref("AdbotStats")}});
}

Json advertisement() {
  return obj({{"adbot_id", integer()},
              {"post_link", nullable(string())},
              {"groups", array_of(obj({{"target", string()},
                                       {"state", kGroupState},
                                       {"last_error", nullable(string())}}))},
              {"max_groups", integer()},
              {"status", kAdbotStatus}});
}

// adbot_events.kind, every kind a writer logs: domain/adbots.cpp (STARTED, STOPPED), the
// engine's store.cpp (cycles, STOPPED, EXPIRED, a skip's kind), driver.cpp (skips, JOINED,
// RETRY_NEXT_CYCLE) and conduct.cpp (one per class of Telegram answer). PEER_FLOOD is what
// LIMITED was logged as before issue 15: old logs still hold it.
const Json kEventKind = enum_of({"STARTED",
                                 "STOPPED",
                                 "EXPIRED",
                                 "CYCLE_STARTED",
                                 "CYCLE_DONE",
                                 "CYCLE_RESUMED",
                                 "JOINED",
                                 "JOIN_CAPPED",
                                 "SENT",
                                 "RETRY",
                                 "RETRY_NEXT_CYCLE",
                                 "FLOOD_WAIT",
                                 "SLOWMODE",
                                 "LIMITED",
                                 "PEER_FLOOD",
                                 "FROZEN",
                                 "BANNED",
                                 "DEAD",
                                 "NO_JOINS",
                                 "WRITE_FORBIDDEN",
                                 "INVALID_GROUP",
                                 "INVITE_INVALID",
                                 "AWAITING_APPROVAL",
                                 "ERROR",
                                 "SOURCE_UNREACHABLE",
                                 "SOURCE_PROTECTED",
                                 "POST_MISSING",
                                 "SKIPPED",
                                 "CAPPED",
                                 "DROPPED",
                                 "UNKNOWN"});

Json log_event() {
  return obj({{"id", integer()},
              {"at", date_time()},
              {"kind", kEventKind},
              {"session_id", nullable(integer())},
              {"target", nullable(string())},
              {"wait_seconds", nullable(integer())},
              {"detail", string()}});
}

Json stock_account() {
  return obj({{"id", integer()},
              {"phone_number", string()},
              {"api_id", integer()},
              {"dc_id", integer()},
              {"server_address", string()},
              {"port", integer()},
              {"auth_key_id", string()},
              {"status", kStockStatus},
              {"assigned_to_adbot_id", nullable(integer())},
              {"assigned_to_user_id", nullable(integer())},
              {"flood_until", nullable(date_time())},
              {"sends_today", integer()},
              {"tg_user_id", nullable(integer())},
              {"tg_username", nullable(string())},
              {"status_reason", nullable(string())},
              {"no_joins_since", doc(nullable(date_time()),
                                     "since when Telegram lets it join no more groups; null if "
                                     "it can")},
              {"created_at", nullable(date_time())},
              {"updated_at", nullable(date_time())}});
}

Json blocklist_entry() {
  return obj({{"id", integer()},
              {"target", string()},
              {"reason", string()},
              {"source", string()},
              {"status", string()},
              {"contact", nullable(string())},
              {"created_at", nullable(date_time())},
              {"decided_at", nullable(date_time())}});
}

Json notification() {
  return obj({{"id", integer()},
              {"kind", string()},
              {"title", string()},
              {"body", string()},
              {"created_at", date_time()},
              {"read_at", nullable(date_time())}});
}

Json audit_entry() {
  return obj({{"id", integer()},
              {"at", date_time()},
              {"actor_user_id", nullable(integer())},
              {"action", string()},
              {"target_type", string()},
              {"target_id", nullable(integer())},
              {"detail", any()},
              {"client_address", string()}});
}

}  // namespace

Json extend(Json base, std::initializer_list<Field> fields) {
  const Json more = obj(fields);
  if (base.contains("$ref")) {
    return {{"allOf", Json::array({std::move(base), more})}};
  }
  if (base.contains("allOf")) {
    base["allOf"].push_back(more);
    return base;
  }
  for (const auto& [k, v] : more["properties"].items()) {
    base["properties"][k] = v;
  }
  if (more.contains("required")) {
    for (const auto& r : more["required"]) {
      base["required"].push_back(r);
    }
  }
  return base;
}

std::vector<http::RouteDoc::Param> paging(int max_limit) {
  return {{"limit",
           {{"type", "integer"}, {"minimum", 1}, {"maximum", max_limit}},
           "page size (default 50)"},
          {"cursor",
           {{"type", "integer"}, {"minimum", 0}},
           "the previous page's next_cursor: entries older than it"}};
}

Json components() {
  return {
      {"Error", obj({{"error", obj({{"code", string()}, {"message", string()}})}})},
      {"Ok", obj({{"ok", boolean()}})},
      {"User", user()},
      {"Session", obj({{"token", string()},
                       {"refresh_token", string()},
                       {"expires_in", integer()},
                       {"user", ref("User")}})},
      {"IssuedCode", obj({{"id", integer()},
                          {"email", string()},
                          {"role", enum_of({"USER", "ADMIN"})},
                          {"access_code", string()}})},
      {"Product", product()},
      {"ProductList", obj({{"products", array_of(ref("Product"))}})},
      {"ProductSnapshot", product_snapshot()},
      {"Order", order()},
      {"Payment", payment()},
      {"Coin", coin()},
      {"Receipt", receipt()},
      // An order with its payment (null before the provider answered), the adbot it names and,
      // once paid, the receipt.
      {"OrderWithPayment", obj({{"order", ref("Order")},
                                {"payment", nullable(ref("Payment"))},
                                {"adbot_id", doc(nullable(integer()), "= order.adbot_id")},
                                {"receipt", nullable(ref("Receipt"))}})},
      {"OrderListEntry", extend(order(), {{"payment", nullable(ref("Payment"))}})},
      {"Adbot", adbot()},
      {"AdbotStats", adbot_stats()},
      {"AdbotSummary", adbot_summary()},
      {"AdminAdbot", extend(adbot_summary(), {{"user_email", string()}})},
      {"AdbotDetail", adbot_detail()},
      {"Advertisement", advertisement()},
      {"LogEvent", log_event()},
      {"LogPage", obj({{"logs", array_of(ref("LogEvent"))}, {"next_before", nullable(integer())}})},
      {"StockAccount", stock_account()},
      {"StockOverview", obj({{"counts", map_of(integer())},
                             {"low_stock", boolean()},
                             {"low_stock_threshold", integer()}})},
      {"BlocklistEntry", blocklist_entry()},
      {"Notification", notification()},
      {"AuditEntry", audit_entry()},
  };
}

}  // namespace hqadz::api::schema
