#include "telegram/client/session_tool.hpp"

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio/io_context.hpp>

#include <array>
#include <cstring>
#include <functional>
#include <optional>

#include "telegram/client/client.hpp"
#include "telegram/client/dc_table.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "telegram/mtproto/random.hpp"

namespace hqadz::telegram {
namespace {

bool valid_username(std::string_view s) {
  if (s.size() < 4 || s.size() > 32) {
    return false;
  }
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string_view strip_prefix(std::string_view link) {
  for (std::string_view p : {"https://", "http://"}) {
    if (link.substr(0, p.size()) == p) {
      link.remove_prefix(p.size());
    }
  }
  for (std::string_view p : {"t.me/", "telegram.me/", "www.t.me/", "@"}) {
    if (link.substr(0, p.size()) == p) {
      link.remove_prefix(p.size());
      break;
    }
  }
  while (!link.empty() && link.back() == '/') {
    link.remove_suffix(1);
  }
  return link;
}

// Runs `start(client, finish)` on a fresh client until `finish` is called or time runs out.
nlohmann::json run_with_client(
    const SessionToolOptions& options,
    const std::function<void(Client&, std::function<void(nlohmann::json)>)>& start) {
  auto dcs = DcTable::from_setting(options.telegram_dcs);
  if (!dcs.ok()) {
    return error_json(dcs.error().code, dcs.error().message);
  }
  boost::asio::io_context io;
  AccountOptions account{options.session, options.api_id, options.api_hash};
  ClientSettings settings;
  settings.request_timeout = options.timeout;
  auto client = make_client(io, std::move(account),
                            std::make_shared<const DcTable>(std::move(dcs).value()), settings);
  std::optional<nlohmann::json> answer;
  start(*client, [&answer, client](nlohmann::json j) {
    if (!answer) {
      answer = std::move(j);
      client->close();
    }
  });
  io.run();
  if (!answer) {
    return error_json(transient_error("TIMEOUT"));
  }
  return *answer;
}

}  // namespace

nlohmann::json error_json(const RpcError& error) {
  std::string message = error.name;
  if (error.code != 0) {
    message += " (" + std::to_string(error.code) + ")";
  }
  if (error.seconds > 0) {
    message += ", wait " + std::to_string(error.seconds) + " s";
  }
  return error_json(error.name, std::move(message), kind_name(error.kind));
}

nlohmann::json error_json(std::string code, std::string message, std::string_view kind) {
  return {{"error",
           {{"code", std::move(code)}, {"message", std::move(message)}, {"kind", kind}}}};
}

nlohmann::json check_session(const SessionToolOptions& options) {
  return run_with_client(options, [](Client& client, auto finish) {
    client.get_me([finish](Outcome<Me> me) {
      if (!me.ok()) {
        finish(error_json(me.error()));
        return;
      }
      finish({{"id", me.value().id},
              {"first_name", me.value().first_name},
              {"username", me.value().username}});
    });
  });
}

core::Result<PostLink> parse_post_link(std::string_view link) {
  auto rest = strip_prefix(link);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return core::Error::invalid("bad_post_link", "a post link looks like https://t.me/name/123");
  }
  auto name = rest.substr(0, slash);
  auto number = rest.substr(slash + 1);
  if (name == "c" || !valid_username(name)) {
    return core::Error::invalid("bad_post_link", "the channel must be public: t.me/name/123");
  }
  std::int64_t id = 0;
  for (char c : number) {
    if (c < '0' || c > '9' || id > 2'000'000'000) {
      return core::Error::invalid("bad_post_link", "the post id must be a number");
    }
    id = id * 10 + (c - '0');
  }
  if (number.empty() || id <= 0) {
    return core::Error::invalid("bad_post_link", "the post id must be a positive number");
  }
  return PostLink{std::string(name), static_cast<std::int32_t>(id)};
}

core::Result<std::string> parse_chat_link(std::string_view link) {
  auto name = strip_prefix(link);
  if (name.find('/') != std::string_view::npos || name.substr(0, 1) == "+" ||
      !valid_username(name)) {
    return core::Error::invalid("bad_chat_link", "a group is given as @name or https://t.me/name");
  }
  return std::string(name);
}

nlohmann::json forward_post(const SessionToolOptions& options, std::string_view from_link,
                            std::string_view to_link) {
  auto from = parse_post_link(from_link);
  if (!from.ok()) {
    return error_json(from.error().code, from.error().message);
  }
  auto to = parse_chat_link(to_link);
  if (!to.ok()) {
    return error_json(to.error().code, to.error().message);
  }
  std::array<std::uint8_t, 8> bytes{};
  mtproto::SecureRandom().fill(bytes);
  std::int64_t random_id = 0;
  std::memcpy(&random_id, bytes.data(), bytes.size());
  PostLink post = *from;
  std::string group = *to;
  return run_with_client(options, [post, group, random_id](Client& client, auto finish) {
    client.resolve_username(post.username, [&client, post, group, random_id,
                                            finish](Outcome<Peer> source) {
      if (!source.ok()) {
        finish(error_json(source.error()));
        return;
      }
      client.resolve_username(group, [&client, post, source = source.value(), random_id,
                                       finish](Outcome<Peer> target) {
        if (!target.ok()) {
          finish(error_json(target.error()));
          return;
        }
        client.forward_message(source, post.post_id, target.value(), random_id,
                               [finish](Outcome<int32_t> id) {
                                 if (!id.ok()) {
                                   finish(error_json(id.error()));
                                 } else {
                                   finish({{"message_id", id.value()}});
                                 }
                               });
      });
    });
  });
}

}  // namespace hqadz::telegram
