// The client's TCP side: connect, frame reads and writes, reconnects, timers.
#include "telegram/client/client_impl.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "telegram/client/rpc_errors.hpp"

namespace hqadz::telegram {
namespace {

mtproto::InboundPolicy client_policy() {
  mtproto::InboundPolicy p;
  p.sender = mtproto::Sender::kServer;
  p.remember = 64;  // enough for duplicate detection; a bigger set costs memory per account
  return p;
}

}  // namespace

std::shared_ptr<Client> make_client(boost::asio::io_context& io, AccountOptions options,
                                    std::shared_ptr<const DcTable> dcs, ClientSettings settings) {
  return make_client(io, std::move(options), std::move(dcs),
                     std::make_shared<const ClientSettings>(std::move(settings)));
}

std::shared_ptr<Client> make_client(boost::asio::io_context& io, AccountOptions options,
                                    std::shared_ptr<const DcTable> dcs,
                                    std::shared_ptr<const ClientSettings> settings) {
  auto client = std::make_shared<ClientImpl>(io, std::move(options), std::move(dcs),
                                             std::move(settings));
  client->start();
  return client;
}

ClientImpl::ClientImpl(asio::io_context& io, AccountOptions options,
                       std::shared_ptr<const DcTable> dcs,
                       std::shared_ptr<const ClientSettings> settings)
    : strand_(asio::make_strand(io)),
      socket_(strand_),
      connect_timer_(strand_),
      deadline_timer_(strand_),
      ping_timer_(strand_),
      api_id_(options.api_id),
      dcs_(std::move(dcs)),
      settings_(std::move(settings)),
      clock_(settings_->clock != nullptr ? *settings_->clock : system_clock_),
      msg_ids_(clock_),
      checker_(clock_, client_policy()) {
  dc_id_ = options.session.dc_id;
  // The address stored with a session came with an upload: a record, never dialled. Every
  // connection goes to the DC table's address for the session's DC (Telegram's, or
  // HQADZ_TELEGRAM_DCS); a DC the table does not know leaves no address (BAD_DC_ADDRESS).
  if (const auto* dc = dcs_->find(dc_id_)) {
    host_ = dc->host;
    port_ = dc->port;
  }
  if (auto key = mtproto::AuthKey::from_bytes(tl::as_bytes(options.session.auth_key)); key.ok()) {
    key_ = std::move(key).value();
  }
}

void ClientImpl::start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->state_ == State::kIdle) {
      self->connect();
      self->arm_ping();
    }
  });
}

void ClientImpl::close() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->state_ == State::kClosed) {
      return;
    }
    self->state_ = State::kClosed;
    boost::system::error_code ignored;
    self->socket_.close(ignored);
    self->connect_timer_.cancel();
    self->deadline_timer_.cancel();
    self->ping_timer_.cancel();
    self->out_ = {};
    self->fail_all(transient_error("closed"));
  });
}

void ClientImpl::connect() {
  if (state_ == State::kClosed) {
    return;
  }
  state_ = State::kConnecting;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host_, ec);
  if (ec || port_ == 0) {
    fail_all(RpcError{ErrorKind::kOther, 0, "BAD_DC_ADDRESS", 0});
    state_ = State::kIdle;
    return;
  }
  socket_ = Socket(strand_);
  ++generation_;  // handlers of an older socket see this and stand down
  ++connections_;
  connect_timer_.expires_after(settings_->connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), gen = generation_](
                                const boost::system::error_code& e) {
    if (!e && gen == self->generation_ && self->state_ == State::kConnecting) {
      boost::system::error_code ignored;
      self->socket_.close(ignored);  // completes the connect with an error
    }
  });
  socket_.async_connect(tcp::endpoint(address, port_),
                        [self = shared_from_this(), gen = generation_](
                            const boost::system::error_code& e) {
                          if (gen == self->generation_) {
                            self->on_connected(e);
                          }
                        });
}

void ClientImpl::on_connected(const boost::system::error_code& ec) {
  connect_timer_.cancel();
  if (state_ == State::kClosed) {
    return;
  }
  if (ec) {
    drop("connect: " + ec.message());
    return;
  }
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  codec_ = transport::make_codec(settings_->framing, transport::Role::kClient);
  read_header();
  begin_session();
}

void ClientImpl::read_header() {
  asio::async_read(socket_, asio::buffer(header_),
                   [self = shared_from_this(), gen = generation_](
                       const boost::system::error_code& ec, std::size_t) {
                     if (gen != self->generation_) {
                       return;
                     }
                     if (ec) {
                       self->drop("read: " + ec.message());
                       return;
                     }
                     std::uint32_t len = static_cast<std::uint32_t>(self->header_[0]) |
                                         static_cast<std::uint32_t>(self->header_[1]) << 8 |
                                         static_cast<std::uint32_t>(self->header_[2]) << 16 |
                                         static_cast<std::uint32_t>(self->header_[3]) << 24;
                     // TCP full counts the length field itself; intermediate does not.
                     bool full = self->settings_->framing == transport::Framing::kFull;
                     std::size_t rest = full ? (len >= 4 ? len - 4 : 0) : len;
                     if (rest == 0 || rest > transport::kDefaultMaxPayload + 8) {
                       self->drop("bad frame length");
                       return;
                     }
                     self->read_body(rest);
                   });
}

void ClientImpl::read_body(std::size_t size) {
  auto buf = std::make_shared<tl::Bytes>(size);
  asio::async_read(socket_, asio::buffer(*buf),
                   [self = shared_from_this(), buf, gen = generation_](
                       const boost::system::error_code& ec, std::size_t) {
                     if (gen != self->generation_) {
                       return;
                     }
                     if (ec) {
                       self->drop("read: " + ec.message());
                       return;
                     }
                     self->codec_->feed(self->header_);
                     self->codec_->feed(*buf);
                     buf->clear();
                     buf->shrink_to_fit();
                     auto frame = self->codec_->next();
                     if (!frame.ok()) {
                       if (frame.error().errc == transport::CodecErrc::kServerError &&
                           frame.error().server_code == -404) {
                         // The server does not know our key. Once may be a server's hiccup
                         // (a DC restarting): the same answer on a fresh connection is not.
                         if (self->confirming_) {
                           self->key_is_dead(
                               RpcError{ErrorKind::kAccountDead, -404, "AUTH_KEY_UNREGISTERED", 0});
                         } else {
                           self->start_confirmation();
                           return;
                         }
                       }
                       self->drop(std::string("transport: ") +
                                  std::string(transport::to_string(frame.error().errc)) + " " +
                                  std::to_string(frame.error().server_code));
                       return;
                     }
                     if (!frame->has_value()) {
                       self->drop("incomplete frame");
                       return;
                     }
                     self->on_payload(std::move(**frame));
                     if (self->state_ == State::kKeyExchange || self->state_ == State::kReady) {
                       self->read_header();
                     }
                   });
}

void ClientImpl::on_payload(tl::Bytes payload) {
  if (payload_auth_key_id(payload) == 0) {
    on_plain(std::move(payload));
  } else {
    on_encrypted(payload);
  }
}

void ClientImpl::write_frame(tl::ByteSpan payload) {
  out_.push_back(codec_->encode(payload));
  do_write();
}

void ClientImpl::do_write() {
  if (writing_ || out_.empty()) {
    return;
  }
  writing_ = true;
  asio::async_write(socket_, asio::buffer(out_.front()),
                    [self = shared_from_this(), gen = generation_](
                        const boost::system::error_code& ec, std::size_t) {
                      if (gen != self->generation_) {
                        return;
                      }
                      self->writing_ = false;
                      if (ec) {
                        self->drop("write: " + ec.message());
                        return;
                      }
                      if (!self->out_.empty()) {
                        self->out_.erase(self->out_.begin());
                      }
                      if (self->out_.empty()) {
                        self->out_ = {};  // release its capacity: most connections sit idle
                      }
                      self->do_write();
                    });
}

void ClientImpl::drop(const std::string& why) {
  if (state_ == State::kClosed || state_ == State::kIdle) {
    return;
  }
  spdlog::debug("telegram: connection to {}:{} lost ({})", host_, port_, why);
  boost::system::error_code ignored;
  socket_.close(ignored);
  state_ = State::kIdle;
  out_ = {};
  writing_ = false;
  exchange_.reset();
  // Everything unanswered goes out again on the next connection, in submission order.
  for (const auto& [msg_id, id] : in_flight_) {
    if (id != 0 && requests_.count(id) != 0) {
      unsent_.push_back(id);
    }
  }
  std::sort(unsent_.begin(), unsent_.end());
  unsent_.erase(std::unique(unsent_.begin(), unsent_.end()), unsent_.end());
  in_flight_.clear();
  containers_.clear();
  acks_ = {};
  ping_in_flight_.reset();
  if (key_dead_) {
    fail_all(dead_error_);
    return;
  }
  schedule_reconnect();
}

void ClientImpl::schedule_reconnect() {
  auto delay = settings_->backoff_initial * (1 << std::min(attempts_, 16));
  if (attempts_ == 0) {
    delay = std::chrono::milliseconds(0);  // a first loss is retried at once
  }
  delay = std::min<std::chrono::milliseconds>(delay, settings_->backoff_max);
  ++attempts_;
  connect_timer_.expires_after(delay);
  connect_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && self->state_ == State::kIdle) {
      self->connect();
    }
  });
}

void ClientImpl::fail_all(const RpcError& error) {
  auto requests = std::move(requests_);
  requests_.clear();
  held_.clear();
  confirming_ = false;
  probe_id_ = 0;
  unsent_ = {};
  in_flight_.clear();
  containers_.clear();
  for (auto& [id, r] : requests) {
    r.done(error);
  }
}

void ClientImpl::arm_deadline() {
  if (requests_.empty()) {
    return;
  }
  auto earliest = requests_.begin()->second.deadline;
  for (const auto& [id, r] : requests_) {
    earliest = std::min(earliest, r.deadline);
  }
  if (deadline_armed_ && *deadline_armed_ <= earliest) {
    return;
  }
  deadline_armed_ = earliest;
  deadline_timer_.expires_at(earliest);
  deadline_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) {
      self->deadline_armed_.reset();
      self->on_deadline();
    }
  });
}

void ClientImpl::on_deadline() {
  if (state_ == State::kClosed) {
    return;
  }
  auto now = std::chrono::steady_clock::now();
  std::vector<std::uint64_t> expired;
  for (const auto& [id, r] : requests_) {
    if (r.deadline <= now) {
      expired.push_back(id);
    }
  }
  for (auto id : expired) {
    unsent_.erase(std::remove(unsent_.begin(), unsent_.end(), id), unsent_.end());
    std::erase_if(in_flight_, [id](const auto& kv) { return kv.second == id; });
    complete(id, transient_error("TIMEOUT"));
  }
  arm_deadline();
}

void ClientImpl::arm_ping() {
  ping_timer_.expires_after(settings_->ping_interval);
  ping_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) {
      self->on_ping_timer();
    }
  });
}

void ClientImpl::on_ping_timer() {
  if (state_ == State::kClosed) {
    return;
  }
  if (state_ == State::kReady) {
    if (ping_in_flight_) {
      drop("no pong within a ping interval");
    } else {
      ping_due_ = true;
      schedule_flush();
    }
  }
  arm_ping();
}

}  // namespace hqadz::telegram
