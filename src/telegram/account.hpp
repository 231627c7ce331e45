#pragma once
/// What the engine (and the CLI) need from one Telegram account: the contract between
/// src/engine and the MTProto client. One Account = one connection driven on one strand; calls
/// may be made from any thread; every callback runs exactly once, on the account's strand,
/// also when the account is closed (then with a kTransient "closed" error).
///
/// Errors are typed (DESIGN section 5): the engine branches on ErrorKind (and the named
/// predicates of telegram/client/rpc_errors.hpp), never on strings.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "telegram/session/session_data.hpp"

namespace hqadz::telegram {

/// What a reply means, whatever its name: the one vocabulary the engine and the CLI branch on
/// (issue 15; the table is telegram/client/rpc_errors.cpp, `classify`).
enum class ErrorKind {
  kDelivered,              // USER_ALREADY_PARTICIPANT, RANDOM_ID_DUPLICATE: it worked before
  kTransient,              // 5xx, -500/-503, Timeout, RPC_CALL_FAIL, closed: retry (same random_id)
  kAccountWait,            // FLOOD_WAIT_X, FLOOD_PREMIUM_WAIT_X: the account waits `seconds`
  kAccountLimited,         // PEER_FLOOD, USER_BANNED_IN_CHANNEL, unknown 420 / any unknown 406
  kAccountFrozen,          // FROZEN_* (any code)
  kAccountBanned,          // USER_DEACTIVATED, USER_DEACTIVATED_BAN
  kAccountDead,            // SESSION_EXPIRED/REVOKED, AUTH_KEY_*, unknown 401, confirmed -404
  kAccountNoJoins,         // CHANNELS_TOO_MUCH: no more joins; sends to joined groups go on
  kGroupWait,              // SLOWMODE_WAIT_X: this group waits `seconds` for this account
  kGroupForbidden,         // CHAT_WRITE_FORBIDDEN, CHAT_SEND_*_FORBIDDEN, CHANNEL_PRIVATE, ...
  kGroupInvalid,           // PEER_ID_INVALID, CHANNEL_INVALID, USERNAME_NOT_OCCUPIED (target)
  kGroupAwaitingApproval,  // INVITE_REQUEST_SENT
  kInviteInvalid,          // INVITE_HASH_EXPIRED
  kSourceProtected,        // CHAT_FORWARDS_RESTRICTED
  kSourceMissing,          // MESSAGE_ID_INVALID; USERNAME_*/CHANNEL_* about the source
  kOther,                  // the table does not know it: name and code tell
};

/// What the failed request was about: some names mean one thing for the group a post is sent
/// to and another for the channel it comes from (USERNAME_NOT_OCCUPIED, CHANNEL_PRIVATE, ...).
enum class Subject { kTarget, kSource };

struct RpcError {
  ErrorKind kind = ErrorKind::kOther;  // classify(code, name, Subject::kTarget)
  int code = 0;         // Telegram's error code (420, 400, 403, 401, 500, -503...) or 0
  std::string name;     // Telegram's error message, e.g. "FLOOD_WAIT_30"
  int seconds = 0;      // for the waits
};

/// A value or an RpcError.
template <typename T>
class Outcome {
 public:
  Outcome(T v) : v_(std::move(v)) {}        // NOLINT(google-explicit-constructor)
  Outcome(RpcError e) : v_(std::move(e)) {} // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  const T& value() const { return std::get<0>(v_); }
  const RpcError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, RpcError> v_;
};

struct Me {
  int64_t id = 0;
  std::string first_name;
  std::string username;
};

/// A resolved peer, valid for the account that resolved it (access hashes are per account).
struct Peer {
  enum class Kind { kUser, kChat, kChannel };
  Kind kind = Kind::kChannel;
  int64_t id = 0;
  int64_t access_hash = 0;
  std::string username;
  std::string title;
  bool megagroup = false;  // a supergroup (kChannel with megagroup) vs a broadcast channel
};

struct Nothing {};

class Account {
 public:
  virtual ~Account() = default;
  template <typename T>
  using Done = std::function<void(Outcome<T>)>;

  /// users.getUsers(self). A `user` newer than our layer still succeeds, with empty fields.
  virtual void get_me(Done<Me> done) = 0;
  virtual void resolve_username(const std::string& username, Done<Peer> done) = 0;
  /// A channel/supergroup the account is already in, found by its bare id (e.g. from a
  /// t.me/c/<id>/... link) among the account's dialogs; CHANNEL_PRIVATE (400) when not found.
  virtual void resolve_channel_id(int64_t channel_id, Done<Peer> done) = 0;
  virtual void join_channel(const Peer& channel, Done<Nothing> done) = 0;
  /// Whether message `msg_id` exists in `channel` (validate-post).
  virtual void message_exists(const Peer& channel, int32_t msg_id, Done<bool> done) = 0;
  /// messages.forwardMessages of one message; keep `random_id` across retries (Telegram
  /// dedupes by it). The new message's id on success; 0 when the result, delivered, does not
  /// say (a newer constructor hid it). Any result that is not an rpc_error is a success.
  virtual void forward_message(const Peer& from, int32_t msg_id, const Peer& to,
                               int64_t random_id, Done<int32_t> done) = 0;
  /// Closes the connection; pending callbacks get kTransient "closed".
  virtual void close() = 0;
};

/// Where to connect and with which app credentials (uploaded with the account).
struct AccountOptions {
  SessionData session;
  int32_t api_id = 0;
  std::string api_hash;
};

}  // namespace hqadz::telegram
