#pragma once
/// tgsim's in-memory Telegram: accounts and their auth keys, broadcast channels with posts,
/// groups (supergroups) with members, slow mode and write rights, per-account access hashes,
/// a flood policy, faults, and the record of every delivered forward.
///
/// Thread-safe: one mutex guards everything; calls are short and do no I/O. The MTProto
/// server hands it decrypted requests (call()); the control API and embedding code build the
/// world through the other methods.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/tl/bytes.hpp"
#include "telegram/tl/generated/tl_types.hpp"
#include "tools/tgsim/error_rules.hpp"

namespace hqadz::tgsim {

namespace tl = telegram::tl;
namespace mtproto = telegram::mtproto;

enum class AccountState { kActive, kBanned, kDeactivated, kRevoked, kDuplicated };

struct AccountInfo {
  std::int64_t id = 0;
  std::string first_name;
  std::string username;
  std::string auth_key;  // 256 raw bytes
  AccountState state = AccountState::kActive;
  bool peer_flood = false;
};

struct Delivery {
  std::int64_t group = 0;
  std::int64_t account = 0;
  std::int64_t channel = 0;
  std::int32_t post_id = 0;
  std::int64_t random_id = 0;
  std::int32_t message_id = 0;
  core::TimePoint at;
};

struct FloodPolicy {
  int per_minute = 0;    // forwards per account per minute; 0: unlimited
  int wait_seconds = 0;  // the X of FLOOD_WAIT_X
};

struct Faults {
  int drop_every_n = 0;        // every n-th forward: delivered, then the connection dropped
  int delay_ms = 0;            // every reply delayed
  int error_5xx_every_n = 0;   // every n-th forward answered 500 INTERNAL (not delivered)
  int drop_connection_every_n = 0;  // every n-th new connection closed at once, unanswered
  std::int64_t stall_account = 0;   // replies to this account's connections ...
  int stall_ms = 0;                 // ... held back this long (the others are not)
  // What real Telegram does that a test may ask for (issue 15):
  int clock_skew_seconds = 0;       // server msg_ids and server_time this far from the host's
  bool newer_constructors = false;  // a `user` of a newer layer in results (after the updates)
  int transport_404_next = 0;       // the next n encrypted messages answered -404 (key known)
  int unauthorized_next = 0;        // the next n API calls answered 401 AUTH_KEY_UNREGISTERED
  int lose_next = 0;  // the next n encrypted messages lost as in a restart: a new session follows
};

struct MemberOptions {
  bool can_write = true;
  bool banned = false;  // USER_BANNED_IN_CHANNEL
};

/// What the server does with one API request.
struct CallResult {
  tl::Bytes result;             // a boxed object or rpc_error
  bool drop_connection = false; // close without answering (fault injection)
};

class World {
 public:
  /// `hash_secret`: what access hashes derive from; fixed, a world rebuilt in the same order
  /// gives every account the same hashes as before (their cached peers stay valid).
  World(const core::Clock& clock, mtproto::Random& random, int dc_id = 2,
        std::optional<std::uint64_t> hash_secret = std::nullopt);

  // Building the world (control API). Errors: kNotFound for unknown ids, kConflict for a
  // taken username, kInvalidArgument for bad values.
  /// `auth_key` (256 bytes) logs the account in with a key the caller keeps (a demo world
  /// rebuilt on every start keeps its accounts' keys); empty: a fresh random key. Errors
  /// besides the above: bad_auth_key (invalid), auth_key_taken (conflict).
  core::Result<AccountInfo> create_account(std::string first_name, std::string username,
                                           std::string auth_key = {});
  core::Result<std::int64_t> create_channel(std::string username, std::string title);
  core::Result<std::int32_t> add_post(std::int64_t channel_id, std::string text);
  core::Result<std::int64_t> create_group(std::string username, std::string title,
                                          int slowmode_seconds);
  core::Status add_member(std::int64_t group_id, std::int64_t account_id, MemberOptions options);
  core::Status set_account_state(std::int64_t account_id, AccountState state);
  core::Status set_peer_flood(std::int64_t account_id, bool on);
  void set_flood(FloodPolicy policy);
  void set_faults(Faults faults);
  Faults faults() const;
  /// Error injection (error_rules.hpp): checked before the world's own rules on every request
  /// of a logged-in account. add_error_rule: nullopt when the rule has no name.
  std::optional<std::int64_t> add_error_rule(ErrorRule rule);
  bool remove_error_rule(std::int64_t id);
  void clear_error_rules();
  std::vector<ErrorRule> error_rules() const;
  /// Takes one from a counting fault (transport_404_next, unauthorized_next): true if it was set.
  bool take_fault(int Faults::*counter);
  /// Counts a new connection; true when the drop_connection_every_n fault takes it.
  bool take_connection_drop();
  std::optional<AccountInfo> account(std::int64_t id) const;
  std::vector<Delivery> deliveries(std::optional<std::int64_t> group = std::nullopt) const;
  /// The access hash `viewer` sees for `peer` (per account, as on Telegram).
  std::int64_t access_hash(std::int64_t viewer, std::int64_t peer) const;

  // Auth keys (the MTProto server).
  struct KeyInfo {
    std::int64_t account_id = 0;  // 0: a fresh key no account is logged in with
    std::int64_t salt = 0;
    std::int32_t layer = 0;       // 0 until invokeWithLayer
  };
  /// Registers a key made by a key exchange (no account).
  void add_key(const std::string& auth_key, std::int64_t salt);
  std::optional<std::string> find_key(std::int64_t auth_key_id) const;
  std::optional<KeyInfo> key_info(std::int64_t auth_key_id) const;
  void set_layer(std::int64_t auth_key_id, std::int32_t layer);
  std::size_t key_count() const;
  /// How many forwards were delivered so far (GET /stats; cheaper than GET /deliveries).
  std::size_t delivery_count() const;

  /// Runs one API request (wrappers already removed) for the account behind the key.
  CallResult call(std::int64_t auth_key_id, tl::ByteSpan request);
  int dc_id() const { return dc_id_; }
  /// The address help.getConfig advertises for this DC.
  void set_advertised_address(std::string host, std::uint16_t port);

 private:
  struct Post {
    std::int32_t id = 0;
    std::string text;
    std::int32_t date = 0;
  };
  struct Member {
    MemberOptions options;
    core::TimePoint last_send{};
  };
  struct Chat {
    std::int64_t id = 0;
    std::string username;  // empty: private
    std::string title;
    bool megagroup = false;
    int slowmode_seconds = 0;
    std::int32_t date = 0;
    std::int32_t next_message_id = 1;
    std::int32_t pts = 0;
    std::vector<Post> posts;
    std::map<std::int64_t, Member> members;
  };
  struct AccountRecord {
    AccountInfo info;
    std::int64_t key_id = 0;
    std::vector<core::TimePoint> recent_forwards;
    std::optional<core::TimePoint> flood_until;
    std::set<std::int64_t> random_ids;
  };
  struct Key {
    std::string bytes;
    KeyInfo info;
  };

  // world_rpc.cpp, called with mutex_ held.
  CallResult dispatch(AccountRecord* account, tl::ByteSpan request);
  CallResult forward(AccountRecord& account, tl::ByteSpan request);
  /// What an injected error rule may match in this request (the method, the target chat).
  RequestSubject subject_of(const AccountRecord& account, tl::ByteSpan request);
  telegram::tl::User user_object(const AccountRecord& viewer, const AccountRecord& user) const;
  telegram::tl::Channel chat_object(const AccountRecord& viewer, const Chat& chat) const;
  Chat* find_chat_by_username(const std::string& username);
  bool username_taken(const std::string& username) const;
  std::int32_t now_unix() const;

  const core::Clock& clock_;
  int dc_id_;
  std::uint64_t secret_ = 0;
  mutable std::mutex mutex_;
  std::string advertised_host_ = "127.0.0.1";          // guarded by mutex_
  std::uint16_t advertised_port_ = 443;                // guarded by mutex_
  std::int64_t next_user_id_ = 5'000'001;              // guarded by mutex_
  std::int64_t next_chat_id_ = 1'100'000'001;          // guarded by mutex_
  std::map<std::int64_t, AccountRecord> accounts_;     // guarded by mutex_
  std::map<std::int64_t, Chat> chats_;                 // guarded by mutex_
  std::map<std::int64_t, Key> keys_;                   // guarded by mutex_
  std::vector<Delivery> deliveries_;                   // guarded by mutex_
  FloodPolicy flood_;                                  // guarded by mutex_
  Faults faults_;                                      // guarded by mutex_
  ErrorRules errors_;                                  // guarded by mutex_
  std::uint64_t connections_seen_ = 0;                 // guarded by mutex_; for faults_
  std::uint64_t forward_count_ = 0;                    // guarded by mutex_
  mtproto::Random& random_;
};

}  // namespace hqadz::tgsim
