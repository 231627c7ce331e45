#pragma once
// Internal: the client's state, shared by client.cpp (connection), client_session.cpp
// (MTProto session: encryption, service messages, requests) and client_calls.cpp (methods).

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "telegram/client/client.hpp"
#include "telegram/client/key_exchange.hpp"
#include "telegram/client/service_messages.hpp"
#include "telegram/mtproto/auth_key.hpp"
#include "telegram/mtproto/inbound_checks.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/transport/codec.hpp"

namespace hqadz::telegram {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;
// I/O objects typed with the strand, not asio's type-erased any_io_executor: that one cannot
// hold a strand inline and keeps a heap copy of it per socket and per timer (~50 bytes each
// plus 16 more inline, per account).
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = asio::basic_stream_socket<tcp, Strand>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Strand>;

class ClientImpl final : public Client, public std::enable_shared_from_this<ClientImpl> {
 public:
  ClientImpl(asio::io_context& io, AccountOptions options, std::shared_ptr<const DcTable> dcs,
             std::shared_ptr<const ClientSettings> settings);
  void start();

  void get_me(Done<Me> done) override;
  void resolve_username(const std::string& username, Done<Peer> done) override;
  void resolve_channel_id(int64_t channel_id, Done<Peer> done) override;
  void join_channel(const Peer& channel, Done<Nothing> done) override;
  void message_exists(const Peer& channel, int32_t msg_id, Done<bool> done) override;
  void forward_message(const Peer& from, int32_t msg_id, const Peer& to, int64_t random_id,
                       Done<int32_t> done) override;
  void close() override;
  void invoke(tl::Bytes request, RawDone done) override;
  int connection_count() const override { return connections_.load(); }

 private:
  enum class State { kIdle, kConnecting, kKeyExchange, kReady, kClosed };
  struct Request {
    tl::Bytes body;
    RawDone done;
    SteadyTime deadline;
    int migrations = 0;
  };

  // client.cpp: the TCP connection.
  void connect();
  void on_connected(const boost::system::error_code& ec);
  void read_header();
  void read_body(std::size_t size);
  void on_payload(tl::Bytes payload);
  void write_frame(tl::ByteSpan payload);
  void do_write();
  void drop(const std::string& why);
  void schedule_reconnect();
  void fail_all(const RpcError& error);
  void forget_answered();
  void arm_deadline();
  void on_deadline();
  void arm_ping();
  void on_ping_timer();

  // client_session.cpp: MTProto session.
  void begin_session();
  void on_plain(tl::Bytes payload);
  void on_encrypted(tl::ByteSpan payload);
  void handle(std::int64_t msg_id, std::int32_t seq_no, tl::ByteSpan body, int depth);
  void on_rpc_result(std::int64_t req_msg_id, tl::ByteSpan result);
  void complete(std::uint64_t id, Outcome<tl::Bytes> outcome);
  void resend(std::int64_t msg_id);
  void schedule_flush();
  void flush();
  InnerMessage make_message(tl::Bytes body, bool content);
  tl::Bytes wrap_first(const tl::Bytes& body) const;
  void migrate(int dc_id);

  // client_confirm.cpp: what the session learns and double-checks (issue 15 point 4).
  void learn_server_time(std::int64_t server_msg_id);
  void resend_older_than(std::int64_t first_msg_id);
  /// A -404 or an ACCOUNT_DEAD rpc_error: users.getUsers(self) first on a fresh connection.
  void start_confirmation();
  void on_confirmation(Outcome<tl::Bytes> probe);
  /// The key is refused on a fresh connection too: every call fails with `error` from now on.
  void key_is_dead(const RpcError& error);

  Strand strand_;
  Socket socket_;
  Timer connect_timer_;
  Timer deadline_timer_;
  Timer ping_timer_;
  std::int32_t api_id_ = 0;  // of AccountOptions: nothing else of it is needed after start
  std::shared_ptr<const DcTable> dcs_;
  std::shared_ptr<const ClientSettings> settings_;  // usually one for every client of a process
  core::SystemClock system_clock_;
  const core::Clock& clock_;
  mtproto::SecureRandom random_;

  State state_ = State::kIdle;
  std::atomic<int> connections_{0};
  std::uint32_t generation_ = 0;  // of the current socket
  int attempts_ = 0;  // failed connects since the last good message
  int dc_id_ = 0;
  std::string host_;
  std::uint16_t port_ = 0;
  std::unique_ptr<transport::Codec> codec_;
  std::array<std::uint8_t, 4> header_{};
  // Frames to write, front first. A vector, released when empty: an idle connection holds no
  // buffer here (a std::deque keeps a 512-byte block and its map even when empty).
  std::vector<tl::Bytes> out_;
  bool writing_ = false;

  std::optional<mtproto::AuthKey> key_;
  std::unique_ptr<KeyExchange> exchange_;
  int exchange_step_ = 0;
  bool key_dead_ = false;  // confirmed on a fresh connection: no retry helps
  RpcError dead_error_;    // what every call gets once key_dead_
  bool confirming_ = false;             // a probe is out on a fresh connection
  std::uint64_t probe_id_ = 0;          // its local request id (0: none)
  std::map<std::uint64_t, RpcError> held_;  // requests answered ACCOUNT_DEAD, awaiting the probe
  bool time_learned_ = false;           // msg_ids_' offset comes from the server
  std::int64_t salt_ = 0;
  std::int64_t session_id_ = 0;
  std::int32_t content_sent_ = 0;
  bool inited_ = false;  // the server answered something on this connection
  MsgIdSource msg_ids_;
  mtproto::InboundChecker checker_;
  int bad_inbound_ = 0;

  std::uint64_t next_request_ = 1;
  std::map<std::uint64_t, Request> requests_;       // by local id; order = submission order
  std::vector<std::uint64_t> unsent_;               // local ids to send on this connection
  std::map<std::int64_t, std::uint64_t> in_flight_; // msg_id → local id (0: our ping)
  std::map<std::int64_t, std::vector<std::int64_t>> containers_;  // container → inner ids
  std::vector<std::int64_t> acks_;
  bool flush_scheduled_ = false;
  bool ping_due_ = false;
  std::optional<std::int64_t> ping_in_flight_;  // msg_id of the unanswered ping
  std::optional<SteadyTime> deadline_armed_;
};

}  // namespace hqadz::telegram
