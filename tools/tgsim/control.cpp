#include "tools/tgsim/control.hpp"

#include <nlohmann/json.hpp>

namespace hqadz::tgsim {
namespace {

using nlohmann::json;

// A lenient body: empty means {}, anything else must be a JSON object.
core::Result<json> body_of(const http::Request& r) {
  if (r.body.empty()) {
    return json::object();
  }
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::Error::invalid("invalid_json", "the body must be a JSON object");
  }
  return j;
}

template <typename T>
T field(const json& j, const char* name, T fallback) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    return fallback;
  }
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

std::int64_t id_param(const http::Request& r) { return std::stoll(r.params.at("id")); }

http::Response status_or(const core::Status& s, json ok = json{{"ok", true}}) {
  return s.ok() ? http::Response::ok(ok) : http::Response::error(s.error());
}

http::Route route(std::string method, std::string pattern,
                  std::function<http::Response(http::Request&)> handler) {
  http::Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.access = http::Access::kPublic;  // loopback only; tgsim is a test tool
  r.handler = std::move(handler);
  return r;
}

std::string base64(const std::string& bytes) {
  static const char* kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                 static_cast<unsigned char>(bytes[i + 1]) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) {
      out += kAlphabet[(v >> k) & 63];
    }
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) {
      v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    }
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

void add_control_routes(http::Router& router, const ControlContext& c) {
  World& world = c.world;
  router.add(route("POST", "/accounts", [&world, c](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    auto account = world.create_account(field<std::string>(*body, "first_name", ""),
                                        field<std::string>(*body, "username", ""));
    if (!account.ok()) {
      return http::Response::error(account.error());
    }
    auto session = c.session_for(*account);
    return http::Response::created({{"id", account->id},
                                    {"first_name", account->first_name},
                                    {"username", account->username},
                                    {"string_session", telegram::to_string_session(session)},
                                    {"auth_key_base64", base64(account->auth_key)}});
  }));
  router.add(route("GET", "/accounts/{id:int}/session-file", [&world, c](http::Request& r) {
    auto account = world.account(id_param(r));
    if (!account) {
      return http::Response::error(core::Error::not_found("no such account"));
    }
    auto file = telegram::make_session_file(c.session_for(*account));
    if (!file.ok()) {
      return http::Response::error(file.error());
    }
    http::Response resp;
    resp.body = std::move(file).value();
    resp.content_type = "application/octet-stream";
    return resp;
  }));
  auto state_route = [&world](AccountState state) {
    return [&world, state](http::Request& r) {
      return status_or(world.set_account_state(id_param(r), state));
    };
  };
  router.add(route("POST", "/accounts/{id:int}/ban", state_route(AccountState::kBanned)));
  router.add(route("POST", "/accounts/{id:int}/deactivate",
                   state_route(AccountState::kDeactivated)));
  router.add(route("POST", "/accounts/{id:int}/revoke", state_route(AccountState::kRevoked)));
  router.add(route("POST", "/accounts/{id:int}/duplicate",
                   state_route(AccountState::kDuplicated)));
  router.add(route("POST", "/accounts/{id:int}/restore", state_route(AccountState::kActive)));
  router.add(route("POST", "/accounts/{id:int}/peer-flood", [&world](http::Request& r) {
    auto body = body_of(r);
    bool on = body.ok() ? field<bool>(*body, "on", true) : true;
    return status_or(world.set_peer_flood(id_param(r), on));
  }));
  router.add(route("POST", "/channels", [&world](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    auto id = world.create_channel(field<std::string>(*body, "username", ""),
                                   field<std::string>(*body, "title", ""));
    return id.ok() ? http::Response::created({{"id", *id}}) : http::Response::error(id.error());
  }));
  router.add(route("POST", "/channels/{id:int}/posts", [&world](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    auto id = world.add_post(id_param(r), field<std::string>(*body, "text", ""));
    return id.ok() ? http::Response::created({{"id", *id}}) : http::Response::error(id.error());
  }));
  router.add(route("POST", "/groups", [&world](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    auto id = world.create_group(field<std::string>(*body, "username", ""),
                                 field<std::string>(*body, "title", ""),
                                 field<int>(*body, "slowmode_seconds", 0));
    return id.ok() ? http::Response::created({{"id", *id}}) : http::Response::error(id.error());
  }));
  router.add(route("POST", "/groups/{id:int}/members", [&world](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    MemberOptions options;
    options.can_write = field<bool>(*body, "can_write", true);
    options.banned = field<bool>(*body, "banned", false);
    return status_or(
        world.add_member(id_param(r), field<std::int64_t>(*body, "account_id", 0), options));
  }));
  router.add(route("PUT", "/flood", [&world](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    FloodPolicy p{field<int>(*body, "per_minute", 0), field<int>(*body, "wait_seconds", 0)};
    world.set_flood(p);
    return http::Response::ok({{"per_minute", p.per_minute}, {"wait_seconds", p.wait_seconds}});
  }));
  router.add(route("PUT", "/faults", [&world](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    Faults f{field<int>(*body, "drop_every_n", 0),
             field<int>(*body, "delay_ms", 0),
             field<int>(*body, "error_5xx_every_n", 0),
             field<int>(*body, "drop_connection_every_n", 0),
             field<std::int64_t>(*body, "stall_account", 0),
             field<int>(*body, "stall_ms", 0),
             field<int>(*body, "clock_skew_seconds", 0),
             field<bool>(*body, "newer_constructors", false),
             field<int>(*body, "transport_404_next", 0),
             field<int>(*body, "unauthorized_next", 0),
             field<int>(*body, "lose_next", 0)};
    world.set_faults(f);
    return http::Response::ok({{"drop_every_n", f.drop_every_n},
                               {"delay_ms", f.delay_ms},
                               {"error_5xx_every_n", f.error_5xx_every_n},
                               {"drop_connection_every_n", f.drop_connection_every_n},
                               {"stall_account", f.stall_account},
                               {"stall_ms", f.stall_ms},
                               {"clock_skew_seconds", f.clock_skew_seconds},
                               {"newer_constructors", f.newer_constructors},
                               {"transport_404_next", f.transport_404_next},
                               {"unauthorized_next", f.unauthorized_next},
                               {"lose_next", f.lose_next}});
  }));
  // Error injection (error_rules.hpp).
  router.add(route("POST", "/errors", [&world](http::Request& r) {
    auto body = body_of(r);
    if (!body.ok()) {
      return http::Response::error(body.error());
    }
    ErrorRule rule;
    rule.method = field<std::string>(*body, "method", "*");
    rule.account = field<std::int64_t>(*body, "account", 0);
    rule.group = field<std::string>(*body, "group", "");
    rule.code = field<std::int32_t>(*body, "code", 400);
    rule.name = field<std::string>(*body, "name", "");
    rule.times = field<int>(*body, "times", 0);
    rule.delivered = field<bool>(*body, "delivered", false);
    auto id = world.add_error_rule(rule);
    if (!id) {
      return http::Response::error(
          core::Error::invalid("bad_rule", "an error rule needs a name (e.g. \"Timeout\")"));
    }
    return http::Response::created({{"id", *id}});
  }));
  router.add(route("GET", "/errors", [&world](http::Request&) {
    json list = json::array();
    for (const auto& e : world.error_rules()) {
      list.push_back({{"id", e.id},
                      {"method", e.method},
                      {"account", e.account},
                      {"group", e.group},
                      {"code", e.code},
                      {"name", e.name},
                      {"times_left", e.until_cleared ? json(nullptr) : json(e.times)},
                      {"delivered", e.delivered},
                      {"hits", e.hits},
                      {"hit_groups", e.hit_groups}});
    }
    return http::Response::ok({{"errors", list}});
  }));
  router.add(route("DELETE", "/errors", [&world](http::Request&) {
    world.clear_error_rules();
    return http::Response::ok({{"ok", true}});
  }));
  router.add(route("DELETE", "/errors/{id:int}", [&world](http::Request& r) {
    return world.remove_error_rule(id_param(r))
               ? http::Response::ok({{"ok", true}})
               : http::Response::error(core::Error::not_found("no such error rule"));
  }));
  router.add(route("GET", "/deliveries", [&world](http::Request& r) {
    std::optional<std::int64_t> group;
    if (auto it = r.query.find("group"); it != r.query.end()) {
      try {
        group = std::stoll(it->second);
      } catch (const std::exception&) {
        return http::Response::error(core::Error::invalid("bad_group", "group must be an id"));
      }
    }
    json list = json::array();
    for (const auto& d : world.deliveries(group)) {
      list.push_back({{"group", d.group},
                      {"account", d.account},
                      {"channel", d.channel},
                      {"post_id", d.post_id},
                      {"random_id", d.random_id},
                      {"message_id", d.message_id},
                      {"at", core::format_iso8601(d.at)}});
    }
    return http::Response::ok(list);
  }));
  router.add(route("GET", "/config", [c](http::Request&) {
    return http::Response::ok({{"hqadz_telegram_dcs", c.dcs_config()}});
  }));
  router.add(route("GET", "/stats", [&world, c](http::Request&) {
    return http::Response::ok(
        {{"keys", world.key_count()},
         {"connections", c.connection_count()},
         {"deliveries", world.delivery_count()}});
  }));
}

}  // namespace hqadz::tgsim
