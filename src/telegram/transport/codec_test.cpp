#include "telegram/transport/codec.hpp"

#include <gtest/gtest.h>

namespace hqadz::telegram::transport {
namespace {

tl::Bytes payload(std::size_t n, std::uint8_t fill = 0xab) { return tl::Bytes(n, fill); }

// Feeds `bytes` one at a time and collects every frame.
std::vector<tl::Bytes> drip(Codec& c, const tl::Bytes& bytes) {
  std::vector<tl::Bytes> out;
  for (auto b : bytes) {
    c.feed(tl::Bytes{b});
    for (;;) {
      auto r = c.next();
      EXPECT_TRUE(r.ok());
      if (!r.ok() || !r->has_value()) {
        break;
      }
      out.push_back(**r);
    }
  }
  return out;
}

TEST(FullCodec, LayoutMatchesTheSpec) {
  FullCodec c;
  auto wire = c.encode(tl::Bytes{1, 2, 3, 4});
  // len 16, seq 0, payload, crc32 over the first 12 bytes
  EXPECT_EQ(tl::to_hex(tl::ByteSpan(wire).first(12)), "100000000000000001020304");
  EXPECT_EQ(wire.size(), 16u);
  auto second = c.encode(tl::Bytes{1, 2, 3, 4});
  EXPECT_EQ(second[4], 1);  // seq 1
}

TEST(FullCodec, RoundTripsAcrossArbitrarySplits) {
  FullCodec sender;
  FullCodec receiver;
  tl::Bytes stream;
  for (std::size_t n : {4u, 8u, 100u, 1024u}) {
    auto f = sender.encode(payload(n, static_cast<std::uint8_t>(n)));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  auto frames = drip(receiver, stream);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[2], payload(100, 100));
}

TEST(FullCodec, DetectsCorruptionReorderingAndOversize) {
  FullCodec sender;
  auto f0 = sender.encode(payload(8));
  auto f1 = sender.encode(payload(8));
  {
    FullCodec r;
    auto bad = f0;
    bad[10] ^= 1;
    r.feed(bad);
    EXPECT_EQ(r.next().error().errc, CodecErrc::kBadCrc);
  }
  {
    FullCodec r;
    r.feed(f1);  // seq 1 before seq 0
    EXPECT_EQ(r.next().error().errc, CodecErrc::kBadSeq);
  }
  {
    FullCodec r(64);
    FullCodec big_sender;
    r.feed(big_sender.encode(payload(68)));
    EXPECT_EQ(r.next().error().errc, CodecErrc::kFrameTooLong);
  }
  {
    FullCodec r;
    r.feed(tl::Bytes{0xfc, 0xff, 0xff, 0x7f});  // claims 2 GiB: refused before any allocation
    EXPECT_EQ(r.next().error().errc, CodecErrc::kFrameTooLong);
    FullCodec r2;
    r2.feed(tl::Bytes{13, 0, 0, 0});
    EXPECT_EQ(r2.next().error().errc, CodecErrc::kBadLength);
  }
}

TEST(FullCodec, TransportErrorCodes) {
  FullCodec server;
  FullCodec client;
  client.feed(server.encode_error(-404));
  auto r = client.next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), (CodecError{CodecErrc::kServerError, -404}));
  // A positive 4-byte payload is an ordinary frame.
  client.feed(server.encode(tl::Bytes{1, 0, 0, 0}));
  auto ok = client.next();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(**ok, (tl::Bytes{1, 0, 0, 0}));
}

TEST(IntermediateCodec, ClientSendsTagOnce) {
  IntermediateCodec client(Role::kClient);
  auto first = client.encode(tl::Bytes{1, 2, 3, 4});
  EXPECT_EQ(tl::to_hex(first), "eeeeeeee0400000001020304");
  auto second = client.encode(tl::Bytes{5, 6, 7, 8});
  EXPECT_EQ(tl::to_hex(second), "0400000005060708");
  IntermediateCodec server(Role::kServer);
  tl::Bytes stream = first;
  stream.insert(stream.end(), second.begin(), second.end());
  auto frames = drip(server, stream);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1], (tl::Bytes{5, 6, 7, 8}));
}

TEST(IntermediateCodec, ErrorsAndCaps) {
  IntermediateCodec server(Role::kServer);
  server.feed(tl::Bytes{0xef, 0, 0, 0});
  EXPECT_EQ(server.next().error().errc, CodecErrc::kBadTag);

  IntermediateCodec client(Role::kClient, 16);
  IntermediateCodec srv(Role::kServer);
  client.feed(srv.encode(payload(20)));
  EXPECT_EQ(client.next().error().errc, CodecErrc::kFrameTooLong);

  IntermediateCodec c2(Role::kClient);
  c2.feed(srv.encode_error(-429));
  EXPECT_EQ(c2.next().error(), (CodecError{CodecErrc::kServerError, -429}));
  IntermediateCodec c3(Role::kClient);
  c3.feed(tl::Bytes{6, 0, 0, 0, 1, 2, 3, 4, 5, 6});
  EXPECT_EQ(c3.next().error().errc, CodecErrc::kBadLength);
}

TEST(Codec, Factory) {
  auto c = make_codec(Framing::kIntermediate, Role::kClient);
  EXPECT_EQ(c->encode(tl::Bytes{}).size(), 8u);
  auto f = make_codec(Framing::kFull, Role::kClient);
  EXPECT_EQ(f->encode(tl::Bytes{}).size(), 12u);
}

}  // namespace
}  // namespace hqadz::telegram::transport
