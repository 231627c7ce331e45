// The client's MTProto session: key exchange, encryption, service messages, requests.
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "telegram/client/client_impl.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "telegram/mtproto/message_crypto.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram {
namespace {

constexpr std::size_t kMaxPerContainer = 64;
constexpr std::size_t kAckBatch = 32;
constexpr int kMaxIgnored = 10;  // undecryptable messages in a row before we reconnect

template <typename T>
tl::Bytes serialize(const T& object) {
  tl::Writer w;
  object.serialize(w);
  return w.take();
}

std::int64_t random_long(mtproto::Random& random) {
  std::array<std::uint8_t, 8> b{};
  random.fill(b);
  std::int64_t v = 0;
  std::memcpy(&v, b.data(), b.size());
  return v;
}

}  // namespace

void ClientImpl::begin_session() {
  session_id_ = random_long(random_);
  content_sent_ = 0;
  inited_ = false;
  bad_inbound_ = 0;
  checker_.reset(session_id_);
  if (key_) {
    state_ = State::kReady;
    schedule_flush();
    return;
  }
  // No key yet: make one with the DC's RSA key before anything else.
  state_ = State::kKeyExchange;
  exchange_ = std::make_unique<KeyExchange>(dcs_->rsa_keys(), dc_id_, RsaScheme::kRsaPad,
                                            random_, clock_);
  exchange_step_ = 0;
  write_frame(wrap_plain(msg_ids_.next(MsgIdSource::Kind::kClient), exchange_->start()));
}

void ClientImpl::on_plain(tl::Bytes payload) {
  if (state_ != State::kKeyExchange || !exchange_) {
    drop("unexpected unencrypted message");
    return;
  }
  auto envelope = unwrap_plain(payload);
  if (!envelope.ok()) {
    drop("bad unencrypted message");
    return;
  }
  core::Result<tl::Bytes> next = core::Error::internal();
  if (exchange_step_ == 0) {
    next = exchange_->on_res_pq(envelope->body);
  } else if (exchange_step_ == 1) {
    next = exchange_->on_server_dh_params(envelope->body);
  } else {
    auto key = exchange_->on_dh_gen(envelope->body);
    exchange_.reset();
    if (!key.ok()) {
      spdlog::warn("telegram: key exchange failed: {}", key.error().message);
      fail_all(RpcError{ErrorKind::kOther, 0, "KEY_EXCHANGE_FAILED", 0});
      drop("key exchange failed");
      return;
    }
    key_ = key->key;
    salt_ = key->server_salt;
    msg_ids_.set_time_offset(key->time_offset);
    time_learned_ = true;
    state_ = State::kReady;
    schedule_flush();
    return;
  }
  if (!next.ok()) {
    spdlog::warn("telegram: key exchange failed: {}", next.error().message);
    exchange_.reset();
    fail_all(RpcError{ErrorKind::kOther, 0, "KEY_EXCHANGE_FAILED", 0});
    drop("key exchange failed");
    return;
  }
  ++exchange_step_;
  write_frame(wrap_plain(msg_ids_.next(MsgIdSource::Kind::kClient), *next));
}

void ClientImpl::on_encrypted(tl::ByteSpan payload) {
  if (state_ != State::kReady || !key_) {
    return;
  }
  auto m = mtproto::decrypt_message(*key_, mtproto::Sender::kServer, payload);
  if (!m.ok()) {
    if (++bad_inbound_ >= kMaxIgnored) {
      drop("too many undecryptable messages");
    }
    return;
  }
  learn_server_time(m->msg_id);  // authenticated by its msg_key: before the time window
  checker_.set_time_offset(msg_ids_.time_offset());
  auto checked = checker_.check(*m, mtproto::InboundChecker::options_for(m->body));
  if (!checked.ok()) {
    spdlog::debug("telegram: ignored a message: {}", mtproto::to_string(checked.error()));
    if (++bad_inbound_ >= kMaxIgnored) {
      drop("too many rejected messages");
    }
    return;
  }
  bad_inbound_ = 0;
  attempts_ = 0;
  handle(m->msg_id, m->seq_no, m->body, 0);
  if (acks_.size() >= kAckBatch) {
    schedule_flush();
  }
}

void ClientImpl::handle(std::int64_t msg_id, std::int32_t seq_no, tl::ByteSpan body, int depth) {
  if (depth > 2) {
    return;
  }
  if ((seq_no & 1) != 0) {
    acks_.push_back(msg_id);
  }
  tl::Reader r(body);
  switch (constructor_of(body)) {
    case tl::RpcResult::kId: {
      auto result = tl::RpcResult::parse(r);
      if (result.ok()) {
        on_rpc_result(result->req_msg_id, result->result.bytes);
      }
      break;
    }
    case tl::MsgContainer::kId: {
      auto inner = parse_container(body);
      if (inner.ok()) {
        for (const auto& m : *inner) {
          handle(m.msg_id, m.seq_no, m.body, depth + 1);
        }
      }
      break;
    }
    case tl::GzipPacked::kId: {
      auto unpacked = gzip_unpack(body);
      if (unpacked.ok()) {
        handle(msg_id, 0, *unpacked, depth + 1);
      }
      break;
    }
    case tl::BadServerSalt::kId: {
      auto bad = tl::BadServerSalt::parse(r);
      if (bad.ok()) {
        salt_ = bad->new_server_salt;
        checker_.set_accepted_salts({});
        resend(bad->bad_msg_id);
      }
      break;
    }
    case tl::BadMsgNotification::kId: {
      auto bad = tl::BadMsgNotification::parse(r);
      if (!bad.ok()) {
        break;
      }
      switch (bad->error_code) {
        case 16:
        case 17:  // our clock is off: take the server's from its msg_id
          msg_ids_.set_time_offset((msg_id >> 32) - (msg_ids_.now_seconds() - msg_ids_.time_offset()));
          time_learned_ = true;
          resend(bad->bad_msg_id);
          break;
        case 32:
          content_sent_ += 32;
          resend(bad->bad_msg_id);
          break;
        case 33:
          content_sent_ = std::max(0, content_sent_ - 8);
          resend(bad->bad_msg_id);
          break;
        case 48:
          resend(bad->bad_msg_id);
          break;
        default: {
          auto it = in_flight_.find(bad->bad_msg_id);
          if (it != in_flight_.end() && it->second != 0) {
            auto id = it->second;
            in_flight_.erase(it);
            complete(id, RpcError{ErrorKind::kOther, 400,
                                  "BAD_MSG_" + std::to_string(bad->error_code), 0});
          }
        }
      }
      break;
    }
    case tl::NewSessionCreated::kId: {
      auto created = tl::NewSessionCreated::parse(r);
      if (created.ok()) {
        salt_ = created->server_salt;
        resend_older_than(created->first_msg_id);  // the server has forgotten those
      }
      break;
    }
    case tl::Pong::kId: {
      auto pong = tl::Pong::parse(r);
      if (pong.ok() && ping_in_flight_ == pong->msg_id) {
        in_flight_.erase(pong->msg_id);
        ping_in_flight_.reset();
        forget_answered();
      }
      break;
    }
    default:
      // Acks, salts, detailed infos and updates: nothing to do for a forwarding account.
      break;
  }
}

void ClientImpl::on_rpc_result(std::int64_t req_msg_id, tl::ByteSpan result) {
  inited_ = true;
  auto it = in_flight_.find(req_msg_id);
  if (it == in_flight_.end()) {
    return;  // answered before, timed out, or not ours
  }
  auto id = it->second;
  in_flight_.erase(it);
  forget_answered();
  if (containers_.size() > 16) {
    // Forget containers whose messages are all answered; only unanswered ones can be resent.
    std::erase_if(containers_, [this](const auto& kv) {
      return std::none_of(kv.second.begin(), kv.second.end(),
                          [this](std::int64_t m) { return in_flight_.count(m) != 0; });
    });
  }
  if (id == 0) {
    ping_in_flight_.reset();
    return;
  }
  tl::Bytes inflated;
  if (constructor_of(result) == tl::GzipPacked::kId) {
    auto unpacked = gzip_unpack(result);
    if (!unpacked.ok()) {
      complete(id, RpcError{ErrorKind::kOther, 0, "BAD_GZIP", 0});
      return;
    }
    inflated = std::move(unpacked).value();
    result = inflated;
  }
  if (constructor_of(result) == tl::RpcError::kId) {
    tl::Reader r(result);
    auto e = tl::RpcError::parse(r);
    if (!e.ok()) {
      complete(id, RpcError{ErrorKind::kOther, 0, "BAD_RPC_ERROR", 0});
      return;
    }
    auto error = rpc_error_from(e->error_code, e->error_message);
    if (auto dc = migrate_dc(error)) {
      auto req = requests_.find(id);
      if (req != requests_.end() && req->second.migrations < 3 && dcs_->find(*dc) != nullptr) {
        ++req->second.migrations;
        unsent_.push_back(id);
        migrate(*dc);
        return;
      }
    }
    if (error.kind == ErrorKind::kAccountDead && id != probe_id_) {
      // Reported only once a fresh connection says the same (client_confirm.cpp); posted, so
      // the rest of this container is read on this connection first.
      held_.emplace(id, error);
      asio::post(strand_, [self = shared_from_this()] { self->start_confirmation(); });
      return;
    }
    complete(id, error);
    return;
  }
  complete(id, tl::Bytes(result.begin(), result.end()));
}

void ClientImpl::migrate(int dc_id) {
  const auto* dc = dcs_->find(dc_id);
  spdlog::info("telegram: migrating to DC {}", dc_id);
  dc_id_ = dc_id;
  host_ = dc->host;
  port_ = dc->port;
  key_.reset();  // a key belongs to its DC: make one there
  attempts_ = 0;
  drop("migrating");
}

void ClientImpl::forget_answered() {
  // Nothing in flight: no container can be resent any more, and an idle connection should hold
  // none of the last burst's bookkeeping (a container's node and id vector is ~100 bytes, and up
  // to 16 stayed).
  if (in_flight_.empty()) {
    containers_.clear();
  }
  if (unsent_.empty()) {
    unsent_ = {};
  }
}

void ClientImpl::complete(std::uint64_t id, Outcome<tl::Bytes> outcome) {
  auto it = requests_.find(id);
  if (it == requests_.end()) {
    return;
  }
  auto done = std::move(it->second.done);
  requests_.erase(it);
  if (requests_.empty() && deadline_armed_) {
    // Nothing left to time out: drop the armed wait now rather than hold its operation (and a
    // reference to this client) for up to request_timeout on an idle account.
    deadline_armed_.reset();
    deadline_timer_.cancel();
  }
  done(std::move(outcome));
}

void ClientImpl::resend(std::int64_t msg_id) {
  if (auto c = containers_.find(msg_id); c != containers_.end()) {
    auto inner = std::move(c->second);
    containers_.erase(c);
    for (auto m : inner) {
      resend(m);
    }
    return;
  }
  auto it = in_flight_.find(msg_id);
  if (it == in_flight_.end()) {
    return;
  }
  auto id = it->second;
  in_flight_.erase(it);
  if (id == 0) {
    ping_in_flight_.reset();
    ping_due_ = true;
  } else if (requests_.count(id) != 0) {
    unsent_.push_back(id);
    std::sort(unsent_.begin(), unsent_.end());
  }
  schedule_flush();
}

void ClientImpl::invoke(tl::Bytes request, RawDone done) {
  asio::post(strand_, [self = shared_from_this(), request = std::move(request),
                       done = std::move(done)]() mutable {
    if (self->state_ == State::kClosed) {
      done(transient_error("closed"));
      return;
    }
    if (self->key_dead_) {
      done(self->dead_error_);
      return;
    }
    auto id = self->next_request_++;
    auto deadline = std::chrono::steady_clock::now() + self->settings_->request_timeout;
    self->requests_.emplace(id, Request{std::move(request), std::move(done), deadline, 0});
    self->unsent_.push_back(id);
    self->arm_deadline();
    if (self->state_ == State::kIdle) {
      self->connect();
    }
    self->schedule_flush();
  });
}

void ClientImpl::schedule_flush() {
  if (flush_scheduled_) {
    return;
  }
  flush_scheduled_ = true;
  // Posted, so requests made in one turn of the strand share one container.
  asio::post(strand_, [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  });
}

tl::Bytes ClientImpl::wrap_first(const tl::Bytes& body) const {
  tl::InitConnection init;
  init.api_id = api_id_;
  init.device_model = settings_->device_model;
  init.system_version = settings_->system_version;
  init.app_version = settings_->app_version;
  init.system_lang_code = settings_->lang_code;
  init.lang_code = settings_->lang_code;
  init.query.bytes = body;
  tl::InvokeWithLayer layer;
  layer.layer = tl::kLayer;
  layer.query = tl::RawObject::of(init);
  return serialize(layer);
}

InnerMessage ClientImpl::make_message(tl::Bytes body, bool content) {
  InnerMessage m;
  m.msg_id = msg_ids_.next(MsgIdSource::Kind::kClient);
  m.seq_no = content ? content_sent_ * 2 + 1 : content_sent_ * 2;
  if (content) {
    ++content_sent_;
  }
  m.body = std::move(body);
  return m;
}

void ClientImpl::flush() {
  if (state_ != State::kReady || !key_) {
    return;
  }
  while (!unsent_.empty() || ping_due_ || !acks_.empty()) {
    std::vector<InnerMessage> batch;
    std::vector<std::int64_t> request_ids;
    std::size_t taken = 0;
    while (taken < unsent_.size() && batch.size() < kMaxPerContainer - 2) {
      auto id = unsent_[taken++];
      auto it = requests_.find(id);
      if (it == requests_.end()) {
        continue;
      }
      // Until the server has answered on this connection, every request carries the layer.
      auto body = inited_ ? it->second.body : wrap_first(it->second.body);
      batch.push_back(make_message(std::move(body), true));
      in_flight_[batch.back().msg_id] = id;
      request_ids.push_back(batch.back().msg_id);
    }
    unsent_.erase(unsent_.begin(), unsent_.begin() + static_cast<std::ptrdiff_t>(taken));
    if (ping_due_) {
      ping_due_ = false;
      auto ping_seconds = static_cast<std::int32_t>(
          std::chrono::duration_cast<std::chrono::seconds>(settings_->ping_interval).count());
      tl::PingDelayDisconnect ping{random_long(random_), ping_seconds + 15};
      batch.push_back(make_message(serialize(ping), true));
      in_flight_[batch.back().msg_id] = 0;
      ping_in_flight_ = batch.back().msg_id;
      request_ids.push_back(batch.back().msg_id);
    }
    if (!acks_.empty()) {
      batch.push_back(make_message(serialize(tl::MsgsAck{std::move(acks_)}), false));
      acks_.clear();
    }
    if (batch.empty()) {
      break;
    }
    mtproto::PlainMessage plain;
    plain.salt = salt_;
    plain.session_id = session_id_;
    if (batch.size() == 1) {
      plain.msg_id = batch[0].msg_id;
      plain.seq_no = batch[0].seq_no;
      plain.body = std::move(batch[0].body);
    } else {
      plain.body = build_container(batch);
      auto container = make_message({}, false);
      plain.msg_id = container.msg_id;
      plain.seq_no = container.seq_no;
      containers_[plain.msg_id] = std::move(request_ids);
    }
    write_frame(mtproto::encrypt_message(*key_, mtproto::Sender::kClient, plain, random_));
  }
}

}  // namespace hqadz::telegram
