#include "telegram/client/session_tool.hpp"

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstring>
#include <functional>
#include <optional>

#include "telegram/client/client.hpp"
#include "telegram/client/dc_table.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/tl/generated/tl_types.hpp"

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

using Finish = std::function<void(nlohmann::json)>;

// One call tried again after each TRANSIENT error, as the engine does: `call` is started again
// (it re-sends the same request, so the same random_id) after delays[k], at most delays.size()
// times; `finish` gets the last outcome and how many tries it took.
template <typename T>
class Retrying : public std::enable_shared_from_this<Retrying<T>> {
 public:
  using Call = std::function<void(Account::Done<T>)>;
  using Done = std::function<void(Outcome<T>, int attempts)>;

  static void run(boost::asio::io_context& io, std::vector<std::chrono::milliseconds> delays,
                  Call call, Done done) {
    auto r = std::shared_ptr<Retrying>(
        new Retrying(io, std::move(delays), std::move(call), std::move(done)));
    r->attempt();
  }

 private:
  Retrying(boost::asio::io_context& io, std::vector<std::chrono::milliseconds> delays, Call call,
           Done done)
      : timer_(io), delays_(std::move(delays)), call_(std::move(call)), done_(std::move(done)) {}

  void attempt() {
    ++attempts_;
    call_([self = this->shared_from_this()](Outcome<T> r) { self->on_result(std::move(r)); });
  }

  void on_result(Outcome<T> r) {
    const auto retries = static_cast<std::size_t>(attempts_ - 1);
    if (!r.ok() && r.error().kind == ErrorKind::kTransient && retries < delays_.size()) {
      timer_.expires_after(delays_[retries]);
      timer_.async_wait([self = this->shared_from_this()](const boost::system::error_code&) {
        self->attempt();
      });
      return;
    }
    done_(std::move(r), attempts_);
  }

  boost::asio::steady_timer timer_;
  std::vector<std::chrono::milliseconds> delays_;
  Call call_;
  Done done_;
  int attempts_ = 0;
};

// Runs `start(io, client, finish)` on a fresh client until `finish` is called or time runs out.
nlohmann::json run_with_client(
    const SessionToolOptions& options,
    const std::function<void(boost::asio::io_context&, Client&, Finish)>& start) {
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
  start(io, *client, [&answer, client](nlohmann::json j) {
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
  const auto delays = options.retry_delays;
  return run_with_client(options, [delays](boost::asio::io_context& io, Client& client,
                                           Finish finish) {
    auto* cl = &client;
    Retrying<Me>::run(
        io, delays, [cl](Account::Done<Me> done) { cl->get_me(std::move(done)); },
        [finish](Outcome<Me> me, int) {
          if (!me.ok()) {
            finish(error_json(me.error()));
            return;
          }
          finish({{"id", me.value().id},
                  {"first_name", me.value().first_name},
                  {"username", me.value().username},
                  {"layer", tl::kLayer}});
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
  const auto delays = options.retry_delays;
  return run_with_client(options, [post, group, random_id, delays](boost::asio::io_context& io,
                                                                  Client& client, Finish finish) {
    // Both outlive every callback: run_with_client runs `io` until the answer is in.
    auto* iop = &io;
    auto* cl = &client;
    auto resolve = [iop, cl, delays](const std::string& name, auto then) {
      Retrying<Peer>::run(
          *iop, delays,
          [cl, name](Account::Done<Peer> done) { cl->resolve_username(name, std::move(done)); },
          [then](Outcome<Peer> peer, int) { then(std::move(peer)); });
    };
    auto send = [iop, cl, delays, post, random_id, finish](Peer source, Peer target) {
      Retrying<std::int32_t>::run(
          *iop, delays,
          [cl, source, target, post, random_id](Account::Done<std::int32_t> done) {
            cl->forward_message(source, post.post_id, target, random_id, std::move(done));
          },
          [finish, random_id](Outcome<std::int32_t> id, int attempts) {
            if (!id.ok() && id.error().kind != ErrorKind::kDelivered) {
              finish(error_json(id.error()));
              return;
            }
            // DELIVERED: a retry met the random_id an earlier try had delivered.
            nlohmann::json message_id = nullptr;
            if (id.ok() && id.value() != 0) {
              message_id = id.value();
            }
            finish({{"message_id", message_id}, {"random_id", random_id}, {"attempts", attempts}});
          });
    };
    resolve(post.username, [resolve, send, group, finish](Outcome<Peer> source) {
      if (!source.ok()) {
        auto e = source.error();
        e.kind = kind_for(e, Subject::kSource);  // USERNAME_NOT_OCCUPIED here: SOURCE_MISSING
        finish(error_json(e));
        return;
      }
      resolve(group, [send, source = source.value(), finish](Outcome<Peer> target) {
        if (!target.ok()) {
          finish(error_json(target.error()));
          return;
        }
        send(source, target.value());
      });
    });
  });
}

}  // namespace hqadz::telegram
