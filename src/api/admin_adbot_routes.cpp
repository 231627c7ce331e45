#include "api/adbot_routes.hpp"
#include "domain/adbots.hpp"
#include "http/input.hpp"

#include <set>

namespace hqadz::api {
namespace {

using http::Access;
using http::Request;
using http::Response;

const auto kIdentity = [](const nlohmann::json& j) { return j; };

}  // namespace

void add_admin_adbot_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/api/admin/adbots", Access::kAdmin, [&ctx](Request& req) {
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
              }});

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
              true, 16 * 1024});

  for (const char* path : {"/api/admin/dashboard", "/api/admin/stats"}) {
    router.add({"GET", path, Access::kAdmin,
                [&ctx](Request&) { return respond(ctx.adbots->admin_dashboard(), kIdentity); }});
  }

  router.add({"GET", "/api/admin/blocklist", Access::kAdmin, [&ctx](Request& req) {
                std::optional<std::string> status;
                if (auto s = req.query.find("status"); s != req.query.end() && !s->second.empty()) {
                  if (s->second != "ACTIVE" && s->second != "PENDING" && s->second != "REJECTED") {
                    return Response::error(
                        core::Error::invalid("invalid_status", "status has an unknown value"));
                  }
                  status = s->second;
                }
                return respond(ctx.adbots->blocklist(status), kIdentity);
              }});

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
              true, 16 * 1024});

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
                }});
  }

  router.add({"DELETE", "/api/admin/blocklist/{id:int}", Access::kAdmin, [&ctx](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                return respond(ctx.adbots->unblock(caller_of(req), *id, req.client_address),
                               kIdentity);
              }});

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
              true, 16 * 1024});
}

}  // namespace hqadz::api
