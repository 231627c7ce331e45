// The Account methods: TELEGRAM.md's calls built on invoke().
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "telegram/client/client_impl.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "telegram/client/salvage.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram {
namespace {

template <typename T>
tl::Bytes serialize(const T& object) {
  tl::Writer w;
  object.serialize(w);
  return w.take();
}

RpcError malformed(std::string_view what) {
  return RpcError{ErrorKind::kOther, 0, "MALFORMED_" + std::string(what), 0};
}

tl::AnyInputPeer input_peer(const Peer& p) {
  switch (p.kind) {
    case Peer::Kind::kUser:
      return {tl::InputPeerUser{p.id, p.access_hash}};
    case Peer::Kind::kChat:
      return {tl::InputPeerChat{p.id}};
    case Peer::Kind::kChannel:
      break;
  }
  return {tl::InputPeerChannel{p.id, p.access_hash}};
}

// Parses a method's result with its generated parser, or reports it malformed.
template <typename Method, typename T, typename F>
void parse_then(Outcome<tl::Bytes> raw, const Account::Done<T>& done, F&& on_value) {
  if (!raw.ok()) {
    done(raw.error());
    return;
  }
  tl::Reader r(raw.value());
  auto parsed = Method::parse_result(r);
  if (!parsed.ok()) {
    done(malformed(Method::kName));
    return;
  }
  on_value(*parsed);
}

std::optional<Peer> peer_from(const tl::AnyPeer& peer, const std::vector<tl::AnyChat>& chats,
                              const std::vector<tl::AnyUser>& users) {
  if (const auto* pc = peer.get<tl::PeerChannel>()) {
    for (const auto& c : chats) {
      if (const auto* ch = c.get<tl::Channel>(); ch != nullptr && ch->id == pc->channel_id) {
        return Peer{Peer::Kind::kChannel, ch->id, ch->access_hash.value_or(0),
                    ch->username.value_or(""), ch->title, ch->megagroup};
      }
    }
  } else if (const auto* pu = peer.get<tl::PeerUser>()) {
    for (const auto& u : users) {
      if (const auto* user = u.get<tl::User>(); user != nullptr && user->id == pu->user_id) {
        return Peer{Peer::Kind::kUser, user->id, user->access_hash.value_or(0),
                    user->username.value_or(""), user->first_name.value_or(""), false};
      }
    }
  } else if (const auto* pch = peer.get<tl::PeerChat>()) {
    for (const auto& c : chats) {
      if (const auto* chat = c.get<tl::Chat>(); chat != nullptr && chat->id == pch->chat_id) {
        return Peer{Peer::Kind::kChat, chat->id, 0, "", chat->title, false};
      }
    }
  }
  return std::nullopt;
}

// A boxed Vector<T> read up to the first element that does not parse (a newer layer's object);
// the reader is failed then, and what came before is kept.
template <typename T>
std::vector<T> read_prefix(tl::Reader& r) {
  std::vector<T> list;
  r.expect_id(tl::kVectorId, "Vector");
  const auto count = r.read_count(4);
  for (std::uint32_t i = 0; i < count && !r.failed(); ++i) {
    auto item = T::read(r);
    if (!r.failed()) {
      list.push_back(std::move(item));
    }
  }
  return list;
}

// contacts.resolvedPeer read as far as it goes: the peer, then the chats and users up to the
// first object of a newer layer. A channel is found when its chat comes before the newer one.
std::optional<Peer> resolved_prefix(tl::ByteSpan raw) {
  tl::Reader r(raw);
  r.expect_id(tl::contacts::ResolvedPeer::kId, "contacts.ResolvedPeer");
  auto peer = tl::AnyPeer::read(r);
  if (r.failed()) {
    return std::nullopt;
  }
  auto chats = read_prefix<tl::AnyChat>(r);
  std::vector<tl::AnyUser> users;
  if (!r.failed()) {
    users = read_prefix<tl::AnyUser>(r);
  }
  return peer_from(peer, chats, users);
}

// The chats of messages.dialogs(Slice) read as far as they go (they come before the users).
std::vector<tl::AnyChat> dialog_chats_prefix(tl::ByteSpan raw) {
  tl::Reader r(raw);
  const auto id = r.read_uint32();
  if (id == tl::messages::DialogsSlice::kId) {
    r.read_int();  // count
  } else if (id != tl::messages::Dialogs::kId) {
    return {};
  }
  read_prefix<tl::AnyDialog>(r);
  if (!r.failed()) {
    read_prefix<tl::AnyMessage>(r);
  }
  return r.failed() ? std::vector<tl::AnyChat>{} : read_prefix<tl::AnyChat>(r);
}

// The new message's id from a forward's Updates: by random_id first, as Telethon maps it.
std::optional<std::int32_t> forwarded_id(const tl::AnyUpdates& updates, std::int64_t random_id) {
  const std::vector<tl::AnyUpdate>* list = nullptr;
  if (const auto* u = updates.get<tl::Updates>()) {
    list = &u->updates;
  } else if (const auto* c = updates.get<tl::UpdatesCombined>()) {
    list = &c->updates;
  } else if (const auto* s = updates.get<tl::UpdateShortSentMessage>()) {
    return s->id;
  } else if (const auto* sh = updates.get<tl::UpdateShort>()) {
    if (const auto* m = sh->update.get<tl::UpdateMessageID>()) {
      return m->id;
    }
    return std::nullopt;
  }
  if (list == nullptr) {
    return std::nullopt;
  }
  for (const auto& u : *list) {
    if (const auto* m = u.get<tl::UpdateMessageID>(); m != nullptr && m->random_id == random_id) {
      return m->id;
    }
  }
  for (const auto& u : *list) {
    if (const auto* m = u.get<tl::UpdateNewChannelMessage>()) {
      if (const auto* msg = m->message.get<tl::Message>()) {
        return msg->id;
      }
    }
    if (const auto* m = u.get<tl::UpdateNewMessage>()) {
      if (const auto* msg = m->message.get<tl::Message>()) {
        return msg->id;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

void ClientImpl::get_me(Done<Me> done) {
  tl::users::GetUsers req;
  req.id.push_back({tl::InputUserSelf{}});
  invoke(serialize(req), [done = std::move(done)](Outcome<tl::Bytes> raw) {
    if (raw.ok()) {
      tl::Reader r(raw.value());
      if (!tl::users::GetUsers::parse_result(r).ok()) {
        // A newer `user` we cannot read: the key works (Telegram answered, not rpc_error), the
        // fields are unknown. Say so with empty ones rather than fail the account.
        salvage::note_unparsed(tl::users::GetUsers::kName, r);
        done(Me{});
        return;
      }
    }
    parse_then<tl::users::GetUsers>(std::move(raw), done, [&](const auto& users) {
      for (const auto& u : users) {
        if (const auto* user = u.template get<tl::User>()) {
          done(Me{user->id, user->first_name.value_or(""), user->username.value_or("")});
          return;
        }
      }
      done(malformed("users.getUsers"));
    });
  });
}

void ClientImpl::resolve_username(const std::string& username, Done<Peer> done) {
  std::string name = username;
  if (!name.empty() && name.front() == '@') {
    name.erase(0, 1);
  }
  tl::contacts::ResolveUsername req{name};
  invoke(serialize(req), [done = std::move(done)](Outcome<tl::Bytes> raw) {
    if (raw.ok()) {
      tl::Reader r(raw.value());
      if (!tl::contacts::ResolveUsername::parse_result(r).ok()) {
        salvage::note_unparsed(tl::contacts::ResolveUsername::kName, r);
        if (auto peer = resolved_prefix(raw.value())) {
          done(*peer);
        } else {
          done(malformed("contacts.resolvedPeer"));
        }
        return;
      }
    }
    parse_then<tl::contacts::ResolveUsername>(std::move(raw), done, [&](const auto& resolved) {
      if (auto peer = peer_from(resolved.peer, resolved.chats, resolved.users)) {
        done(*peer);
      } else {
        done(malformed("contacts.resolvedPeer"));
      }
    });
  });
}

void ClientImpl::resolve_channel_id(int64_t channel_id, Done<Peer> done) {
  // The account's dialogs carry the channels it is in, with its access hashes. One page of
  // 100 is enough for adbot accounts; a deeper search would page by offset_date.
  tl::messages::GetDialogs req;
  req.offset_peer = {tl::InputPeerEmpty{}};
  req.limit = 100;
  invoke(serialize(req), [done = std::move(done), channel_id](Outcome<tl::Bytes> raw) {
    if (raw.ok()) {
      tl::Reader r(raw.value());
      if (!tl::messages::GetDialogs::parse_result(r).ok()) {
        salvage::note_unparsed(tl::messages::GetDialogs::kName, r);
        auto chats = dialog_chats_prefix(raw.value());
        if (auto peer = peer_from(tl::AnyPeer{tl::PeerChannel{channel_id}}, chats, {})) {
          done(*peer);
        } else {
          done(rpc_error_from(400, "CHANNEL_PRIVATE"));
        }
        return;
      }
    }
    parse_then<tl::messages::GetDialogs>(std::move(raw), done, [&](const auto& dialogs) {
      const std::vector<tl::AnyChat>* chats = nullptr;
      if (const auto* d = dialogs.template get<tl::messages::Dialogs>()) {
        chats = &d->chats;
      } else if (const auto* s = dialogs.template get<tl::messages::DialogsSlice>()) {
        chats = &s->chats;
      }
      if (chats != nullptr) {
        auto peer = peer_from(tl::AnyPeer{tl::PeerChannel{channel_id}}, *chats, {});
        if (peer) {
          done(*peer);
          return;
        }
      }
      done(rpc_error_from(400, "CHANNEL_PRIVATE"));
    });
  });
}

void ClientImpl::join_channel(const Peer& channel, Done<Nothing> done) {
  tl::channels::JoinChannel req;
  req.channel = {tl::InputChannel{channel.id, channel.access_hash}};
  invoke(serialize(req), [done = std::move(done)](Outcome<tl::Bytes> raw) {
    if (!raw.ok() && raw.error().name == "USER_ALREADY_PARTICIPANT") {
      done(Nothing{});
      return;
    }
    if (!raw.ok()) {
      done(raw.error());
      return;
    }
    // Any result that is not an rpc_error means the account is in: its Updates are not needed,
    // and a newer constructor inside them must not turn a join into a failure.
    tl::Reader r(raw.value());
    if (!tl::channels::JoinChannel::parse_result(r).ok()) {
      salvage::note_unparsed(tl::channels::JoinChannel::kName, r);
    }
    done(Nothing{});
  });
}

void ClientImpl::message_exists(const Peer& channel, int32_t msg_id, Done<bool> done) {
  auto check = [msg_id, done](const tl::messages::AnyMessages& result) {
    const std::vector<tl::AnyMessage>* list = nullptr;
    if (const auto* m = result.get<tl::messages::Messages>()) {
      list = &m->messages;
    } else if (const auto* s = result.get<tl::messages::MessagesSlice>()) {
      list = &s->messages;
    } else if (const auto* c = result.get<tl::messages::ChannelMessages>()) {
      list = &c->messages;
    }
    bool found = false;
    if (list != nullptr) {
      found = std::any_of(list->begin(), list->end(), [msg_id](const tl::AnyMessage& m) {
        const auto* msg = m.get<tl::Message>();
        return msg != nullptr && msg->id == msg_id;
      });
    }
    done(found);
  };
  if (channel.kind == Peer::Kind::kChannel) {
    tl::channels::GetMessages req;
    req.channel = {tl::InputChannel{channel.id, channel.access_hash}};
    req.id.push_back({tl::InputMessageID{msg_id}});
    invoke(serialize(req), [done, check](Outcome<tl::Bytes> raw) {
      parse_then<tl::channels::GetMessages>(std::move(raw), done, check);
    });
    return;
  }
  tl::messages::GetMessages req;
  req.id.push_back({tl::InputMessageID{msg_id}});
  invoke(serialize(req), [done, check](Outcome<tl::Bytes> raw) {
    parse_then<tl::messages::GetMessages>(std::move(raw), done, check);
  });
}

void ClientImpl::forward_message(const Peer& from, int32_t msg_id, const Peer& to,
                                 int64_t random_id, Done<int32_t> done) {
  tl::messages::ForwardMessages req;
  req.from_peer = input_peer(from);
  req.id = {msg_id};
  req.random_id = {random_id};
  req.to_peer = input_peer(to);
  invoke(serialize(req), [done = std::move(done), random_id](Outcome<tl::Bytes> raw) {
    if (!raw.ok()) {
      done(raw.error());
      return;
    }
    // Not an rpc_error: the message was delivered, whatever the rest says. The id comes from
    // the parsed Updates, else from what can be read of them, else it is unknown (0).
    tl::Reader r(raw.value());
    auto updates = tl::messages::ForwardMessages::parse_result(r);
    std::optional<std::int32_t> id;
    if (updates.ok()) {
      id = forwarded_id(*updates, random_id);
    } else {
      salvage::note_unparsed(tl::messages::ForwardMessages::kName, r);
      id = salvage::forward_message_id(raw.value(), random_id);
    }
    if (!id) {
      spdlog::warn("telegram: a forward was delivered but its result names no message id");
    }
    done(id.value_or(0));
  });
}

}  // namespace hqadz::telegram
