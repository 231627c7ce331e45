// tgsim's world: building it and reading it back (the RPC side is in world_rpc.cpp).
#include "tools/tgsim/world.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "telegram/session/session_data.hpp"

namespace hqadz::tgsim {
namespace {

bool valid_username(const std::string& s) {
  if (s.size() < 4 || s.size() > 32) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

World::World(const core::Clock& clock, mtproto::Random& random, int dc_id,
             std::optional<std::uint64_t> hash_secret)
    : clock_(clock), dc_id_(dc_id), random_(random) {
  if (hash_secret) {
    secret_ = *hash_secret;
    return;
  }
  std::array<std::uint8_t, 8> b{};
  random_.fill(b);
  std::memcpy(&secret_, b.data(), b.size());
}

std::int32_t World::now_unix() const {
  return static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count());
}

bool World::username_taken(const std::string& username) const {
  auto u = lower(username);
  for (const auto& [id, a] : accounts_) {
    if (lower(a.info.username) == u) {
      return true;
    }
  }
  for (const auto& [id, c] : chats_) {
    if (lower(c.username) == u) {
      return true;
    }
  }
  return false;
}

World::Chat* World::find_chat_by_username(const std::string& username) {
  auto u = lower(username);
  for (auto& [id, c] : chats_) {
    if (!c.username.empty() && lower(c.username) == u) {
      return &c;
    }
  }
  return nullptr;
}

core::Result<AccountInfo> World::create_account(std::string first_name, std::string username,
                                                std::string auth_key) {
  std::string key = std::move(auth_key);
  if (key.empty()) {
    key.assign(256, '\0');
    random_.fill(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(key.data()), key.size()));
  } else if (key.size() != 256) {
    return core::Error::invalid("bad_auth_key", "an auth key is 256 bytes");
  }
  std::array<std::uint8_t, 8> salt_bytes{};
  random_.fill(salt_bytes);
  std::int64_t salt = 0;
  std::memcpy(&salt, salt_bytes.data(), salt_bytes.size());
  std::lock_guard lock(mutex_);
  auto id = next_user_id_++;
  if (first_name.empty()) {
    first_name = "Account " + std::to_string(id);
  }
  if (username.empty()) {
    username = "acct" + std::to_string(id);
  }
  if (!valid_username(username)) {
    return core::Error::invalid("bad_username", "a username is 4-32 letters, digits or _");
  }
  if (username_taken(username)) {
    return core::Error::conflict("username_taken", "that username is taken");
  }
  auto key_id = telegram::auth_key_id(key);
  if (keys_.count(key_id) != 0) {
    return core::Error::conflict("auth_key_taken", "another account or session has that key");
  }
  AccountRecord rec;
  rec.info = AccountInfo{id, std::move(first_name), std::move(username), key,
                         AccountState::kActive, false};
  rec.key_id = key_id;
  keys_[key_id] = Key{key, KeyInfo{id, salt, 0}};
  auto info = rec.info;
  accounts_.emplace(id, std::move(rec));
  return info;
}

core::Result<std::int64_t> World::create_channel(std::string username, std::string title) {
  std::lock_guard lock(mutex_);
  if (!valid_username(username)) {
    return core::Error::invalid("bad_username", "a channel needs a 4-32 character username");
  }
  if (username_taken(username)) {
    return core::Error::conflict("username_taken", "that username is taken");
  }
  Chat c;
  c.id = next_chat_id_++;
  c.username = std::move(username);
  c.title = title.empty() ? c.username : std::move(title);
  c.date = now_unix();
  auto id = c.id;
  chats_.emplace(id, std::move(c));
  return id;
}

core::Result<std::int32_t> World::add_post(std::int64_t channel_id, std::string text) {
  std::lock_guard lock(mutex_);
  auto it = chats_.find(channel_id);
  if (it == chats_.end() || it->second.megagroup) {
    return core::Error::not_found("no such channel");
  }
  auto& c = it->second;
  Post p{c.next_message_id++, std::move(text), now_unix()};
  c.posts.push_back(p);
  ++c.pts;
  return p.id;
}

core::Result<std::int64_t> World::create_group(std::string username, std::string title,
                                               int slowmode_seconds) {
  std::lock_guard lock(mutex_);
  if (!username.empty() && !valid_username(username)) {
    return core::Error::invalid("bad_username", "a username is 4-32 letters, digits or _");
  }
  if (!username.empty() && username_taken(username)) {
    return core::Error::conflict("username_taken", "that username is taken");
  }
  if (slowmode_seconds < 0) {
    return core::Error::invalid("bad_slowmode", "slowmode_seconds must be >= 0");
  }
  Chat c;
  c.id = next_chat_id_++;
  c.username = std::move(username);
  c.title = title.empty() ? (c.username.empty() ? "Group " + std::to_string(c.id) : c.username)
                          : std::move(title);
  c.megagroup = true;
  c.slowmode_seconds = slowmode_seconds;
  c.date = now_unix();
  auto id = c.id;
  chats_.emplace(id, std::move(c));
  return id;
}

core::Status World::add_member(std::int64_t group_id, std::int64_t account_id,
                               MemberOptions options) {
  std::lock_guard lock(mutex_);
  auto it = chats_.find(group_id);
  if (it == chats_.end() || accounts_.count(account_id) == 0) {
    return core::Error::not_found("no such group or account");
  }
  it->second.members[account_id].options = options;
  return core::ok_status();
}

core::Status World::set_account_state(std::int64_t account_id, AccountState state) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) {
    return core::Error::not_found("no such account");
  }
  it->second.info.state = state;
  return core::ok_status();
}

core::Status World::set_peer_flood(std::int64_t account_id, bool on) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) {
    return core::Error::not_found("no such account");
  }
  it->second.info.peer_flood = on;
  return core::ok_status();
}

void World::set_flood(FloodPolicy policy) {
  std::lock_guard lock(mutex_);
  flood_ = policy;
}

void World::set_faults(Faults faults) {
  std::lock_guard lock(mutex_);
  faults_ = faults;
  forward_count_ = 0;
  connections_seen_ = 0;
}

bool World::take_connection_drop() {
  std::lock_guard lock(mutex_);
  ++connections_seen_;
  const auto n = faults_.drop_connection_every_n;
  return n > 0 && connections_seen_ % static_cast<std::uint64_t>(n) == 0;
}

std::optional<std::int64_t> World::add_error_rule(ErrorRule rule) {
  std::lock_guard lock(mutex_);
  return errors_.add(std::move(rule));
}

bool World::remove_error_rule(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return errors_.remove(id);
}

void World::clear_error_rules() {
  std::lock_guard lock(mutex_);
  errors_.clear();
}

std::vector<ErrorRule> World::error_rules() const {
  std::lock_guard lock(mutex_);
  return errors_.rules();
}

Faults World::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

bool World::take_fault(int Faults::*counter) {
  std::lock_guard lock(mutex_);
  if (faults_.*counter <= 0) {
    return false;
  }
  --(faults_.*counter);
  return true;
}

std::optional<AccountInfo> World::account(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) {
    return std::nullopt;
  }
  return it->second.info;
}

std::vector<Delivery> World::deliveries(std::optional<std::int64_t> group) const {
  std::lock_guard lock(mutex_);
  std::vector<Delivery> out;
  for (const auto& d : deliveries_) {
    if (!group || d.group == *group) {
      out.push_back(d);
    }
  }
  return out;
}

std::int64_t World::access_hash(std::int64_t viewer, std::int64_t peer) const {
  auto h = mix(secret_ ^ mix(static_cast<std::uint64_t>(viewer) * 31 +
                             static_cast<std::uint64_t>(peer)));
  return static_cast<std::int64_t>(h | 1);  // never 0, which means "no hash"
}

void World::add_key(const std::string& auth_key, std::int64_t salt) {
  std::lock_guard lock(mutex_);
  keys_[telegram::auth_key_id(auth_key)] = Key{auth_key, KeyInfo{0, salt, 0}};
}

std::optional<std::string> World::find_key(std::int64_t auth_key_id) const {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(auth_key_id);
  if (it == keys_.end()) {
    return std::nullopt;
  }
  return it->second.bytes;
}

std::optional<World::KeyInfo> World::key_info(std::int64_t auth_key_id) const {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(auth_key_id);
  if (it == keys_.end()) {
    return std::nullopt;
  }
  return it->second.info;
}

void World::set_layer(std::int64_t auth_key_id, std::int32_t layer) {
  std::lock_guard lock(mutex_);
  if (auto it = keys_.find(auth_key_id); it != keys_.end()) {
    it->second.info.layer = layer;
  }
}

std::size_t World::key_count() const {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

std::size_t World::delivery_count() const {
  std::lock_guard lock(mutex_);
  return deliveries_.size();
}

void World::set_advertised_address(std::string host, std::uint16_t port) {
  std::lock_guard lock(mutex_);
  advertised_host_ = std::move(host);
  advertised_port_ = port;
}

}  // namespace hqadz::tgsim
