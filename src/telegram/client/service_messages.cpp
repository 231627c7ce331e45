#include "telegram/client/service_messages.hpp"

#include <zlib.h>

#include <array>
#include <chrono>

#include "telegram/tl/generated/tl_types.hpp"
#include "telegram/tl/reader.hpp"
#include "telegram/tl/writer.hpp"

namespace hqadz::telegram {
namespace {

constexpr std::size_t kMaxContainerMessages = 1024;

}  // namespace

tl::Bytes wrap_plain(std::int64_t msg_id, tl::ByteSpan body) {
  tl::Writer w;
  w.write_long(0);
  w.write_long(msg_id);
  w.write_int(static_cast<std::int32_t>(body.size()));
  w.write_raw(body);
  return w.take();
}

core::Result<PlainEnvelope> unwrap_plain(tl::ByteSpan payload) {
  tl::Reader r(payload);
  auto key_id = r.read_long();
  auto msg_id = r.read_long();
  auto len = r.read_int();
  if (r.failed() || key_id != 0 || len < 0 || static_cast<std::size_t>(len) != r.remaining()) {
    return core::Error::invalid("bad_plain_message", "not a well-formed unencrypted message");
  }
  auto body = r.read_rest();
  return PlainEnvelope{msg_id, tl::Bytes(body.begin(), body.end())};
}

std::int64_t payload_auth_key_id(tl::ByteSpan payload) {
  if (payload.size() < 8) {
    return 0;
  }
  tl::Reader r(payload.first(8));
  return r.read_long();
}

tl::Bytes build_container(const std::vector<InnerMessage>& messages) {
  tl::Writer w;
  w.write_uint32(tl::MsgContainer::kId);
  w.write_int(static_cast<std::int32_t>(messages.size()));
  for (const auto& m : messages) {
    w.write_long(m.msg_id);
    w.write_int(m.seq_no);
    w.write_int(static_cast<std::int32_t>(m.body.size()));
    w.write_raw(m.body);
  }
  return w.take();
}

core::Result<std::vector<InnerMessage>> parse_container(tl::ByteSpan body) {
  tl::Reader r(body);
  r.expect_id(tl::MsgContainer::kId, "msg_container");
  auto count = r.read_count(16);
  if (r.failed() || count > kMaxContainerMessages) {
    return core::Error::invalid("bad_container", "malformed msg_container");
  }
  std::vector<InnerMessage> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    InnerMessage m;
    m.msg_id = r.read_long();
    m.seq_no = r.read_int();
    auto len = r.read_int();
    if (r.failed() || len < 4 || len % 4 != 0 || static_cast<std::size_t>(len) > r.remaining()) {
      return core::Error::invalid("bad_container", "a container message overruns its container");
    }
    auto bytes = r.read_raw(static_cast<std::size_t>(len));
    m.body.assign(bytes.begin(), bytes.end());
    out.push_back(std::move(m));
  }
  return out;
}

tl::Bytes gzip_pack(tl::ByteSpan data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper, as Telegram and Telethon use.
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  tl::Bytes out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  tl::Writer w;
  w.write_uint32(tl::GzipPacked::kId);
  w.write_bytes(out);
  return w.take();
}

core::Result<tl::Bytes> gzip_unpack(tl::ByteSpan body, std::size_t max_output) {
  tl::Reader r(body);
  r.expect_id(tl::GzipPacked::kId, "gzip_packed");
  auto packed = r.read_bytes();
  if (r.failed()) {
    return core::Error::invalid("bad_gzip", "malformed gzip_packed");
  }
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {  // + 32: gzip or zlib header, detected
    return core::Error::internal("inflateInit failed");
  }
  zs.next_in = packed.data();
  zs.avail_in = static_cast<uInt>(packed.size());
  tl::Bytes out;
  std::array<std::uint8_t, 16384> chunk{};
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = chunk.data();
    zs.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return core::Error::invalid("bad_gzip", "gzip_packed does not inflate");
    }
    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - zs.avail_out));
    if (out.size() > max_output) {
      inflateEnd(&zs);
      return core::Error::invalid("bad_gzip", "gzip_packed inflates beyond the limit");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return core::Error::invalid("bad_gzip", "gzip_packed is truncated");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::uint32_t constructor_of(tl::ByteSpan body) {
  if (body.size() < 4) {
    return 0;
  }
  tl::Reader r(body.first(4));
  return r.read_uint32();
}

std::int64_t MsgIdSource::now_seconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch())
             .count() +
         offset_s_;
}

std::int64_t MsgIdSource::next(Kind kind) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now().time_since_epoch())
                .count() +
            offset_s_ * 1'000'000'000;
  std::int64_t secs = ns / 1'000'000'000;
  std::int64_t frac = ns % 1'000'000'000;
  // The low 32 bits are a fraction of a second; the low two bits say who sent what.
  std::int64_t id = (secs << 32) | ((frac * 4294967296LL / 1'000'000'000) & 0xfffffffcLL);
  std::int64_t rem = kind == Kind::kClient ? 0 : kind == Kind::kServerResponse ? 1 : 3;
  id = (id & ~std::int64_t{3}) | rem;
  if (id <= last_) {
    id = ((last_ + 4) & ~std::int64_t{3}) | rem;
  }
  last_ = id;
  return id;
}

}  // namespace hqadz::telegram
