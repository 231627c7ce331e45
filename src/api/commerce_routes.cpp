#include "api/commerce_routes.hpp"

#include "api/schema.hpp"
#include "core/raw_json.hpp"
#include "domain/notifications.hpp"
#include "http/input.hpp"

namespace hqadz::api {
namespace {

using http::Access;
using http::Request;
using http::Response;
namespace sc = schema;

/// An order with its payment, as the payment routes answer it ("demo": true in demo mode).
sc::Json purchase_schema() {
  return sc::extend(sc::ref("OrderWithPayment"), {sc::opt("demo", sc::boolean())});
}

/// What marking an order paid did: the order, the outcome and the adbot it made (if any).
sc::Json fulfilment_schema() {
  return sc::extend(purchase_schema(),
                    {{"outcome", sc::string()}, {"adbot_id", sc::nullable(sc::integer())}});
}

sc::Json product_fields() {
  return sc::obj(
      {sc::opt("name", sc::string()), sc::opt("description", sc::string()),
       sc::opt("tier", sc::enum_of({"STARTER", "ENTERPRISE"})),
       sc::opt("sessions_count", sc::integer()), sc::opt("posting_interval_seconds", sc::integer()),
       sc::opt("price", {{"type", sc::Json::array({"number", "string"})}}),
       sc::opt("currency", sc::string()), sc::opt("validity_days", sc::integer()),
       sc::opt("distribution", sc::enum_of({"EVEN", "ALL"})), sc::opt("max_groups", sc::integer()),
       sc::opt("daily_cap_per_account", sc::integer()), sc::opt("active", sc::boolean())});
}

template <typename T>
core::Result<std::optional<T>> lift(core::Result<std::optional<int64_t>> r) {
  if (!r.ok()) {
    return r.error();
  }
  if (!*r) {
    return std::optional<T>{};
  }
  return std::optional<T>(static_cast<T>(**r));
}

nlohmann::json list_json(const std::vector<domain::OrderWithPayment>& orders) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& op : orders) {
    nlohmann::json o = domain::to_json(op.order);
    o["payment"] = op.payment ? domain::to_json(*op.payment) : nlohmann::json();
    out.push_back(std::move(o));
  }
  return out;
}

nlohmann::json cursor(size_t got, int limit, int64_t last_id) {
  return static_cast<int>(got) == limit ? nlohmann::json(last_id) : nlohmann::json();
}

/// The create answer: the order and what the customer needs to pay.
nlohmann::json purchase_json(const domain::OrderWithPayment& op) {
  nlohmann::json j = domain::to_json(op);
  return j;
}

/// Tells the web UI it may offer "Simulate payment" (demo mode only).
nlohmann::json with_demo(nlohmann::json j, const CommerceApi& api) {
  if (api.demo) {
    j["demo"] = true;
  }
  return j;
}

/// Demo mode: the customer plays the provider for their own order. It is the manual
/// provider's confirmation (mark_paid), so fulfilment is exactly what an admin's would be.
void add_simulate_route(http::Router& router, CommerceApi& api) {
  router.add({"POST", "/api/payment/simulate", Access::kUser,
              [&api](Request& req) {
                auto id = http::require_int(http::body_of(req), "order_id", 1, INT64_MAX);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                const int64_t owner = req.who().user_id;
                if (auto mine = api.commerce.get_order(*id, owner); !mine.ok()) {
                  return Response::error(mine.error());  // another user's order: not_found
                }
                auto r = api.commerce.mark_paid(*id, request_context(req));
                if (!r.ok()) {
                  return Response::error(r.error());
                }
                auto op = api.commerce.get_order(*id, owner);
                if (!op.ok()) {
                  return Response::error(op.error());
                }
                nlohmann::json j = with_demo(domain::to_json(*op), api);
                j["outcome"] = r->outcome;
                j["adbot_id"] = r->adbot_id ? nlohmann::json(*r->adbot_id) : nlohmann::json();
                return Response::ok(j);
              },
              true, 1024, true},
             {.summary = "Demo only: pay your own order as the manual provider would",
              .tag = "payments",
              .request = sc::obj({{"order_id", sc::integer()}}),
              .replies = {{200, "Paid and fulfilled (or queued for stock)", fulfilment_schema()}},
              .errors = {409},
              .demo = true});
}

}  // namespace

core::Result<domain::ProductFields> parse_product_fields(const Request& req) {
  const nlohmann::json& body = http::body_of(req);
  domain::ProductFields f;
  auto str = [&](const char* key, size_t max, std::optional<std::string>& out) -> core::Status {
    auto v = http::optional_string(body, key, {.max_len = max});
    if (!v.ok()) {
      return v.error();
    }
    out = *v;
    return core::ok_status();
  };
  for (auto [key, max, field] :
       {std::tuple{"name", size_t{120}, &f.name}, std::tuple{"description", size_t{2000}, &f.description},
        std::tuple{"tier", size_t{16}, &f.tier}, std::tuple{"currency", size_t{10}, &f.currency},
        std::tuple{"distribution", size_t{8}, &f.distribution}}) {
    if (auto st = str(key, max, *field); !st.ok()) {
      return st.error();
    }
  }
  struct IntField {
    const char* key;
    int64_t min, max;
    std::optional<int>* out;
  };
  for (const IntField& i :
       {IntField{"sessions_count", 1, 100, &f.sessions_count},
        IntField{"posting_interval_seconds", 60, 7 * 86400, &f.posting_interval_seconds},
        IntField{"validity_days", 1, 3650, &f.validity_days},
        IntField{"max_groups", 1, 10000, &f.max_groups},
        IntField{"daily_cap_per_account", 1, 100000, &f.daily_cap_per_account}}) {
    auto v = lift<int>(http::optional_int(body, i.key, i.min, i.max));
    if (!v.ok()) {
      return v.error();
    }
    *i.out = *v;
  }
  auto active = http::optional_bool(body, "active");
  if (!active.ok()) {
    return active.error();
  }
  f.active = *active;
  if (body.contains("price") && !body["price"].is_null()) {
    // The exact token as sent: 55.5 stays 55.5, never a double.
    auto raw = core::parse_raw_json(req.body);
    const core::RawJson* price = raw ? raw->find("price") : nullptr;
    std::optional<core::Decimal> d;
    if (price != nullptr && (price->kind == core::RawJson::Kind::kNumber ||
                             price->kind == core::RawJson::Kind::kString)) {
      d = core::Decimal::parse(*price->scalar_text());
    }
    if (!d) {
      return core::Error::invalid("invalid_price",
                                  "price must be a positive number in major units, e.g. 55 or 54.99");
    }
    f.price = *d;
  }
  return f;
}

void add_commerce_routes(http::Router& router, CommerceApi& api) {
  // The catalogue.
  router.add({"GET", "/api/products", Access::kUser,
              [&api](Request&) {
                return respond(api.catalog.list(true), [](const std::vector<domain::Product>& ps) {
                  nlohmann::json list = nlohmann::json::array();
                  for (const auto& p : ps) {
                    list.push_back(domain::to_json(p));
                  }
                  return nlohmann::json{{"products", list}};
                });
              }},
             {.summary = "The plans on sale",
              .tag = "catalog",
              .replies = {{200, "Active plans", sc::ref("ProductList")}}});
  router.add({"GET", "/api/admin/products", Access::kAdmin,
              [&api](Request&) {
                return respond(api.catalog.list(false), [](const std::vector<domain::Product>& ps) {
                  nlohmann::json list = nlohmann::json::array();
                  for (const auto& p : ps) {
                    list.push_back(domain::to_json(p));
                  }
                  return nlohmann::json{{"products", list}};
                });
              }},
             {.summary = "Every plan, inactive ones too",
              .tag = "catalog",
              .replies = {{200, "All plans", sc::ref("ProductList")}}});
  router.add({"POST", "/api/admin/products", Access::kAdmin,
              [&api](Request& req) {
                auto f = parse_product_fields(req);
                if (!f.ok()) {
                  return Response::error(f.error());
                }
                return respond(api.catalog.create(*f, request_context(req)),
                               [](const domain::Product& p) { return domain::to_json(p); }, 201);
              },
              true, 16 * 1024},
             {.summary = "Create a plan",
              .tag = "catalog",
              .request = product_fields(),
              .replies = {{201, "Created", sc::ref("Product")}}});
  router.add({"PATCH", "/api/admin/products/{id:int}", Access::kAdmin,
              [&api](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                auto f = parse_product_fields(req);
                if (!f.ok()) {
                  return Response::error(f.error());
                }
                return respond(api.catalog.update(*id, *f, request_context(req)),
                               [](const domain::Product& p) { return domain::to_json(p); });
              },
              true, 16 * 1024},
             {.summary = "Change a plan (only the fields sent)",
              .tag = "catalog",
              .request = product_fields(),
              .replies = {{200, "The plan", sc::ref("Product")}}});

  // Buying and paying.
  router.add({"POST", "/api/payment/create", Access::kUser,
              [&api](Request& req) {
                const auto& body = http::body_of(req);
                auto product = http::require_int(body, "product_id", 1, INT64_MAX);
                if (!product.ok()) {
                  return Response::error(product.error());
                }
                auto currency = http::require_string(body, "pay_currency", {.max_len = 20});
                if (!currency.ok()) {
                  return Response::error(currency.error());
                }
                auto adbot = http::optional_int(body, "adbot_id", 1, INT64_MAX);
                if (!adbot.ok()) {
                  return Response::error(adbot.error());
                }
                domain::NewOrder order;
                order.user_id = req.who().user_id;
                order.product_id = *product;
                order.pay_currency = *currency;
                order.renew_adbot_id = *adbot;
                return respond(api.payments.create(order),
                               [&api](const domain::OrderWithPayment& op) {
                                 return with_demo(purchase_json(op), api);
                               },
                               201);
              },
              true, 4 * 1024},
             {.summary = "Buy (or renew, with adbot_id) a plan: an order and its payment",
              .tag = "payments",
              .request = sc::obj({{"product_id", sc::integer()},
                                  {"pay_currency", sc::string()},
                                  sc::opt("adbot_id", sc::integer())}),
              .replies = {{201, "The order and what to pay", purchase_schema()}},
              .errors = {404, 409, 422, 502, 504}});
  // Public: NOWPayments calls it. The raw bytes are what the signature covers.
  router.add(
      {"POST", "/api/payment/webhook", Access::kPublic,
       [&api](Request& req) {
         std::optional<std::string> sig;
         if (auto h = req.header("x-nowpayments-sig")) {
           sig = std::string(*h);
         }
         auto r = api.payments.handle_ipn(req.body, sig, req.client_address);
         if (!r.ok()) {
           return Response::error(r.error());
         }
         return Response::ok({{"ok", true}, {"outcome", r->result.outcome}});
       },
       false, 64 * 1024},
      {.summary = "NOWPayments' IPN callback (signed with x-nowpayments-sig)",
       .tag = "payments",
       .request = {{"type", "object"}},
       .replies = {{200, "Applied", sc::obj({{"ok", sc::boolean()}, {"outcome", sc::string()}})}},
       .errors = {400, 401, 404, 409, 502}});
  router.add({"GET", "/api/payment/status", Access::kUser,
              [&api](Request& req) {
                auto id = http::query_int(req, "order_id", 0, 1, INT64_MAX);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                if (*id == 0) {
                  return Response::error(
                      core::Error::invalid("missing_order_id", "order_id is required"));
                }
                const auto& who = req.who();
                return respond(api.payments.status(*id, who.is_admin() ? std::nullopt
                                                                       : std::optional(who.user_id)),
                               [&api](const domain::OrderWithPayment& op) {
                                 return with_demo(domain::to_json(op), api);
                               });
              },
              false, 0, true},
             {.summary = "An order and its payment (the owner's, or any for an admin)",
              .tag = "payments",
              .query = {{"order_id", sc::integer(), "the order (required)"}},
              .replies = {{200, "The order", purchase_schema()}},
              .errors = {502, 504}});
  if (api.demo) {
    add_simulate_route(router, api);
  }
  router.add({"POST", "/api/admin/orders/{id:int}/mark-paid", Access::kAdmin,
              [&api](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                auto r = api.commerce.mark_paid(*id, request_context(req));
                if (!r.ok()) {
                  return Response::error(r.error());
                }
                auto op = api.commerce.get_order(*id, std::nullopt);
                if (!op.ok()) {
                  return Response::error(op.error());
                }
                nlohmann::json j = domain::to_json(*op);
                j["outcome"] = r->outcome;
                j["adbot_id"] = r->adbot_id ? nlohmann::json(*r->adbot_id) : nlohmann::json();
                return Response::ok(j);
              }},
             {.summary = "Confirm a manual payment by hand; fulfils the order",
              .tag = "payments",
              .replies = {{200, "Paid and fulfilled (or queued for stock)",
                           sc::extend(sc::ref("OrderWithPayment"),
                                      {{"outcome", sc::string()},
                                       {"adbot_id", sc::nullable(sc::integer())}})}},
              .errors = {409}});
  router.add({"GET", "/api/admin/payments", Access::kAdmin,
              [&api](Request& req) {
                domain::PaymentFilter f;
                if (auto it = req.query.find("flagged"); it != req.query.end() && !it->second.empty()) {
                  if (it->second != "true" && it->second != "false") {
                    return Response::error(
                        core::Error::invalid("invalid_flagged", "flagged must be true or false"));
                  }
                  f.flagged = it->second == "true";
                }
                auto limit = http::query_int(req, "limit", 50, 1, 200);
                auto before = http::query_int(req, "cursor", 0, 0, INT64_MAX);
                if (!limit.ok() || !before.ok()) {
                  return Response::error(!limit.ok() ? limit.error() : before.error());
                }
                f.limit = static_cast<int>(*limit);
                if (*before > 0) {
                  f.before_id = *before;
                }
                return respond(api.commerce.list_payments(f), [&](const std::vector<domain::Payment>& ps) {
                  nlohmann::json list = nlohmann::json::array();
                  for (const auto& p : ps) {
                    list.push_back(domain::to_json(p));
                  }
                  return nlohmann::json{
                      {"payments", list},
                      {"next_cursor", cursor(ps.size(), f.limit, ps.empty() ? 0 : ps.back().id)}};
                });
              }},
             {.summary = "Payments, newest first",
              .tag = "payments",
              .query =
                  [] {
                    auto q = sc::paging();
                    q.push_back({"flagged", sc::enum_of({"true", "false"}), "only flagged or not"});
                    return q;
                  }(),
              .replies = {{200, "A page of payments",
                           sc::obj({{"payments", sc::array_of(sc::ref("Payment"))},
                                    {"next_cursor", sc::nullable(sc::integer())}})}}});

  // The customer's own.
  router.add({"GET", "/api/user/orders", Access::kUser,
              [&api](Request& req) {
                domain::OrderQuery q;
                auto limit = http::query_int(req, "limit", 50, 1, 200);
                auto before = http::query_int(req, "cursor", 0, 0, INT64_MAX);
                if (!limit.ok() || !before.ok()) {
                  return Response::error(!limit.ok() ? limit.error() : before.error());
                }
                q.limit = static_cast<int>(*limit);
                if (*before > 0) {
                  q.before_id = *before;
                }
                return respond(api.commerce.list_orders(req.who().user_id, q),
                               [&](const std::vector<domain::OrderWithPayment>& os) {
                                 return nlohmann::json{
                                     {"orders", list_json(os)},
                                     {"next_cursor",
                                      cursor(os.size(), q.limit, os.empty() ? 0 : os.back().order.id)}};
                               });
              },
              false, 0, true},
             {.summary = "The caller's orders, newest first, each with its payment",
              .tag = "payments",
              .query = sc::paging(),
              .replies = {{200, "A page of orders",
                           sc::obj({{"orders", sc::array_of(sc::ref("OrderListEntry"))},
                                    {"next_cursor", sc::nullable(sc::integer())}})}}});
  if (api.user_adbots_route) {
    router.add({"GET", "/api/user/adbots", Access::kUser,
                [&api](Request& req) {
                  return respond(api.commerce.list_adbots(req.who().user_id),
                                 [](const std::vector<nlohmann::json>& list) {
                                   return nlohmann::json{{"adbots", list}};
                                 });
                },
                false, 0, true},
               {.summary = "The caller's adbots",
                .tag = "adbots",
                .replies = {{200, "Their adbots",
                             sc::obj({{"adbots", sc::array_of(sc::ref("AdbotSummary"))}})}}});
  }
}

}  // namespace hqadz::api
