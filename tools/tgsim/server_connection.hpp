#pragma once
// Internal: one client connection of the MTProto server, driven on its own strand.

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "telegram/client/service_messages.hpp"
#include "telegram/mtproto/auth_key.hpp"
#include "telegram/transport/codec.hpp"
#include "tools/tgsim/handshake.hpp"

namespace hqadz::tgsim {

namespace tl = telegram::tl;
namespace mtproto = telegram::mtproto;

class MtprotoServer;

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(boost::asio::ip::tcp::socket socket, MtprotoServer& server);
  void start();
  /// Closes the socket (from any thread).
  void stop();

 private:
  struct Outgoing {
    telegram::tl::Bytes body;
    bool content = false;
    bool response = false;
    bool alone = false;  // sent in its own message, never in a container
  };

  void read_header();
  void read_length();
  void read_body(std::size_t size);
  void on_payload(telegram::tl::Bytes payload);
  void on_encrypted(telegram::tl::ByteSpan payload);
  void process(std::int64_t msg_id, telegram::tl::ByteSpan body, int depth,
               std::vector<Outgoing>& out);
  void sync_clock();
  void call_api(std::int64_t msg_id, telegram::tl::ByteSpan body, std::vector<Outgoing>& out);
  void send(std::vector<Outgoing> out);
  void send_now(const std::vector<Outgoing>& out);
  void write_payload(telegram::tl::ByteSpan payload);
  void do_write();
  void close();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::ip::tcp::socket socket_;
  MtprotoServer& server_;
  std::unique_ptr<telegram::transport::Codec> codec_;
  bool full_ = true;
  std::array<std::uint8_t, 4> header_{};
  std::deque<telegram::tl::Bytes> out_;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool closed_ = false;
  bool drop_ = false;  // a fault asked to drop the connection without answering

  std::unique_ptr<ServerHandshake> handshake_;
  std::optional<mtproto::AuthKey> key_;
  std::int64_t salt_ = 0;
  std::int64_t session_id_ = 0;
  std::int32_t content_sent_ = 0;
  telegram::MsgIdSource msg_ids_;
};

}  // namespace hqadz::tgsim
