// tgsim's world answering API requests: the Telegram rules a forwarding account meets.
#include <algorithm>

#include "telegram/tl/generated/tl_types.hpp"
#include "tools/tgsim/world.hpp"

namespace hqadz::tgsim {

namespace {

template <typename T>
tl::Bytes serialize(const T& object) {
  tl::Writer w;
  object.serialize(w);
  return w.take();
}

CallResult error(std::int32_t code, std::string message) {
  return {serialize(tl::RpcError{code, std::move(message)}), false};
}

CallResult ok(tl::Bytes result) { return {std::move(result), false}; }

// `user` at layer 228 (../shared/telegram/BRIEF.md): an object newer than layer 144 knows, as
// Telegram sends old-layer clients. A fixture for the newer_constructors fault, not a type tgsim
// speaks: its body is the layer-144 one, which no layer-144 reader gets to.
constexpr std::uint32_t kNewerUserId = 0xb1b8cc83u;

template <typename V>
void write_vector(tl::Writer& w, const V& items) {
  w.write_uint32(tl::kVectorId);
  w.write_int(static_cast<std::int32_t>(items.size()));
  for (const auto& item : items) {
    item.serialize(w);
  }
}

void write_user(tl::Writer& w, const tl::AnyUser& user, bool newer) {
  const auto* u = user.get<tl::User>();
  if (!newer || u == nullptr) {
    user.serialize(w);
    return;
  }
  w.write_uint32(kNewerUserId);
  u->serialize_bare(w);
}

void write_users(tl::Writer& w, const std::vector<tl::AnyUser>& users, bool newer) {
  w.write_uint32(tl::kVectorId);
  w.write_int(static_cast<std::int32_t>(users.size()));
  for (const auto& u : users) {
    write_user(w, u, newer);
  }
}

// Updates whose users (after the updates, as on Telegram) may be of a newer layer.
tl::Bytes updates_bytes(const tl::Updates& up, bool newer) {
  if (!newer) {
    return serialize(up);
  }
  tl::Writer w;
  w.write_uint32(tl::Updates::kId);
  write_vector(w, up.updates);
  write_users(w, up.users, true);
  write_vector(w, up.chats);
  w.write_int(up.date);
  w.write_int(up.seq);
  return w.take();
}

tl::Bytes resolved_bytes(const tl::contacts::ResolvedPeer& out, bool newer) {
  if (!newer) {
    return serialize(out);
  }
  tl::Writer w;
  w.write_uint32(tl::contacts::ResolvedPeer::kId);
  out.peer.serialize(w);
  write_vector(w, out.chats);
  write_users(w, out.users, true);
  return w.take();
}

int seconds_until(core::TimePoint now, core::TimePoint then) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(then - now).count();
  return static_cast<int>(std::max<std::int64_t>(1, (ms + 999) / 1000));
}

}  // namespace

tl::User World::user_object(const AccountRecord& viewer, const AccountRecord& user) const {
  tl::User u;
  u.self = viewer.info.id == user.info.id;
  u.id = user.info.id;
  u.access_hash = access_hash(viewer.info.id, user.info.id);
  u.first_name = user.info.first_name;
  if (!user.info.username.empty()) {
    u.username = user.info.username;
  }
  u.status = tl::AnyUserStatus{tl::UserStatusEmpty{}};
  return u;
}

tl::Channel World::chat_object(const AccountRecord& viewer, const Chat& chat) const {
  tl::Channel c;
  c.megagroup = chat.megagroup;
  c.broadcast = !chat.megagroup;
  c.left = chat.megagroup && chat.members.count(viewer.info.id) == 0;
  c.slowmode_enabled = chat.slowmode_seconds > 0;
  c.id = chat.id;
  c.access_hash = access_hash(viewer.info.id, chat.id);
  c.title = chat.title;
  if (!chat.username.empty()) {
    c.username = chat.username;
  }
  c.photo = tl::AnyChatPhoto{tl::ChatPhotoEmpty{}};
  c.date = chat.date;
  return c;
}

CallResult World::call(std::int64_t auth_key_id, tl::ByteSpan request) {
  std::lock_guard lock(mutex_);
  auto key = keys_.find(auth_key_id);
  if (key == keys_.end()) {
    return error(401, "AUTH_KEY_UNREGISTERED");
  }
  auto id = tl::Reader(request).peek_uint32();
  if (id == tl::help::GetConfig::kId) {
    return dispatch(nullptr, request);  // answered before login, as Telegram does
  }
  auto account = accounts_.find(key->second.info.account_id);
  if (account == accounts_.end()) {
    return error(401, "AUTH_KEY_UNREGISTERED");
  }
  switch (account->second.info.state) {
    case AccountState::kActive:
      break;
    case AccountState::kBanned:
      return error(401, "USER_DEACTIVATED_BAN");
    case AccountState::kDeactivated:
      return error(401, "USER_DEACTIVATED");
    case AccountState::kRevoked:
      return error(401, "SESSION_REVOKED");
    case AccountState::kDuplicated:
      return error(406, "AUTH_KEY_DUPLICATED");
  }
  // Injected errors (POST /errors) come before the world's own rules.
  if (const ErrorRule* rule = errors_.take(subject_of(account->second, request))) {
    const std::int32_t code = rule->code;
    std::string name = rule->name;
    if (rule->delivered && id == tl::messages::ForwardMessages::kId) {
      (void)forward(account->second, request);  // delivered when the world's rules allow it
    }
    return error(code, std::move(name));
  }
  return dispatch(&account->second, request);
}

RequestSubject World::subject_of(const AccountRecord& account, tl::ByteSpan request) {
  RequestSubject s;
  s.account = account.info.id;
  auto name_of = [&](std::int64_t chat_id) {
    s.chat_id = chat_id;
    if (auto it = chats_.find(chat_id); it != chats_.end()) {
      s.chat_username = it->second.username;
    }
  };
  tl::Reader r(request);
  switch (r.peek_uint32()) {
    case tl::help::GetConfig::kId:
      s.method = "help.getConfig";
      break;
    case tl::users::GetUsers::kId:
      s.method = "users.getUsers";
      break;
    case tl::contacts::ResolveUsername::kId: {
      s.method = "contacts.resolveUsername";
      if (auto req = tl::contacts::ResolveUsername::parse(r); req.ok()) {
        s.chat_username = req->username;
        if (auto* chat = find_chat_by_username(req->username)) {
          s.chat_id = chat->id;
        }
      }
      break;
    }
    case tl::channels::JoinChannel::kId: {
      s.method = "channels.joinChannel";
      auto req = tl::channels::JoinChannel::parse(r);
      if (const auto* ic = req.ok() ? req->channel.get<tl::InputChannel>() : nullptr) {
        name_of(ic->channel_id);
      }
      break;
    }
    case tl::channels::GetMessages::kId: {
      s.method = "channels.getMessages";
      auto req = tl::channels::GetMessages::parse(r);
      if (const auto* ic = req.ok() ? req->channel.get<tl::InputChannel>() : nullptr) {
        name_of(ic->channel_id);
      }
      break;
    }
    case tl::messages::GetMessages::kId:
      s.method = "messages.getMessages";
      break;
    case tl::messages::GetDialogs::kId:
      s.method = "messages.getDialogs";
      break;
    case tl::updates::GetState::kId:
      s.method = "updates.getState";
      break;
    case tl::messages::ForwardMessages::kId: {
      s.method = "messages.forwardMessages";
      auto req = tl::messages::ForwardMessages::parse(r);
      if (const auto* to = req.ok() ? req->to_peer.get<tl::InputPeerChannel>() : nullptr) {
        name_of(to->channel_id);
      }
      break;
    }
    default:
      s.method = "unknown";
  }
  return s;
}

CallResult World::dispatch(AccountRecord* account, tl::ByteSpan request) {
  tl::Reader r(request);
  auto id = r.peek_uint32();
  switch (id) {
    case tl::help::GetConfig::kId: {
      tl::Config c;
      c.date = now_unix();
      c.expires = c.date + 3600;
      c.this_dc = dc_id_;
      tl::DcOption dc;
      dc.id = dc_id_;
      dc.ip_address = advertised_host_;
      dc.port = advertised_port_;
      c.dc_options.push_back(dc);
      c.chat_size_max = 200;
      c.megagroup_size_max = 200000;
      c.forwarded_count_max = 100;
      c.online_update_period_ms = 210000;
      c.offline_blur_timeout_ms = 5000;
      c.offline_idle_timeout_ms = 30000;
      c.online_cloud_timeout_ms = 300000;
      c.notify_cloud_delay_ms = 30000;
      c.notify_default_delay_ms = 1500;
      c.push_chat_period_ms = 60000;
      c.push_chat_limit = 2;
      c.saved_gifs_limit = 200;
      c.edit_time_limit = 172800;
      c.revoke_time_limit = 2147483647;
      c.revoke_pm_time_limit = 2147483647;
      c.rating_e_decay = 2419200;
      c.stickers_recent_limit = 200;
      c.stickers_faved_limit = 5;
      c.channels_read_media_period = 604800;
      c.pinned_dialogs_count_max = 5;
      c.pinned_infolder_count_max = 100;
      c.call_receive_timeout_ms = 20000;
      c.call_ring_timeout_ms = 90000;
      c.call_connect_timeout_ms = 30000;
      c.call_packet_timeout_ms = 10000;
      c.me_url_prefix = "https://t.me/";
      c.caption_length_max = 1024;
      c.message_length_max = 4096;
      c.webfile_dc_id = dc_id_;
      return ok(serialize(c));
    }
    case tl::users::GetUsers::kId: {
      auto req = tl::users::GetUsers::parse(r);
      if (!req.ok()) {
        return error(400, "INPUT_REQUEST_INVALID");
      }
      tl::Writer w;
      std::vector<tl::AnyUser> users;
      for (const auto& u : req->id) {
        if (u.is<tl::InputUserSelf>()) {
          users.push_back(tl::AnyUser{user_object(*account, *account)});
        } else if (const auto* iu = u.get<tl::InputUser>()) {
          auto it = accounts_.find(iu->user_id);
          if (it != accounts_.end() && iu->access_hash == access_hash(account->info.id, iu->user_id)) {
            users.push_back(tl::AnyUser{user_object(*account, it->second)});
          }
        }
      }
      write_users(w, users, faults_.newer_constructors);
      return ok(w.take());
    }
    case tl::contacts::ResolveUsername::kId: {
      auto req = tl::contacts::ResolveUsername::parse(r);
      if (!req.ok()) {
        return error(400, "USERNAME_INVALID");
      }
      tl::contacts::ResolvedPeer out;
      if (auto* chat = find_chat_by_username(req->username)) {
        out.peer = {tl::PeerChannel{chat->id}};
        out.chats.push_back(tl::AnyChat{chat_object(*account, *chat)});
        if (faults_.newer_constructors) {
          out.users.push_back(tl::AnyUser{user_object(*account, *account)});
        }
        return ok(resolved_bytes(out, faults_.newer_constructors));
      }
      for (auto& [uid, a] : accounts_) {
        if (!a.info.username.empty() && a.info.username == req->username) {
          out.peer = {tl::PeerUser{uid}};
          out.users.push_back(tl::AnyUser{user_object(*account, a)});
          return ok(resolved_bytes(out, faults_.newer_constructors));
        }
      }
      return error(400, "USERNAME_NOT_OCCUPIED");
    }
    case tl::channels::JoinChannel::kId: {
      auto req = tl::channels::JoinChannel::parse(r);
      const auto* ic = req.ok() ? req->channel.get<tl::InputChannel>() : nullptr;
      auto it = ic != nullptr ? chats_.find(ic->channel_id) : chats_.end();
      if (it == chats_.end() || ic->access_hash != access_hash(account->info.id, ic->channel_id)) {
        return error(400, "CHANNEL_INVALID");
      }
      auto& chat = it->second;
      if (chat.username.empty() && chat.members.count(account->info.id) == 0) {
        return error(400, "CHANNEL_PRIVATE");
      }
      if (chat.members.count(account->info.id) != 0) {
        return error(400, "USER_ALREADY_PARTICIPANT");
      }
      chat.members[account->info.id].options = MemberOptions{};
      tl::Updates up;
      up.date = now_unix();
      up.chats.push_back(tl::AnyChat{chat_object(*account, chat)});
      if (faults_.newer_constructors) {
        up.users.push_back(tl::AnyUser{user_object(*account, *account)});
      }
      return ok(updates_bytes(up, faults_.newer_constructors));
    }
    case tl::channels::GetMessages::kId: {
      auto req = tl::channels::GetMessages::parse(r);
      const auto* ic = req.ok() ? req->channel.get<tl::InputChannel>() : nullptr;
      auto it = ic != nullptr ? chats_.find(ic->channel_id) : chats_.end();
      if (it == chats_.end() || ic->access_hash != access_hash(account->info.id, ic->channel_id)) {
        return error(400, "CHANNEL_INVALID");
      }
      tl::messages::ChannelMessages out;
      out.pts = it->second.pts;
      for (const auto& m : req->id) {
        const auto* mid = m.get<tl::InputMessageID>();
        if (mid == nullptr) {
          continue;
        }
        auto post = std::find_if(it->second.posts.begin(), it->second.posts.end(),
                                 [&](const Post& p) { return p.id == mid->id; });
        if (post == it->second.posts.end()) {
          out.messages.push_back({tl::MessageEmpty{mid->id, std::nullopt}});
          continue;
        }
        tl::Message msg;
        msg.post = true;
        msg.id = post->id;
        msg.peer_id = {tl::PeerChannel{it->second.id}};
        msg.date = post->date;
        msg.message = post->text;
        out.messages.push_back({msg});
      }
      out.count = static_cast<std::int32_t>(out.messages.size());
      out.chats.push_back(tl::AnyChat{chat_object(*account, it->second)});
      return ok(serialize(out));
    }
    case tl::messages::GetMessages::kId:
      return ok(serialize(tl::messages::Messages{}));
    case tl::messages::GetDialogs::kId: {
      tl::messages::Dialogs out;
      for (const auto& [cid, chat] : chats_) {
        if (chat.members.count(account->info.id) != 0) {
          out.chats.push_back(tl::AnyChat{chat_object(*account, chat)});
        }
      }
      if (!faults_.newer_constructors) {
        return ok(serialize(out));
      }
      out.users.push_back(tl::AnyUser{user_object(*account, *account)});
      tl::Writer w;
      w.write_uint32(tl::messages::Dialogs::kId);
      write_vector(w, out.dialogs);
      write_vector(w, out.messages);
      write_vector(w, out.chats);
      write_users(w, out.users, true);
      return ok(w.take());
    }
    case tl::updates::GetState::kId: {
      tl::updates::State s;
      s.pts = 1;
      s.date = now_unix();
      return ok(serialize(s));
    }
    case tl::messages::ForwardMessages::kId:
      return forward(*account, request);
    default:
      return error(400, "INPUT_METHOD_INVALID");
  }
}

CallResult World::forward(AccountRecord& account, tl::ByteSpan request) {
  tl::Reader r(request);
  auto req = tl::messages::ForwardMessages::parse(r);
  if (!req.ok()) {
    return error(400, "INPUT_REQUEST_INVALID");
  }
  auto viewer = account.info.id;
  auto channel_of = [&](const tl::AnyInputPeer& p) -> Chat* {
    const auto* ipc = p.get<tl::InputPeerChannel>();
    if (ipc == nullptr || ipc->access_hash != access_hash(viewer, ipc->channel_id)) {
      return nullptr;
    }
    auto it = chats_.find(ipc->channel_id);
    return it == chats_.end() ? nullptr : &it->second;
  };
  Chat* source = channel_of(req->from_peer);
  Chat* target = channel_of(req->to_peer);
  if (source == nullptr || target == nullptr) {
    return error(400, "CHANNEL_INVALID");
  }
  if (req->id.empty()) {
    return error(400, "MESSAGE_IDS_EMPTY");
  }
  if (req->random_id.size() != req->id.size()) {
    return error(400, "RANDOM_ID_INVALID");
  }
  if (source->username.empty() && source->members.count(viewer) == 0) {
    return error(400, "CHANNEL_PRIVATE");
  }
  auto member = target->members.find(viewer);
  if (member == target->members.end()) {
    return target->username.empty() ? error(400, "CHANNEL_PRIVATE")
                                    : error(403, "CHAT_WRITE_FORBIDDEN");
  }
  if (member->second.options.banned) {
    return error(400, "USER_BANNED_IN_CHANNEL");
  }
  if (!member->second.options.can_write) {
    return error(403, "CHAT_WRITE_FORBIDDEN");
  }
  if (account.info.peer_flood) {
    return error(400, "PEER_FLOOD");
  }
  // A retry of something delivered (same random_id) is answered as Telegram does.
  for (auto rid : req->random_id) {
    if (account.random_ids.count(rid) != 0) {
      return error(400, "RANDOM_ID_DUPLICATE");
    }
  }
  std::vector<const Post*> posts;
  for (auto mid : req->id) {
    auto it = std::find_if(source->posts.begin(), source->posts.end(),
                           [mid](const Post& p) { return p.id == mid; });
    if (it == source->posts.end()) {
      return error(400, "MESSAGE_ID_INVALID");
    }
    posts.push_back(&*it);
  }
  auto now = clock_.now();
  if (account.flood_until) {
    if (now < *account.flood_until) {
      return error(420, "FLOOD_WAIT_" + std::to_string(seconds_until(now, *account.flood_until)));
    }
    account.flood_until.reset();
    account.recent_forwards.clear();
  }
  if (target->slowmode_seconds > 0 && member->second.last_send != core::TimePoint{}) {
    auto next = member->second.last_send + std::chrono::seconds(target->slowmode_seconds);
    if (now < next) {
      return error(420, "SLOWMODE_WAIT_" + std::to_string(seconds_until(now, next)));
    }
  }
  std::erase_if(account.recent_forwards,
                [&](core::TimePoint t) { return t + std::chrono::minutes(1) <= now; });
  if (flood_.per_minute > 0 &&
      static_cast<int>(account.recent_forwards.size()) >= flood_.per_minute) {
    account.flood_until = now + std::chrono::seconds(flood_.wait_seconds);
    return error(420, "FLOOD_WAIT_" + std::to_string(std::max(flood_.wait_seconds, 0)));
  }
  ++forward_count_;
  if (faults_.error_5xx_every_n > 0 && forward_count_ % faults_.error_5xx_every_n == 0) {
    return error(500, "INTERNAL");
  }

  tl::Updates up;
  up.date = now_unix();
  for (std::size_t i = 0; i < posts.size(); ++i) {
    tl::Message msg;
    msg.out = true;
    msg.id = target->next_message_id++;
    msg.from_id = tl::AnyPeer{tl::PeerUser{viewer}};
    msg.peer_id = {tl::PeerChannel{target->id}};
    tl::MessageFwdHeader fwd;
    fwd.from_id = tl::AnyPeer{tl::PeerChannel{source->id}};
    fwd.date = posts[i]->date;
    fwd.channel_post = posts[i]->id;
    msg.fwd_from = fwd;
    msg.date = up.date;
    msg.message = posts[i]->text;
    ++target->pts;
    up.updates.push_back({tl::UpdateMessageID{msg.id, req->random_id[i]}});
    up.updates.push_back({tl::UpdateNewChannelMessage{{msg}, target->pts, 1}});
    account.random_ids.insert(req->random_id[i]);
    account.recent_forwards.push_back(now);
    deliveries_.push_back(Delivery{target->id, viewer, source->id, posts[i]->id,
                                   req->random_id[i], msg.id, now});
  }
  member->second.last_send = now;
  up.users.push_back(tl::AnyUser{user_object(account, account)});
  up.chats.push_back(tl::AnyChat{chat_object(account, *target)});
  up.chats.push_back(tl::AnyChat{chat_object(account, *source)});
  CallResult result = ok(updates_bytes(up, faults_.newer_constructors));
  result.drop_connection =
      faults_.drop_every_n > 0 && forward_count_ % faults_.drop_every_n == 0;
  return result;
}

}  // namespace hqadz::tgsim
