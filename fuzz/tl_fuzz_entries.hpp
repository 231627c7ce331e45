#pragma once
// The readers tl_fuzz drives, by name (shared with the seed generator, which picks the
// selector byte of a seed by the reader's name). See tl_fuzz.cpp for the input format.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>

#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::fuzz::tl_target {

namespace tl = hqadz::telegram::tl;

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "tl_fuzz: property violated: %s\n", what);
  std::abort();
}

template <typename T>
tl::Bytes bytes_of(const T& v) {
  tl::Writer w;
  v.serialize(w);
  return w.take();
}

template <typename T>
void round_trip(tl::ByteSpan data) {
  tl::Reader r(data);
  auto first = T::parse(r);
  if (!first.ok()) {
    return;
  }
  if (r.position() > data.size()) {
    fail("reader moved past the end");
  }
  const tl::Bytes bytes = bytes_of(*first);
  tl::Reader r2(bytes);
  auto second = T::parse(r2);
  if (!second.ok()) {
    fail("re-serialized value does not parse");
  }
  if (r2.remaining() != 0) {
    fail("re-serialized value leaves bytes over");
  }
  if (!(*second == *first)) {
    fail("re-parsed value differs");
  }
  if (bytes_of(*second) != bytes) {
    fail("serialization is not stable");
  }
}

// An RPC function: its request (what tgsim parses) and its result (what the client parses).
template <typename F>
void function(tl::ByteSpan data) {
  if (!data.empty() && (data[0] & 1) != 0) {
    round_trip<F>(data.subspan(1));
    return;
  }
  tl::Reader r(data.empty() ? data : data.subspan(1));
  auto result = F::parse_result(r);
  using R = typename F::ReturnType;
  if constexpr (requires(const R& v, tl::Writer& w) { v.serialize(w); }) {
    if (result.ok()) {
      const tl::Bytes bytes = bytes_of(*result);
      tl::Reader r2(bytes);
      auto again = F::parse_result(r2);
      if (!again.ok() || !(*again == *result) || r2.remaining() != 0) {
        fail("function result does not round-trip");
      }
    }
  }
}

inline void opaque(tl::ByteSpan data) {
  if (data.size() < 2) {
    return;
  }
  const auto& tables = tl::layer_tables();
  const auto type =
      static_cast<std::uint16_t>((data[0] | (data[1] << 8)) % tables.type_names.size());
  const auto wire = data.subspan(2);
  tl::Reader r(wire);
  auto o = tl::Opaque::read(r, tables, type);
  if (r.failed()) {
    return;
  }
  if (o.bytes.size() != r.position() || !std::equal(o.bytes.begin(), o.bytes.end(), wire.begin())) {
    fail("opaque bytes are not the bytes consumed");
  }
  tl::Reader r2(o.bytes);
  auto again = tl::Opaque::read(r2, tables, type);
  if (r2.failed() || r2.remaining() != 0 || !(again == o)) {
    fail("opaque does not read its own bytes");
  }
}

struct Entry {
  const char* name;
  void (*run)(tl::ByteSpan);
};

#define HQADZ_TL_ENTRY(f) \
  Entry { #f, f }

// Byte 0 of an input selects kEntries[byte % size]; the seed generator finds them by name.
inline constexpr Entry kEntries[] = {
    HQADZ_TL_ENTRY(opaque),
    // Wrappers over every constructor of a type.
    HQADZ_TL_ENTRY(round_trip<tl::AnyUpdates>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyUpdate>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyMessage>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyMessageMedia>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyUser>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyChat>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyPeer>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyDialog>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyUserStatus>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyUserProfilePhoto>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyChatPhoto>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyInputPeer>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyInputUser>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyInputChannel>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyInputMessage>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyBadMsgNotification>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyDestroySessionRes>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyMsgDetailedInfo>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyPQInnerData>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyRpcDropAnswer>),
    HQADZ_TL_ENTRY(round_trip<tl::AnyServerDHParams>),
    HQADZ_TL_ENTRY(round_trip<tl::AnySetClientDHParamsAnswer>),
    HQADZ_TL_ENTRY(round_trip<tl::messages::AnyChats>),
    HQADZ_TL_ENTRY(round_trip<tl::messages::AnyDialogs>),
    HQADZ_TL_ENTRY(round_trip<tl::messages::AnyMessages>),
    // Types with a single constructor.
    HQADZ_TL_ENTRY(round_trip<tl::ResPQ>),
    HQADZ_TL_ENTRY(round_trip<tl::ServerDHInnerData>),
    HQADZ_TL_ENTRY(round_trip<tl::ClientDHInnerData>),
    HQADZ_TL_ENTRY(round_trip<tl::MsgsAck>),
    HQADZ_TL_ENTRY(round_trip<tl::MsgsStateReq>),
    HQADZ_TL_ENTRY(round_trip<tl::MsgsStateInfo>),
    HQADZ_TL_ENTRY(round_trip<tl::MsgsAllInfo>),
    HQADZ_TL_ENTRY(round_trip<tl::MsgResendReq>),
    HQADZ_TL_ENTRY(round_trip<tl::RpcResult>),
    HQADZ_TL_ENTRY(round_trip<tl::RpcError>),
    HQADZ_TL_ENTRY(round_trip<tl::FutureSalts>),
    HQADZ_TL_ENTRY(round_trip<tl::Pong>),
    HQADZ_TL_ENTRY(round_trip<tl::NewSessionCreated>),
    HQADZ_TL_ENTRY(round_trip<tl::GzipPacked>),
    HQADZ_TL_ENTRY(round_trip<tl::Config>),
    HQADZ_TL_ENTRY(round_trip<tl::DcOption>),
    HQADZ_TL_ENTRY(round_trip<tl::MessageFwdHeader>),
    HQADZ_TL_ENTRY(round_trip<tl::MessageReplyHeader>),
    HQADZ_TL_ENTRY(round_trip<tl::ChatAdminRights>),
    HQADZ_TL_ENTRY(round_trip<tl::ChatBannedRights>),
    HQADZ_TL_ENTRY(round_trip<tl::updates::State>),
    HQADZ_TL_ENTRY(round_trip<tl::contacts::ResolvedPeer>),
    HQADZ_TL_ENTRY(round_trip<tl::InvokeWithLayer>),
    HQADZ_TL_ENTRY(round_trip<tl::InitConnection>),
    HQADZ_TL_ENTRY(round_trip<tl::InvokeAfterMsg>),
    HQADZ_TL_ENTRY(round_trip<tl::InvokeWithoutUpdates>),
    // RPC functions: request or result.
    HQADZ_TL_ENTRY(function<tl::ReqPq>),
    HQADZ_TL_ENTRY(function<tl::ReqPqMulti>),
    HQADZ_TL_ENTRY(function<tl::ReqDHParams>),
    HQADZ_TL_ENTRY(function<tl::SetClientDHParams>),
    HQADZ_TL_ENTRY(function<tl::RpcDropAnswer>),
    HQADZ_TL_ENTRY(function<tl::GetFutureSalts>),
    HQADZ_TL_ENTRY(function<tl::Ping>),
    HQADZ_TL_ENTRY(function<tl::PingDelayDisconnect>),
    HQADZ_TL_ENTRY(function<tl::DestroySession>),
    HQADZ_TL_ENTRY(function<tl::users::GetUsers>),
    HQADZ_TL_ENTRY(function<tl::contacts::ResolveUsername>),
    HQADZ_TL_ENTRY(function<tl::messages::GetMessages>),
    HQADZ_TL_ENTRY(function<tl::messages::GetDialogs>),
    HQADZ_TL_ENTRY(function<tl::messages::ForwardMessages>),
    HQADZ_TL_ENTRY(function<tl::updates::GetState>),
    HQADZ_TL_ENTRY(function<tl::help::GetConfig>),
    HQADZ_TL_ENTRY(function<tl::channels::GetMessages>),
    HQADZ_TL_ENTRY(function<tl::channels::GetChannels>),
    HQADZ_TL_ENTRY(function<tl::channels::JoinChannel>),
};

#undef HQADZ_TL_ENTRY

}  // namespace hqadz::fuzz::tl_target
