#include "api/adbot_routes.hpp"
#include "api/schema.hpp"
#include "domain/adbots.hpp"
#include "http/input.hpp"

#include <set>

namespace hqadz::api {
namespace {

using http::Access;
using http::Request;
using http::Response;
namespace sc = schema;

sc::Json dashboard_schema() {
  return sc::obj(
      {{"adbots", sc::map_of(sc::integer())},
       {"running_adbots", sc::integer()},
       {"deliveries_last_hour", sc::integer()},
       {"deliveries_per_hour",
        sc::array_of(sc::obj({{"hour", sc::date_time()}, {"deliveries", sc::integer()}}))},
       {"stock", sc::map_of(sc::integer())},
       {"users", sc::integer()},
       {"revenue",
        sc::array_of(sc::obj(
            {{"currency", sc::string()}, {"orders", sc::integer()}, {"total", sc::number()}}))}});
}

const auto kIdentity = [](const nlohmann::json& j) { return j; };

}  // namespace

void add_admin_adbot_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/api/admin/adbots", Access::kAdmin,
              [&ctx](Request& req) {
                domain::AdminAdbotFilter f;
                auto limit = http::query_int(req, "limit", 50, 1, 200);
                auto cursor = http::query_int(req, "cursor", 0, 0, INT64_MAX);
                auto user = http::query_int(req, "user_id", 0, 0, INT64_MAX);
                for (auto* r : {&limit, &cursor, &user}) {
                  if (!r->ok()) {
                    return Response::error(r->error());
                  }
                }
                f.limit = static_cast<int>(*limit);
                if (*cursor > 0) f.before_id = *cursor;
                if (*user > 0) f.user_id = *user;
                if (auto s = req.query.find("status"); s != req.query.end() && !s->second.empty()) {
                  static const std::set<std::string> kStatuses = {"STOPPED", "RUNNING", "QUEUED",
                                                                  "EXPIRED", "SUSPENDED"};
                  if (!kStatuses.count(s->second)) {
                    return Response::error(
                        core::Error::invalid("invalid_status", "status has an unknown value"));
                  }
                  f.status = s->second;
                }
                return respond(ctx.adbots->admin_list(f), kIdentity);
              }},
             {.summary = "Every adbot, newest first, with its owner and plan",
              .tag = "admin-adbots",
              .query =
                  [] {
                    auto q = sc::paging();
                    q.push_back({"user_id", sc::integer(), "one owner's"});
                    q.push_back(
                        {"status",
                         sc::enum_of({"STOPPED", "RUNNING", "QUEUED", "EXPIRED", "SUSPENDED"}),
                         "only this status"});
                    return q;
                  }(),
              .replies = {{200, "A page of adbots",
                           sc::obj({{"adbots", sc::array_of(sc::ref("AdminAdbot"))},
                                    {"next_cursor", sc::nullable(sc::integer())}})}}});

  router.add({"POST", "/api/admin/adbots/{id:int}/extend", Access::kAdmin,
              [&ctx](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                auto days = http::require_int(*req.json, "days", 1, 3650);
                if (!days.ok()) {
                  return Response::error(days.error());
                }
                return respond(ctx.adbots->extend(caller_of(req), *id, static_cast<int>(*days),
                                                  req.client_address),
                               kIdentity);
              },
              true, 16 * 1024},
             {.summary = "Extend an adbot's validity by some days (an expired one can start again)",
              .tag = "admin-adbots",
              .request = sc::obj({{"days", sc::integer()}}),
              .replies = {{200, "The adbot", sc::ref("Adbot")}}});

  for (const char* path : {"/api/admin/dashboard", "/api/admin/stats"}) {
    router.add({"GET", path, Access::kAdmin,
                [&ctx](Request&) { return respond(ctx.adbots->admin_dashboard(), kIdentity); }},
               {.summary = std::string(path) == "/api/admin/stats"
                               ? "The seed's name for the dashboard"
                               : "Fleet, stock, deliveries and revenue",
                .tag = "admin-adbots",
                .replies = {{200, "The dashboard", dashboard_schema()}}});
  }

  router.add({"GET", "/api/admin/blocklist", Access::kAdmin,
              [&ctx](Request& req) {
                std::optional<std::string> status;
                if (auto s = req.query.find("status"); s != req.query.end() && !s->second.empty()) {
                  if (s->second != "ACTIVE" && s->second != "PENDING" && s->second != "REJECTED") {
                    return Response::error(
                        core::Error::invalid("invalid_status", "status has an unknown value"));
                  }
                  status = s->second;
                }
                return respond(ctx.adbots->blocklist(status), kIdentity);
              }},
             {.summary = "The group blocklist (opt-outs and the operator's blocks)",
              .tag = "admin-blocklist",
              .query = {{"status", sc::enum_of({"ACTIVE", "PENDING", "REJECTED"}),
                         "only this status"}},
              .replies = {{200, "The entries",
                           sc::obj({{"blocklist", sc::array_of(sc::ref("BlocklistEntry"))}})}}});

  router.add({"POST", "/api/admin/blocklist", Access::kAdmin,
              [&ctx](Request& req) {
                auto group = http::require_string(*req.json, "group", {.max_len = 256});
                auto reason = http::optional_string(*req.json, "reason", {.max_len = 500});
                if (!group.ok()) {
                  return Response::error(group.error());
                }
                if (!reason.ok()) {
                  return Response::error(reason.error());
                }
                return respond(ctx.adbots->block(caller_of(req), *group, reason->value_or(""),
                                                 req.client_address),
                               kIdentity, 201);
              },
              true, 16 * 1024},
             {.summary = "Block a group for every adbot",
              .tag = "admin-blocklist",
              .request = sc::obj({{"group", sc::string()}, sc::opt("reason", sc::string())}),
              .replies = {{201, "The entry", sc::ref("BlocklistEntry")}}});

  for (const char* decision : {"confirm", "reject"}) {
    router.add({"POST", std::string("/api/admin/blocklist/{id:int}/") + decision, Access::kAdmin,
                [&ctx, decision = std::string(decision)](Request& req) {
                  auto id = http::id_param(req);
                  if (!id.ok()) {
                    return Response::error(id.error());
                  }
                  return respond(
                      ctx.adbots->decide_block(caller_of(req), *id, decision, req.client_address),
                      kIdentity);
                }},
               {.summary = std::string(decision) == "confirm" ? "Confirm an opt-out (stays blocked)"
                                                              : "Reject an opt-out (unblocked)",
                .tag = "admin-blocklist",
                .replies = {{200, "The entry", sc::ref("BlocklistEntry")}}});
  }

  router.add({"DELETE", "/api/admin/blocklist/{id:int}", Access::kAdmin,
              [&ctx](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                return respond(ctx.adbots->unblock(caller_of(req), *id, req.client_address),
                               kIdentity);
              }},
             {.summary = "Remove an entry (the group may receive ads again)",
              .tag = "admin-blocklist",
              .replies = {{200, "Removed", sc::obj({{"deleted", sc::integer()}})}}});

  // Public so that any group owner can ask, without an account; rate-limited per address and
  // effective at once, then reviewed by an admin.
  router.add({"POST", "/api/public/opt-out", Access::kPublic,
              [&ctx](Request& req) {
                auto group = http::require_string(*req.json, "group", {.max_len = 256});
                auto contact = http::optional_string(*req.json, "contact", {.max_len = 256});
                auto reason = http::optional_string(*req.json, "reason", {.max_len = 1000});
                if (!group.ok()) {
                  return Response::error(group.error());
                }
                for (auto* r : {&contact, &reason}) {
                  if (!r->ok()) {
                    return Response::error(r->error());
                  }
                }
                return respond(ctx.adbots->opt_out(*group, contact->value_or(""),
                                                   reason->value_or(""), req.client_address),
                               kIdentity, 201);
              },
              true, 16 * 1024},
             {.summary = "A group's owner asks for no ads (effective at once, reviewed later)",
              .tag = "public",
              .request = sc::obj({{"group", sc::string()},
                                  sc::opt("contact", sc::string()),
                                  sc::opt("reason", sc::string())}),
              .replies = {{201, "Blocked",
                           sc::obj({{"target", sc::string()}, {"message", sc::string()}})}},
              .errors = {429}});
}

}  // namespace hqadz::api
