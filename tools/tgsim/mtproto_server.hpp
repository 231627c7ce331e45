#pragma once
/// tgsim's MTProto endpoint: TCP full or intermediate framing (detected per connection), the
/// key exchange, MTProto 2.0 encryption, sessions, salts, containers, gzip, pings, and the
/// wrappers (invokeWithLayer remembered per auth key, as Telethon relies on). API requests go
/// to the World. Faults (drops, delays) are applied here.
///
/// Connections run on the io_context given; stop() closes the listener and every connection.
/// Thread-safe.

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <mutex>
#include <set>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/result.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/mtproto/rsa.hpp"
#include "tools/tgsim/world.hpp"

namespace hqadz::tgsim {

namespace tl = telegram::tl;
namespace mtproto = telegram::mtproto;

class ServerConnection;

class MtprotoServer {
 public:
  MtprotoServer(boost::asio::io_context& io, World& world, const mtproto::RsaPrivateKey& key,
                const core::Clock& clock, mtproto::Random& random);
  ~MtprotoServer();

  /// Binds and starts accepting. The bound address (the real port when 0 was asked).
  core::Result<core::HostPort> listen(const core::HostPort& at);
  void stop();
  std::size_t connection_count() const;

  // For connections.
  World& world() { return world_; }
  const mtproto::RsaPrivateKey& rsa_key() const { return key_; }
  const core::Clock& clock() const { return clock_; }
  mtproto::Random& random() { return random_; }
  void forget(ServerConnection* connection);

 private:
  void accept();

  boost::asio::io_context& io_;
  World& world_;
  const mtproto::RsaPrivateKey& key_;
  const core::Clock& clock_;
  mtproto::Random& random_;
  boost::asio::ip::tcp::acceptor acceptor_;
  mutable std::mutex mutex_;
  std::set<std::shared_ptr<ServerConnection>> connections_;  // guarded by mutex_
  bool stopped_ = false;                                     // guarded by mutex_
};

}  // namespace hqadz::tgsim
