#include "api/adbot_routes.hpp"

#include <future>
#include <map>
#include <memory>
#include <mutex>

#include "api/auth_routes.hpp"
#include "api/schema.hpp"
#include "domain/adbots.hpp"
#include "domain/links.hpp"
#include "engine/engine.hpp"
#include "http/input.hpp"

namespace hqadz::api {
namespace {

using http::Access;
using http::Request;
using http::Response;
namespace sc = schema;

const std::vector<http::RouteDoc::Param> kAdbotQuery = {
    {"adbot_id", sc::integer(), "the adbot (or adbot_id in the JSON body)"}};

const auto kIdentity = [](const nlohmann::json& j) { return j; };

/// The adbot named by `?adbot_id=` or by "adbot_id" in the JSON body.
core::Result<int64_t> adbot_id_of(const Request& req) {
  if (req.json) {
    if (req.json->contains("adbot_id")) {
      return http::require_int(*req.json, "adbot_id", 1, INT64_MAX);
    }
  }
  auto q = http::query_int(req, "adbot_id", 0, 0, INT64_MAX);
  if (!q.ok()) {
    return q.error();
  }
  if (*q == 0) {
    return core::Error::invalid("missing_adbot_id", "adbot_id is required");
  }
  return *q;
}

/// groups: a JSON array of strings, or one string with one group per line.
core::Result<std::optional<std::vector<std::string>>> groups_of(const nlohmann::json& body) {
  auto it = body.find("groups");
  if (it == body.end() || it->is_null()) {
    return std::optional<std::vector<std::string>>{};
  }
  std::vector<std::string> out;
  if (it->is_string()) {
    std::string all = it->get<std::string>();
    size_t start = 0;
    while (start <= all.size()) {
      const auto nl = all.find_first_of("\n,", start);
      std::string line = all.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (line.find_first_not_of(" \t\r") != std::string::npos) {
        out.push_back(line);
      }
      if (nl == std::string::npos) {
        break;
      }
      start = nl + 1;
    }
  } else if (it->is_array()) {
    for (const auto& g : *it) {
      if (!g.is_string()) {
        return core::Error::invalid("invalid_groups", "groups must be strings");
      }
      out.push_back(g.get<std::string>());
    }
  } else {
    return core::Error::invalid("invalid_groups", "groups must be a list of group links");
  }
  return std::optional<std::vector<std::string>>{std::move(out)};
}

Response get_advertisement(ApiContext& ctx, Request& req) {
  auto id = adbot_id_of(req);
  if (!id.ok()) {
    return Response::error(id.error());
  }
  return respond(ctx.adbots->get_advertisement(caller_of(req), *id), kIdentity);
}

Response set_advertisement(ApiContext& ctx, Request& req) {
  auto id = adbot_id_of(req);
  if (!id.ok()) {
    return Response::error(id.error());
  }
  auto link = http::optional_string(*req.json, "post_link", {.max_len = 512});
  if (!link.ok()) {
    return Response::error(link.error());
  }
  auto groups = groups_of(*req.json);
  if (!groups.ok()) {
    return Response::error(groups.error());
  }
  return respond(ctx.adbots->set_advertisement(caller_of(req), *id, *link, *groups), kIdentity);
}

Response control(ApiContext& ctx, Request& req, int64_t id, const std::string& action) {
  if (action == "start") {
    return respond(ctx.adbots->start(caller_of(req), id, req.client_address), kIdentity);
  }
  if (action == "stop") {
    return respond(ctx.adbots->stop(caller_of(req), id, req.client_address), kIdentity);
  }
  return Response::error(core::Error::invalid("invalid_action", "action must be start or stop"));
}

/// Live log: the newest events first as a backlog, then each new one as it is written.
/// Live event streams held open, per user and per client address (in this process): each one
/// polls the database, so a caller may hold only a few. Thread-safe.
class StreamSlots : public std::enable_shared_from_this<StreamSlots> {
 public:
  static constexpr int kPerUser = 5;
  static constexpr int kPerAddress = 20;

  /// A slot, released when the returned handle goes; null when either bound is reached.
  std::shared_ptr<void> acquire(int64_t user_id, const std::string& address) {
    std::lock_guard lock(mutex_);
    if (per_user_[user_id] >= kPerUser || per_address_[address] >= kPerAddress) {
      return nullptr;
    }
    ++per_user_[user_id];
    ++per_address_[address];
    // Non-null (a null shared_ptr reads as "no slot"); the deleter only gives the slot back.
    return std::shared_ptr<void>(
        static_cast<void*>(this),
        [self = shared_from_this(), user_id, address](void*) { self->release(user_id, address); });
  }

 private:
  void release(int64_t user_id, const std::string& address) {
    std::lock_guard lock(mutex_);
    if (--per_user_[user_id] <= 0) {
      per_user_.erase(user_id);
    }
    if (--per_address_[address] <= 0) {
      per_address_.erase(address);
    }
  }

  std::mutex mutex_;
  std::map<int64_t, int> per_user_;         // guarded by mutex_
  std::map<std::string, int> per_address_;  // guarded by mutex_
};

class EventStream final : public http::StreamSource {
 public:
  EventStream(domain::AdbotService& adbots, domain::IdentityService& identity,
              domain::Caller caller, std::string token, std::shared_ptr<void> slot, int64_t id,
              int64_t after)
      : adbots_(adbots),
        identity_(identity),
        caller_(std::move(caller)),
        token_(std::move(token)),
        slot_(std::move(slot)),
        id_(id),
        last_(after) {}

  std::optional<std::string> poll() override {
    // The stream lives no longer than its token: every second the token is checked again like
    // a request's (expiry, logout, reset-code, suspension). The client's EventSource reconnects
    // with a fresh one.
    if (++polls_since_check_ >= kPollsPerCheck) {
      polls_since_check_ = 0;
      if (!identity_.authenticate(token_).ok()) {
        return std::nullopt;
      }
    }
    auto r = adbots_.logs(caller_, id_, {.limit = 100, .after_id = last_});
    if (!r.ok()) {
      return std::nullopt;  // gone, or no longer theirs
    }
    std::string out;
    for (const auto& e : (*r)["logs"]) {
      last_ = e["id"].get<int64_t>();
      out += "id: " + std::to_string(last_) + "\nevent: log\ndata: " +
             e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
    }
    if (out.empty() && ++idle_polls_ >= 30) {
      out = ": keep-alive\n\n";  // proxies drop silent connections
      idle_polls_ = 0;
    } else if (!out.empty()) {
      idle_polls_ = 0;
    }
    return out;
  }

 private:
  static constexpr int kPollsPerCheck = 2;  // × 500 ms

  domain::AdbotService& adbots_;
  domain::IdentityService& identity_;
  domain::Caller caller_;
  std::string token_;
  std::shared_ptr<void> slot_;  // released with the stream
  int64_t id_;
  int64_t last_;
  int idle_polls_ = 0;
  int polls_since_check_ = 0;
};

}  // namespace

domain::Caller caller_of(const http::Request& request) {
  const auto& p = request.who();
  return {p.user_id, p.is_admin() ? "ADMIN" : "USER", p.email};
}

void add_adbot_routes(http::Router& router, ApiContext& ctx) {
  const uint64_t kConfigLimit = 512 * 1024;
  for (const char* path : {"/api/user/advertisement", "/api/bot/config"}) {
    router.add({"GET", path, Access::kUser,
                [&ctx](Request& req) { return get_advertisement(ctx, req); }, false, 0, true},
               {.summary = std::string(path) == "/api/bot/config"
                               ? "The seed's name for GET /api/user/advertisement"
                               : "An adbot's post link and groups",
                .tag = "adbots",
                .query = kAdbotQuery,
                .replies = {{200, "The advertisement", sc::ref("Advertisement")}}});
    router.add(
        {"POST", path, Access::kUser, [&ctx](Request& req) { return set_advertisement(ctx, req); },
         true, kConfigLimit, true},
        {.summary = std::string(path) == "/api/bot/config"
                        ? "The seed's name for POST /api/user/advertisement"
                        : "Set the post link and/or the groups (replaces the list)",
         .tag = "adbots",
         .query = kAdbotQuery,
         .request = sc::obj(
             {sc::opt("adbot_id", sc::integer()), sc::opt("post_link", sc::string()),
              sc::opt("groups",
                      {{"anyOf", sc::Json::array({sc::array_of(sc::string()), sc::string()})}})}),
         .replies = {{200, "The advertisement, with what was refused and why",
                      sc::extend(
                          sc::ref("Advertisement"),
                          {{"rejected", sc::array_of(sc::obj({{"input", sc::string()},
                                                              {"reason", sc::string()}}))}})}},
         .errors = {409}});
  }

  router.add({"POST", "/api/bot/control", Access::kUser,
              [&ctx](Request& req) {
                auto id = adbot_id_of(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                auto action = http::require_string(*req.json, "action", {.max_len = 16});
                if (!action.ok()) {
                  return Response::error(action.error());
                }
                return control(ctx, req, *id, *action);
              },
              true, 16 * 1024, true},
             {.summary = "The seed's start/stop: {adbot_id, action: start|stop}",
              .tag = "adbots",
              .request = sc::obj(
                  {sc::opt("adbot_id", sc::integer()), {"action", sc::enum_of({"start", "stop"})}}),
              .replies = {{200, "The adbot", sc::ref("Adbot")}},
              .errors = {409, 422}});

  router.add({"POST", "/api/bot/validate-post", Access::kUser,
              [&ctx](Request& req) {
                auto id = adbot_id_of(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                auto link = http::optional_string(*req.json, "post_link", {.max_len = 512});
                if (!link.ok()) {
                  return Response::error(link.error());
                }
                // The link parses, and the adbot belongs to the caller...
                std::string post = link->value_or("");
                if (post.empty()) {
                  auto stored = ctx.adbots->post_link_of(caller_of(req), *id);
                  if (!stored.ok()) {
                    return Response::error(stored.error());
                  }
                  post = *stored;
                } else if (auto own = ctx.adbots->get_advertisement(caller_of(req), *id); !own.ok()) {
                  return Response::error(own.error());
                }
                auto parsed = domain::parse_post_link(post);
                if (!parsed.ok()) {
                  return Response::error(parsed.error());
                }
                if (ctx.engine == nullptr) {
                  return Response::error(core::Error::unavailable(
                      "engine_unavailable", "post checks run on the engine; none runs here"));
                }
                // ...and one of its accounts can see the post (asked of the lease holder).
                auto promise = std::make_shared<std::promise<core::Result<bool>>>();
                auto future = promise->get_future();
                ctx.engine->validate_post(*id, parsed->canonical(), [promise](core::Result<bool> r) {
                  promise->set_value(std::move(r));
                });
                if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
                  return Response::error({core::Errc::kTimeout, "telegram_timeout",
                                          "Telegram did not answer in time; try again"});
                }
                auto seen = future.get();
                if (!seen.ok()) {
                  return Response::error(seen.error());
                }
                return Response::ok({{"valid", *seen},
                                     {"post_link", parsed->canonical()},
                                     {"detail", std::string(*seen ? "the post exists and an account sees it"
                                                                  : "no assigned account can see this post")}});
              },
              true, 16 * 1024, true},
             {.summary = "Can one of the adbot's accounts see the post (asks Telegram)",
              .tag = "adbots",
              .query = kAdbotQuery,
              .request =
                  sc::obj({sc::opt("adbot_id", sc::integer()), sc::opt("post_link", sc::string())}),
              .replies = {{200, "The answer",
                           sc::obj({{"valid", sc::boolean()},
                                    {"post_link", sc::string()},
                                    {"detail", sc::string()}})}},
              .errors = {409, 422, 502, 504}});

  for (const char* action : {"start", "stop"}) {
    router.add({"POST", std::string("/api/adbots/{id:int}/") + action, Access::kUser,
                [&ctx, action = std::string(action)](Request& req) {
                  auto id = http::id_param(req);
                  if (!id.ok()) {
                    return Response::error(id.error());
                  }
                  return control(ctx, req, *id, action);
                },
                false, 0, true},
               {.summary = std::string(action) == "start" ? "Start delivering" : "Stop delivering",
                .tag = "adbots",
                .replies = {{200, "The adbot", sc::ref("Adbot")}},
                .errors = {409, 422}});
  }

  router.add({"GET", "/api/adbots/{id:int}", Access::kUser,
              [&ctx](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                return respond(ctx.adbots->get(caller_of(req), *id), kIdentity);
              },
              false, 0, true},
             {.summary = "An adbot with its groups, accounts and counters",
              .tag = "adbots",
              .replies = {{200, "The adbot", sc::ref("AdbotDetail")}}});

  router.add({"GET", "/api/adbots/{id:int}/logs", Access::kUser,
              [&ctx](Request& req) {
                auto id = http::id_param(req);
                auto limit = http::query_int(req, "limit", 50, 1, 500);
                auto before = http::query_int(req, "before", 0, 0, INT64_MAX);
                for (auto* r : {&id, &limit, &before}) {
                  if (!r->ok()) {
                    return Response::error(r->error());
                  }
                }
                domain::LogQuery q;
                q.limit = static_cast<int>(*limit);
                if (*before > 0) {
                  q.before_id = *before;
                }
                return respond(ctx.adbots->logs(caller_of(req), *id, q), kIdentity);
              },
              false, 0, true},
             {.summary = "An adbot's event log, newest first",
              .tag = "adbots",
              .query = {{"limit",
                         {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}},
                         "page size (default 50)"},
                        {"before",
                         {{"type", "integer"}, {"minimum", 0}},
                         "the previous page's next_before"}},
              .replies = {{200, "A page of events", sc::ref("LogPage")}}});

  auto slots = std::make_shared<StreamSlots>();
  router.add({"GET", "/api/adbots/{id:int}/events", Access::kUser,
              [&ctx, slots](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                // A short backlog first (checking ownership too), or resume after Last-Event-ID.
                auto recent = ctx.adbots->logs(caller_of(req), *id, {.limit = 20});
                if (!recent.ok()) {
                  return Response::error(recent.error());
                }
                int64_t after = 0;
                if (auto last = req.header("Last-Event-ID")) {
                  after = std::max<int64_t>(0, std::atoll(std::string(*last).c_str()));
                } else if (!(*recent)["logs"].empty()) {
                  after = (*recent)["logs"].back()["id"].get<int64_t>() - 1;
                }
                auto slot = slots->acquire(req.who().user_id, req.client_address);
                if (!slot) {
                  return Response::error({core::Errc::kRateLimited, "too_many_streams",
                                          "at most " + std::to_string(StreamSlots::kPerUser) +
                                              " live event streams per user and " +
                                              std::to_string(StreamSlots::kPerAddress) +
                                              " per address; close one first"});
                }
                Response r;
                r.content_type = "text/event-stream";
                r.body = "retry: 3000\n\n";
                r.stream = std::make_shared<EventStream>(*ctx.adbots, ctx.identity, caller_of(req),
                                                         access_token_of(req), std::move(slot), *id,
                                                         after);
                return r;
              },
              false, 0, true},
             {.summary = "The event log live (Server-Sent Events: event log, data a LogEvent); "
                         "ends when its token expires or is revoked, at most 5 per user and 20 "
                         "per address",
              .tag = "adbots",
              .replies = {{200, "An event stream; resumes after Last-Event-ID", nullptr,
                           "text/event-stream"}},
              .errors = {429}});

  router.add(
      {"GET", "/api/user/stats", Access::kUser,
       [&ctx](Request& req) { return respond(ctx.adbots->user_stats(caller_of(req)), kIdentity); }},
      {.summary = "The caller's delivery counters and deliveries per day (14 days)",
       .tag = "adbots",
       .replies = {{200, "The counters",
                    sc::obj({{"adbots", sc::integer()},
                             {"running", sc::integer()},
                             {"posts", sc::integer()},
                             {"success", sc::integer()},
                             {"failures", sc::integer()},
                             {"flood_waits", sc::integer()},
                             {"deliveries_per_day",
                              sc::array_of(sc::obj(
                                  {{"day", sc::date()}, {"deliveries", sc::integer()}}))}})}}});
}

}  // namespace hqadz::api
