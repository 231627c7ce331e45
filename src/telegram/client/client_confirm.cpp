// What the session learns from the server and double-checks before believing it: the server's
// clock (from every msg_id, as tdlib's AuthData::update_server_time_difference does), requests a
// new session has forgotten, and a refused key, confirmed on a fresh connection before the
// account is reported dead (issue 15 point 4).
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "telegram/client/client_impl.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram {

void ClientImpl::learn_server_time(std::int64_t server_msg_id) {
  // A message's time is when the server sent it, so (its time - our time now) can only be
  // below the true difference: the first sample sets it, later ones only raise it. Imported
  // keys never run a key exchange, so without this a host clock minutes off drops every reply.
  const std::int64_t ours = msg_ids_.now_seconds() - msg_ids_.time_offset();
  const std::int64_t diff = (server_msg_id >> 32) - ours;
  if (!time_learned_ || diff > msg_ids_.time_offset()) {
    if (msg_ids_.time_offset() != diff) {
      spdlog::debug("telegram: server clock is {} s from ours", diff);
    }
    time_learned_ = true;
    msg_ids_.set_time_offset(diff);
  }
}

void ClientImpl::resend_older_than(std::int64_t first_msg_id) {
  // As tdlib's Session::on_session_created: what went out before the new session's first
  // message (compared by its container, the unit the server received) will never be answered.
  std::set<std::int64_t> kept;
  for (const auto& [container, inner] : containers_) {
    if (container >= first_msg_id) {
      kept.insert(inner.begin(), inner.end());
    }
  }
  std::vector<std::int64_t> older;
  for (const auto& [msg_id, id] : in_flight_) {
    if (msg_id < first_msg_id && kept.count(msg_id) == 0) {
      older.push_back(msg_id);
    }
  }
  for (auto msg_id : older) {
    resend(msg_id);
  }
}

void ClientImpl::start_confirmation() {
  if (confirming_ || key_dead_ || state_ == State::kClosed) {
    return;
  }
  confirming_ = true;
  spdlog::info("telegram: the key was refused; asking again on a fresh connection");
  tl::users::GetUsers req;
  req.id.push_back({tl::InputUserSelf{}});
  tl::Writer w;
  req.serialize(w);
  probe_id_ = next_request_++;
  auto deadline = std::chrono::steady_clock::now() + settings_->request_timeout;
  requests_.emplace(probe_id_,
                    Request{w.take(),
                            [self = shared_from_this()](Outcome<tl::Bytes> probe) {
                              self->on_confirmation(std::move(probe));
                            },
                            deadline, 0});
  arm_deadline();
  if (state_ == State::kIdle) {
    unsent_.insert(unsent_.begin(), probe_id_);
    connect();
    return;
  }
  drop("confirming the key on a fresh connection");  // re-queues what is in flight
  unsent_.insert(unsent_.begin(), probe_id_);
}

void ClientImpl::on_confirmation(Outcome<tl::Bytes> probe) {
  confirming_ = false;
  probe_id_ = 0;
  auto held = std::move(held_);
  held_.clear();
  // Any answer that is not an account-level refusal means the key works: the refused requests
  // become TRANSIENT and their callers retry them (a timeout proves nothing either way).
  const bool refused = !probe.ok() && (probe.error().kind == ErrorKind::kAccountDead ||
                                       probe.error().kind == ErrorKind::kAccountBanned);
  if (refused) {
    spdlog::warn("telegram: the key is refused on a fresh connection too ({})",
                 probe.error().name);
  } else {
    spdlog::info("telegram: the key works on a fresh connection; retrying what was refused");
  }
  for (auto& [id, error] : held) {
    if (requests_.count(id) != 0) {
      complete(id, refused ? error : RpcError{ErrorKind::kTransient, error.code, error.name, 0});
    }
  }
  if (refused && probe.error().kind == ErrorKind::kAccountDead) {
    key_is_dead(probe.error());
  }
}

void ClientImpl::key_is_dead(const RpcError& error) {
  key_dead_ = true;
  dead_error_ = error;
  dead_error_.kind = ErrorKind::kAccountDead;
  fail_all(dead_error_);
}

}  // namespace hqadz::telegram
