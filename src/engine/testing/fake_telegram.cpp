#include "engine/testing/fake_telegram.hpp"

#include "telegram/client/rpc_errors.hpp"
#include <optional>

namespace hqadz::engine::testing {

using telegram::Outcome;
using telegram::Peer;
using telegram::RpcError;

class FakeAccount final : public telegram::Account {
 public:
  FakeAccount(FakeTelegram& world, int64_t session) : world_(world), session_(session) {}

  void get_me(Done<telegram::Me> done) override { done(telegram::Me{session_, "fake", ""}); }

  void resolve_username(const std::string& username, Done<Peer> done) override {
    std::lock_guard lock(world_.mutex_);
    if (auto c = world_.channels_.find(username); c != world_.channels_.end()) {
      done(Peer{Peer::Kind::kChannel, c->second.first, 7, username, username, false});
      return;
    }
    if (auto g = world_.groups_.find(username); g != world_.groups_.end()) {
      done(Peer{Peer::Kind::kChannel, g->second.id, 9, username, username, true});
      return;
    }
    done(telegram::rpc_error_from(400, "USERNAME_NOT_OCCUPIED"));
  }

  void resolve_channel_id(int64_t channel_id, Done<Peer> done) override {
    std::lock_guard lock(world_.mutex_);
    for (auto& [name, g] : world_.groups_) {
      if (g.id == channel_id && g.members.count(session_)) {
        done(Peer{Peer::Kind::kChannel, g.id, 9, name, name, true});
        return;
      }
    }
    done(telegram::rpc_error_from(400, "CHANNEL_PRIVATE"));
  }

  void join_channel(const Peer& channel, Done<telegram::Nothing> done) override {
    std::lock_guard lock(world_.mutex_);
    ++world_.joins_;
    if (auto s = world_.scripted_joins_.find(session_);
        s != world_.scripted_joins_.end() && !s->second.empty()) {
      RpcError e = s->second.front();
      s->second.pop_front();
      done(e);
      return;
    }
    for (auto& [name, g] : world_.groups_) {
      if (g.id == channel.id) {
        g.members.insert(session_);
      }
    }
    done(telegram::Nothing{});
  }

  void message_exists(const Peer& channel, int32_t msg_id, Done<bool> done) override {
    std::lock_guard lock(world_.mutex_);
    for (auto& [name, c] : world_.channels_) {
      if (c.first == channel.id) {
        done(c.second.count(msg_id) != 0);
        return;
      }
    }
    done(false);
  }

  void forward_message(const Peer&, int32_t, const Peer& to, int64_t random_id,
                       Done<int32_t> done) override {
    done(world_.forward(session_, to, random_id));
  }

  void close() override {}

 private:
  FakeTelegram& world_;
  int64_t session_;
};

void FakeTelegram::add_channel(const std::string& username, std::set<int32_t> posts) {
  std::lock_guard lock(mutex_);
  channels_[username] = {next_id_++, std::move(posts)};
}

void FakeTelegram::add_group(const std::string& username, int slowmode_seconds) {
  std::lock_guard lock(mutex_);
  auto& g = groups_[username];
  g.id = next_id_++;
  g.slowmode = slowmode_seconds;
}

void FakeTelegram::forbid_writing(const std::string& group, int64_t session_id) {
  std::lock_guard lock(mutex_);
  groups_[group].forbidden.insert(session_id);
}

void FakeTelegram::script_error(int64_t session_id, RpcError error, bool delivered_first) {
  std::lock_guard lock(mutex_);
  scripted_[session_id].push_back({std::move(error), delivered_first});
}

void FakeTelegram::script_join_error(int64_t session_id, RpcError error) {
  std::lock_guard lock(mutex_);
  scripted_joins_[session_id].push_back(std::move(error));
}

void FakeTelegram::deliver_silently(int64_t session_id, const std::string& group,
                                    int64_t random_id) {
  std::lock_guard lock(mutex_);
  seen_random_ids_.insert({session_id, random_id});
  deliveries_.push_back({session_id, group, random_id, std::chrono::steady_clock::now()});
  cv_.notify_all();
}

std::shared_ptr<telegram::Account> FakeTelegram::account(int64_t session_id) {
  return std::make_shared<FakeAccount>(*this, session_id);
}

Outcome<int32_t> FakeTelegram::forward(int64_t session, const Peer& to, int64_t random_id) {
  std::lock_guard lock(mutex_);
  ++forward_calls_;
  std::optional<RpcError> after;  // answered instead of the delivery's result
  if (auto s = scripted_.find(session); s != scripted_.end() && !s->second.empty()) {
    Scripted next = s->second.front();
    s->second.pop_front();
    if (!next.delivered_first) {
      return next.error;
    }
    after = next.error;
  }
  if (seen_random_ids_.count({session, random_id})) {
    if (after) {
      return *after;
    }
    return telegram::rpc_error_from(400, "RANDOM_ID_DUPLICATE");
  }
  for (auto& [name, g] : groups_) {
    if (g.id != to.id) {
      continue;
    }
    if (g.forbidden.count(session)) {
      return telegram::rpc_error_from(403, "CHAT_WRITE_FORBIDDEN");
    }
    const auto now = std::chrono::steady_clock::now();
    if (g.slowmode > 0) {
      auto last = g.last_post.find(session);
      if (last != g.last_post.end() && now - last->second < std::chrono::seconds(g.slowmode)) {
        const int left = static_cast<int>(std::chrono::ceil<std::chrono::seconds>(
                                              std::chrono::seconds(g.slowmode) - (now - last->second))
                                              .count());
        return telegram::rpc_error_from(420, "SLOWMODE_WAIT_" + std::to_string(left));
      }
      g.last_post[session] = now;
    }
    seen_random_ids_.insert({session, random_id});
    deliveries_.push_back({session, name, random_id, now});
    cv_.notify_all();
    if (after) {
      return *after;
    }
    return static_cast<int32_t>(deliveries_.size());
  }
  return telegram::rpc_error_from(400, "CHANNEL_INVALID");
}

std::vector<Delivery> FakeTelegram::deliveries() const {
  std::lock_guard lock(mutex_);
  return deliveries_;
}

bool FakeTelegram::wait_for(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return deliveries_.size() >= n; });
}

size_t FakeTelegram::forward_calls() const {
  std::lock_guard lock(mutex_);
  return forward_calls_;
}

size_t FakeTelegram::joins() const {
  std::lock_guard lock(mutex_);
  return joins_;
}

}  // namespace hqadz::engine::testing
