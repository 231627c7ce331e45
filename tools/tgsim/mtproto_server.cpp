#include "tools/tgsim/mtproto_server.hpp"

#include "tools/tgsim/server_connection.hpp"

namespace hqadz::tgsim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

MtprotoServer::MtprotoServer(asio::io_context& io, World& world, const mtproto::RsaPrivateKey& key,
                             const core::Clock& clock, mtproto::Random& random)
    : io_(io), world_(world), key_(key), clock_(clock), random_(random), acceptor_(io) {}

MtprotoServer::~MtprotoServer() { stop(); }

core::Result<core::HostPort> MtprotoServer::listen(const core::HostPort& at) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(at.host, ec);
  if (ec) {
    return core::Error::invalid("bad_listen", "not an IP address: " + at.host);
  }
  tcp::endpoint endpoint(address, at.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return core::Error::unavailable("listen_failed", ec.message());
  }
  auto bound = acceptor_.local_endpoint(ec);
  accept();
  return core::HostPort{bound.address().to_string(), bound.port()};
}

void MtprotoServer::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& ec,
                                                        tcp::socket socket) {
    if (ec) {
      return;  // closed by stop(), or out of descriptors: stop accepting
    }
    if (world_.take_connection_drop()) {
      boost::system::error_code ignored;
      socket.close(ignored);  // fault: hang up on this connection before a byte is read
      accept();
      return;
    }
    auto connection = std::make_shared<ServerConnection>(std::move(socket), *this);
    {
      std::lock_guard lock(mutex_);
      if (stopped_) {
        return;
      }
      connections_.insert(connection);
    }
    connection->start();
    accept();
  });
}

void MtprotoServer::stop() {
  std::set<std::shared_ptr<ServerConnection>> connections;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    connections.swap(connections_);
  }
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& c : connections) {
    c->stop();
  }
}

std::size_t MtprotoServer::connection_count() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

void MtprotoServer::forget(ServerConnection* connection) {
  std::lock_guard lock(mutex_);
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (it->get() == connection) {
      connections_.erase(it);
      return;
    }
  }
}

}  // namespace hqadz::tgsim
