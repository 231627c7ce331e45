#include "tools/tgsim/server_connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cstring>

#include "telegram/mtproto/message_crypto.hpp"
#include "telegram/tl/generated/tl_types.hpp"
#include "tools/tgsim/mtproto_server.hpp"

namespace hqadz::tgsim {

namespace asio = boost::asio;

using telegram::constructor_of;
using telegram::MsgIdSource;

namespace {

template <typename T>
tl::Bytes serialize(const T& object) {
  tl::Writer w;
  object.serialize(w);
  return w.take();
}

std::uint32_t le32(const std::array<std::uint8_t, 4>& b) {
  return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
         static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
}

std::int64_t random_long(mtproto::Random& random) {
  std::array<std::uint8_t, 8> b{};
  random.fill(b);
  std::int64_t v = 0;
  std::memcpy(&v, b.data(), b.size());
  return v;
}

constexpr std::size_t kMaxFrame = 2u << 20;

}  // namespace

ServerConnection::ServerConnection(asio::ip::tcp::socket socket, MtprotoServer& server)
    : strand_(socket.get_executor()),
      socket_(std::move(socket)),
      server_(server),
      msg_ids_(server.clock()) {}

void ServerConnection::start() {
  asio::post(strand_, [self = shared_from_this()] { self->read_header(); });
}

void ServerConnection::stop() {
  asio::post(strand_, [self = shared_from_this()] { self->close(); });
}

void ServerConnection::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  server_.forget(this);
}

void ServerConnection::read_header() {
  asio::async_read(socket_, asio::buffer(header_),
                   [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                     if (ec) {
                       self->close();
                       return;
                     }
                     auto first = le32(self->header_);
                     if (first == 0xeeeeeeeeu) {
                       self->full_ = false;
                       self->codec_ = telegram::transport::make_codec(
                           telegram::transport::Framing::kIntermediate,
                           telegram::transport::Role::kServer);
                       self->codec_->feed(self->header_);
                       self->read_length();
                       return;
                     }
                     if (self->header_[0] == 0xef) {
                       self->close();  // abridged and obfuscated framings are not served
                       return;
                     }
                     self->codec_ = telegram::transport::make_codec(
                         telegram::transport::Framing::kFull, telegram::transport::Role::kServer);
                     if (first < 16 || first > kMaxFrame) {
                       self->close();
                       return;
                     }
                     self->read_body(first - 4);
                   });
}

void ServerConnection::read_length() {
  asio::async_read(socket_, asio::buffer(header_),
                   [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                     if (ec) {
                       self->close();
                       return;
                     }
                     auto len = le32(self->header_);
                     bool ok = self->full_ ? (len >= 16 && len <= kMaxFrame)
                                           : (len >= 4 && len <= kMaxFrame);
                     if (!ok) {
                       self->close();
                       return;
                     }
                     self->read_body(self->full_ ? len - 4 : len);
                   });
}

void ServerConnection::read_body(std::size_t size) {
  auto buf = std::make_shared<tl::Bytes>(size);
  asio::async_read(socket_, asio::buffer(*buf), [self = shared_from_this(), buf](
                                                    const boost::system::error_code& ec,
                                                    std::size_t) {
    if (ec) {
      self->close();
      return;
    }
    self->codec_->feed(self->header_);
    self->codec_->feed(*buf);
    auto frame = self->codec_->next();
    if (!frame.ok() || !frame->has_value()) {
      self->close();
      return;
    }
    self->on_payload(std::move(**frame));
    if (!self->closed_ && !self->close_after_write_ && !self->drop_) {
      self->read_length();
    }
  });
}

void ServerConnection::on_payload(tl::Bytes payload) {
  if (telegram::payload_auth_key_id(payload) != 0) {
    on_encrypted(payload);
    return;
  }
  auto envelope = telegram::unwrap_plain(payload);
  if (!envelope.ok()) {
    close();
    return;
  }
  if (!handshake_) {
    handshake_ = std::make_unique<ServerHandshake>(server_.rsa_key(), server_.world(),
                                                   server_.random(), server_.clock());
  }
  auto answer = handshake_->on_request(envelope->body);
  if (!answer.ok()) {
    close();
    return;
  }
  sync_clock();
  write_payload(telegram::wrap_plain(msg_ids_.next(MsgIdSource::Kind::kServerResponse), *answer));
}

void ServerConnection::sync_clock() {
  // A server whose clock is off (the clock_skew_seconds fault): its msg_ids and its checks of
  // ours read the skewed time, as a Telegram DC's would against a host clock that is wrong.
  const auto skew = server_.world().faults().clock_skew_seconds;
  if (skew != msg_ids_.time_offset()) {
    msg_ids_.set_time_offset(skew);
  }
}

void ServerConnection::on_encrypted(tl::ByteSpan payload) {
  sync_clock();
  if (server_.world().take_fault(&Faults::transport_404_next)) {
    out_.push_back(codec_->encode_error(-404));  // as for an unknown key (a DC's hiccup)
    close_after_write_ = true;
    do_write();
    return;
  }
  auto key_id = telegram::payload_auth_key_id(payload);
  if (!key_ || static_cast<std::int64_t>(key_->id()) != key_id) {
    auto bytes = server_.world().find_key(key_id);
    auto key = bytes ? mtproto::AuthKey::from_bytes(tl::as_bytes(*bytes))
                     : core::Result<mtproto::AuthKey>(core::Error::not_found());
    if (!key.ok()) {
      // Unknown key: the transport error Telegram sends, then hang up.
      out_.push_back(codec_->encode_error(-404));
      close_after_write_ = true;
      do_write();
      return;
    }
    key_ = std::move(key).value();
    session_id_ = 0;
  }
  auto m = mtproto::decrypt_message(*key_, mtproto::Sender::kClient, payload);
  if (!m.ok()) {
    return;  // as Telegram: a message that does not decrypt is ignored
  }
  if (server_.world().take_fault(&Faults::lose_next)) {
    // A server restarting: this message is never answered, and the next one opens a new
    // session (new_session_created names it first; the client must re-send what came before).
    session_id_ = 0;
    return;
  }
  auto info = server_.world().key_info(key_id);
  salt_ = info ? info->salt : 0;
  std::vector<Outgoing> out;
  if (m->session_id != session_id_) {
    session_id_ = m->session_id;
    content_sent_ = 0;
    out.push_back({serialize(tl::NewSessionCreated{m->msg_id, random_long(server_.random()), salt_}),
                   false, false});
  }
  auto msg_time = m->msg_id >> 32;
  auto now = msg_ids_.now_seconds();
  if ((m->msg_id & 3) != 0) {
    out.push_back({serialize(tl::BadMsgNotification{m->msg_id, m->seq_no, 18}), false, false, true});
  } else if (msg_time < now - 300 || msg_time > now + 30) {
    auto code = msg_time < now - 300 ? 16 : 17;
    // Alone, so that a client whose clock is off can read it (the time check skips exactly
    // this constructor, not a container around it).
    out.push_back({serialize(tl::BadMsgNotification{m->msg_id, m->seq_no, code}), false, false,
                   true});
  } else if (m->salt != salt_) {
    out.push_back({serialize(tl::BadServerSalt{m->msg_id, m->seq_no, 48, salt_}), false, false,
                   true});
  } else {
    process(m->msg_id, m->body, 0, out);
  }
  if (drop_) {
    close();
    return;
  }
  send(std::move(out));
}

void ServerConnection::process(std::int64_t msg_id, tl::ByteSpan body, int depth,
                               std::vector<Outgoing>& out) {
  if (depth > 2 || drop_) {
    return;
  }
  tl::Reader r(body);
  switch (constructor_of(body)) {
    case tl::MsgContainer::kId: {
      auto inner = telegram::parse_container(body);
      if (inner.ok()) {
        for (const auto& m : *inner) {
          process(m.msg_id, m.body, depth + 1, out);
        }
      }
      return;
    }
    case tl::GzipPacked::kId: {
      auto unpacked = telegram::gzip_unpack(body);
      if (unpacked.ok()) {
        process(msg_id, *unpacked, depth + 1, out);
      }
      return;
    }
    case tl::MsgsAck::kId:
    case tl::MsgsStateInfo::kId:
      return;
    case tl::Ping::kId: {
      auto ping = tl::Ping::read(r);
      out.push_back({serialize(tl::Pong{msg_id, ping.ping_id}), false, true});
      return;
    }
    case tl::PingDelayDisconnect::kId: {
      auto ping = tl::PingDelayDisconnect::read(r);
      out.push_back({serialize(tl::Pong{msg_id, ping.ping_id}), false, true});
      return;
    }
    case tl::DestroySession::kId: {
      auto d = tl::DestroySession::read(r);
      tl::RpcResult result{msg_id, tl::RawObject::of(tl::DestroySessionNone{d.session_id})};
      out.push_back({serialize(result), true, true});
      return;
    }
    default:
      call_api(msg_id, body, out);
  }
}

void ServerConnection::call_api(std::int64_t msg_id, tl::ByteSpan body,
                                std::vector<Outgoing>& out) {
  auto key_id = static_cast<std::int64_t>(key_->id());
  tl::Bytes query(body.begin(), body.end());
  // Unwrap invokeWithLayer / initConnection / invokeWithoutUpdates / invokeAfterMsg.
  for (int i = 0; i < 4; ++i) {
    tl::Reader r(query);
    auto id = r.peek_uint32();
    if (id == tl::InvokeWithLayer::kId) {
      auto w = tl::InvokeWithLayer::read(r);
      if (r.failed()) {
        break;
      }
      server_.world().set_layer(key_id, w.layer);
      query = std::move(w.query.bytes);
    } else if (id == tl::InitConnection::kId) {
      auto w = tl::InitConnection::read(r);
      if (r.failed()) {
        break;
      }
      query = std::move(w.query.bytes);
    } else if (id == tl::InvokeWithoutUpdates::kId) {
      auto w = tl::InvokeWithoutUpdates::read(r);
      if (r.failed()) {
        break;
      }
      query = std::move(w.query.bytes);
    } else if (id == tl::InvokeAfterMsg::kId) {
      auto w = tl::InvokeAfterMsg::read(r);
      if (r.failed()) {
        break;
      }
      query = std::move(w.query.bytes);
    } else {
      break;
    }
  }
  tl::Bytes result;
  auto info = server_.world().key_info(key_id);
  if (!info || info->layer == 0) {
    // The layer is remembered per key, so a reconnect need not repeat it; a key that never
    // sent it gets the error Telegram gives.
    result = serialize(tl::RpcError{400, "CONNECTION_NOT_INITED"});
  } else if (server_.world().take_fault(&Faults::unauthorized_next)) {
    result = serialize(tl::RpcError{401, "AUTH_KEY_UNREGISTERED"});
  } else {
    auto call = server_.world().call(key_id, query);
    if (call.drop_connection) {
      drop_ = true;
      return;
    }
    result = std::move(call.result);
  }
  tl::RpcResult rpc{msg_id, tl::RawObject{std::move(result)}};
  out.push_back({serialize(rpc), true, true});
}

void ServerConnection::send(std::vector<Outgoing> out) {
  if (out.empty()) {
    return;
  }
  const auto faults = server_.world().faults();
  auto delay = faults.delay_ms;
  if (faults.stall_account != 0 && faults.stall_ms > 0 && key_) {
    auto info = server_.world().key_info(static_cast<std::int64_t>(key_->id()));
    if (info && info->account_id == faults.stall_account) {
      delay = std::max(delay, faults.stall_ms);
    }
  }
  if (delay <= 0) {
    send_now(out);
    return;
  }
  auto timer = std::make_shared<asio::steady_timer>(strand_);
  timer->expires_after(std::chrono::milliseconds(delay));
  timer->async_wait([self = shared_from_this(), timer, out = std::move(out)](
                        const boost::system::error_code& ec) {
    if (!ec) {
      self->send_now(out);
    }
  });
}

void ServerConnection::send_now(const std::vector<Outgoing>& out) {
  if (closed_ || !key_) {
    return;
  }
  if (out.size() > 1 && std::any_of(out.begin(), out.end(), [](const Outgoing& o) { return o.alone; })) {
    for (const auto& o : out) {
      send_now({o});
    }
    return;
  }
  auto next_message = [this](const Outgoing& o) {
    telegram::InnerMessage m;
    m.msg_id = msg_ids_.next(o.response ? MsgIdSource::Kind::kServerResponse
                                        : MsgIdSource::Kind::kServerOther);
    m.seq_no = o.content ? content_sent_ * 2 + 1 : content_sent_ * 2;
    if (o.content) {
      ++content_sent_;
    }
    m.body = o.body;
    return m;
  };
  mtproto::PlainMessage plain;
  plain.salt = salt_;
  plain.session_id = session_id_;
  if (out.size() == 1) {
    auto m = next_message(out[0]);
    plain.msg_id = m.msg_id;
    plain.seq_no = m.seq_no;
    plain.body = std::move(m.body);
  } else {
    std::vector<telegram::InnerMessage> inner;
    for (const auto& o : out) {
      inner.push_back(next_message(o));
    }
    plain.body = telegram::build_container(inner);
    plain.msg_id = msg_ids_.next(MsgIdSource::Kind::kServerOther);
    plain.seq_no = content_sent_ * 2;
  }
  write_payload(mtproto::encrypt_message(*key_, mtproto::Sender::kServer, plain, server_.random()));
}

void ServerConnection::write_payload(tl::ByteSpan payload) {
  out_.push_back(codec_->encode(payload));
  do_write();
}

void ServerConnection::do_write() {
  if (writing_ || out_.empty() || closed_) {
    return;
  }
  writing_ = true;
  asio::async_write(socket_, asio::buffer(out_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) {
                        self->close();
                        return;
                      }
                      self->out_.pop_front();
                      if (self->out_.empty() && self->close_after_write_) {
                        self->close();
                        return;
                      }
                      self->do_write();
                    });
}

}  // namespace hqadz::tgsim
