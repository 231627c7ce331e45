#include "api/notification_routes.hpp"

#include "api/schema.hpp"
#include "domain/notifications.hpp"
#include "http/input.hpp"

namespace hqadz::api {

using http::Access;
using http::Request;
using http::Response;
namespace sc = schema;

void add_notification_routes(http::Router& router, storage::Database& db,
                             const core::Clock& clock) {
  router.add({"GET", "/api/user/notifications", Access::kUser,
              [&db](Request& req) {
                domain::NotificationQuery q;
                auto limit = http::query_int(req, "limit", 50, 1, 200);
                auto before = http::query_int(req, "cursor", 0, 0, INT64_MAX);
                if (!limit.ok() || !before.ok()) {
                  return Response::error(!limit.ok() ? limit.error() : before.error());
                }
                q.limit = static_cast<int>(*limit);
                if (*before > 0) {
                  q.before_id = *before;
                }
                if (auto it = req.query.find("unread"); it != req.query.end()) {
                  q.unread_only = it->second == "true" || it->second == "1";
                }
                const int64_t uid = req.who().user_id;
                auto r = db.read([&](storage::Tx& tx) -> core::Result<nlohmann::json> {
                  auto list = domain::list_notifications(tx, uid, q);
                  const int64_t last = list.empty() ? 0 : list.back()["id"].get<int64_t>();
                  return nlohmann::json{
                      {"notifications", list},
                      {"unread", domain::count_unread(tx, uid)},
                      {"next_cursor", static_cast<int>(list.size()) == q.limit
                                          ? nlohmann::json(last)
                                          : nlohmann::json()}};
                });
                if (!r.ok()) {
                  return Response::error(r.error());
                }
                return Response::ok(*r);
              },
              false, 0, true},
             {.summary = "The caller's notifications, newest first, and how many are unread",
              .tag = "notifications",
              .query =
                  [] {
                    auto q = sc::paging();
                    q.push_back(
                        {"unread", sc::enum_of({"true", "1", "false", "0"}), "unread only"});
                    return q;
                  }(),
              .replies = {{200, "A page of notifications",
                           sc::obj({{"notifications", sc::array_of(sc::ref("Notification"))},
                                    {"unread", sc::integer()},
                                    {"next_cursor", sc::nullable(sc::integer())}})}}});
  router.add({"POST", "/api/user/notifications/{id:int}/read", Access::kUser,
              [&db, &clock](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                const int64_t uid = req.who().user_id;
                const int64_t now = core::to_unix_ms(clock.now());
                auto r = db.write([&](storage::Tx& tx) -> core::Result<bool> {
                  return domain::mark_read(tx, uid, *id, now);
                });
                if (!r.ok()) {
                  return Response::error(r.error());
                }
                if (!*r) {
                  return Response::error(core::Error::not_found("no such notification"));
                }
                return Response::ok({{"ok", true}});
              },
              false, 0, true},
             {.summary = "Mark one notification read",
              .tag = "notifications",
              .replies = {{200, "Done", sc::ref("Ok")}}});
  router.add({"POST", "/api/user/notifications/read-all", Access::kUser,
              [&db, &clock](Request& req) {
                const int64_t uid = req.who().user_id;
                const int64_t now = core::to_unix_ms(clock.now());
                auto r = db.write([&](storage::Tx& tx) -> core::Result<bool> {
                  return domain::mark_read(tx, uid, std::nullopt, now);
                });
                if (!r.ok()) {
                  return Response::error(r.error());
                }
                return Response::ok({{"ok", true}});
              }},
             {.summary = "Mark every notification read",
              .tag = "notifications",
              .replies = {{200, "Done", sc::ref("Ok")}}});
}

}  // namespace hqadz::api
