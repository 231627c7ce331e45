#include "api/admin_user_routes.hpp"

#include "api/schema.hpp"
#include "http/input.hpp"

namespace hqadz::api {
namespace {

using http::Access;
using http::Request;
using http::Response;
namespace sc = schema;

nlohmann::json issued_json(const domain::IssuedCode& c) {
  return {{"id", c.user.id},
          {"email", c.user.email},
          {"role", c.user.role},
          {"access_code", c.access_code}};
}

/// `?name=` restricted to a set of values.
core::Result<std::optional<std::string>> enum_query(const Request& req, const char* name,
                                                    std::initializer_list<const char*> allowed) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) {
    return std::optional<std::string>{};
  }
  for (const char* a : allowed) {
    if (it->second == a) {
      return std::optional<std::string>{it->second};
    }
  }
  return core::Error::invalid("invalid_" + std::string(name),
                              std::string(name) + " has an unknown value");
}

template <typename T>
nlohmann::json next_cursor(const std::vector<T>& page, int limit, int64_t last_id) {
  return static_cast<int>(page.size()) == limit ? nlohmann::json(last_id) : nlohmann::json();
}

}  // namespace

void add_admin_user_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/api/admin/users", Access::kAdmin,
              [&ctx](Request& req) {
                domain::UserFilter f;
                auto role = enum_query(req, "role", {"USER", "ADMIN"});
                auto status = enum_query(req, "status", {"ACTIVE", "SUSPENDED"});
                auto limit = http::query_int(req, "limit", 50, 1, 200);
                auto cursor = http::query_int(req, "cursor", 0, 0, INT64_MAX);
                for (const core::Error* e : {role.ok() ? nullptr : &role.error(),
                                             status.ok() ? nullptr : &status.error(),
                                             limit.ok() ? nullptr : &limit.error(),
                                             cursor.ok() ? nullptr : &cursor.error()}) {
                  if (e != nullptr) {
                    return Response::error(*e);
                  }
                }
                f.role = *role;
                f.status = *status;
                f.limit = static_cast<int>(*limit);
                if (*cursor > 0) {
                  f.before_id = *cursor;
                }
                if (auto q = req.query.find("q"); q != req.query.end() && !q->second.empty()) {
                  if (q->second.size() > 254) {
                    return Response::error(core::Error::invalid("invalid_q", "q is too long"));
                  }
                  f.email_contains = q->second;
                }
                auto users = ctx.identity.list_users(f);
                if (!users.ok()) {
                  return Response::error(users.error());
                }
                nlohmann::json list = nlohmann::json::array();
                for (const auto& u : *users) {
                  list.push_back(domain::to_json(u));
                }
                return Response::ok({{"users", list},
                                     {"next_cursor", next_cursor(*users, f.limit,
                                                                 users->empty() ? 0 : users->back().id)}});
              }},
             {.summary = "Users, newest first",
              .tag = "admin-users",
              .query =
                  [] {
                    auto q = sc::paging();
                    q.push_back({"role", sc::enum_of({"USER", "ADMIN"}), "only this role"});
                    q.push_back(
                        {"status", sc::enum_of({"ACTIVE", "SUSPENDED"}), "only this status"});
                    q.push_back({"q", sc::string(), "part of the email"});
                    return q;
                  }(),
              .replies = {{200, "A page of users",
                           sc::obj({{"users", sc::array_of(sc::ref("User"))},
                                    {"next_cursor", sc::nullable(sc::integer())}})}}});

  router.add({"POST", "/api/admin/users", Access::kAdmin,
              [&ctx](Request& req) {
                auto email = http::require_string(*req.json, "email", {.max_len = 254});
                if (!email.ok()) {
                  return Response::error(email.error());
                }
                auto role = http::optional_string(*req.json, "role", {.max_len = 16});
                if (!role.ok()) {
                  return Response::error(role.error());
                }
                return respond(ctx.identity.create_user(*email, role->value_or("USER"),
                                                        request_context(req)),
                               issued_json, 201);
              },
              true, 16 * 1024},
             {.summary = "Create a user; the answer carries its access code, once",
              .tag = "admin-users",
              .request = sc::obj(
                  {{"email", sc::string()}, sc::opt("role", sc::enum_of({"USER", "ADMIN"}))}),
              .replies = {{201, "Created", sc::ref("IssuedCode")}},
              .errors = {409}});

  for (const bool suspend : {true, false}) {
    router.add({"POST",
                suspend ? "/api/admin/users/{id:int}/suspend"
                        : "/api/admin/users/{id:int}/unsuspend",
                Access::kAdmin,
                [&ctx, suspend](Request& req) {
                  auto id = http::id_param(req);
                  if (!id.ok()) {
                    return Response::error(id.error());
                  }
                  return respond(ctx.identity.set_suspended(*id, suspend, request_context(req)),
                                 [](const domain::User& u) { return domain::to_json(u); });
                }},
               {.summary = suspend ? "Suspend a user (their adbots stop)" : "Lift a suspension",
                .tag = "admin-users",
                .replies = {{200, "The user", sc::ref("User")}},
                .errors = {409}});
  }

  router.add({"POST", "/api/admin/users/{id:int}/reset-code", Access::kAdmin,
              [&ctx](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                return respond(ctx.identity.reset_code(*id, request_context(req)), issued_json);
              }},
             {.summary = "Issue a new access code (shown once)",
              .tag = "admin-users",
              .replies = {{200, "The new code", sc::ref("IssuedCode")}}});

  router.add({"GET", "/api/admin/audit", Access::kAdmin,
              [&ctx](Request& req) {
                domain::AuditFilter f;
                auto limit = http::query_int(req, "limit", 50, 1, 200);
                auto cursor = http::query_int(req, "cursor", 0, 0, INT64_MAX);
                auto actor = http::query_int(req, "actor_user_id", 0, 0, INT64_MAX);
                auto target = http::query_int(req, "target_id", 0, 0, INT64_MAX);
                for (auto* r : {&limit, &cursor, &actor, &target}) {
                  if (!r->ok()) {
                    return Response::error(r->error());
                  }
                }
                f.limit = static_cast<int>(*limit);
                if (*cursor > 0) f.before_id = *cursor;
                if (*actor > 0) f.actor_user_id = *actor;
                if (*target > 0) f.target_id = *target;
                for (auto [key, field] : {std::pair{"action", &f.action},
                                          std::pair{"target_type", &f.target_type}}) {
                  if (auto it = req.query.find(key); it != req.query.end() && !it->second.empty()) {
                    if (it->second.size() > 64) {
                      return Response::error(core::Error::invalid(
                          std::string("invalid_") + key, std::string(key) + " is too long"));
                    }
                    *field = it->second;
                  }
                }
                auto entries = ctx.identity.list_audit(f);
                if (!entries.ok()) {
                  return Response::error(entries.error());
                }
                const int64_t last = entries->empty() ? 0 : entries->back()["id"].get<int64_t>();
                return Response::ok(
                    {{"audit_log", *entries}, {"next_cursor", next_cursor(*entries, f.limit, last)}});
              }},
             {.summary = "The audit log, newest first",
              .tag = "admin-users",
              .query =
                  [] {
                    auto q = sc::paging();
                    q.push_back({"actor_user_id", sc::integer(), "who acted"});
                    q.push_back({"target_id", sc::integer(), "what was acted on"});
                    q.push_back({"action", sc::string(), "e.g. user.create"});
                    q.push_back({"target_type", sc::string(), "e.g. user, adbot"});
                    return q;
                  }(),
              .replies = {{200, "A page of entries",
                           sc::obj({{"audit_log", sc::array_of(sc::ref("AuditEntry"))},
                                    {"next_cursor", sc::nullable(sc::integer())}})}}});
}

}  // namespace hqadz::api
