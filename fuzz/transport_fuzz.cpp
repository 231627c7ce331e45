// libFuzzer target: the transport framings (src/telegram/transport), as the bytes a socket
// delivers. Byte 0 picks the framing (bit 0: full / intermediate), the decoding side (bit 1:
// client reading a server, or server reading a client, which expects the intermediate tag) and
// the payload cap (bits 2-3); byte 1 seeds the sizes of the reads; the rest is the stream.
// Properties: never crashes; reading the stream in pieces of any size yields exactly what
// reading it at once yields; every frame delivered, encoded again by the other side, decodes to
// the same frame.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "telegram/transport/codec.hpp"

namespace tr = hqadz::telegram::transport;
namespace tl = hqadz::telegram::tl;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "transport_fuzz: property violated: %s\n", what);
  std::abort();
}

// What a decoder produced: frames (a payload or a server error code) and how it stopped.
struct Outcome {
  std::vector<tl::Bytes> payloads;  // a server error is kept as its 4 bytes
  std::vector<bool> is_server_error;
  std::optional<tr::CodecError> broken;  // the error that ended the stream, if any

  bool operator==(const Outcome&) const = default;
};

// Drains every frame available now; false once the stream is broken.
bool drain(tr::Codec& codec, Outcome& out) {
  for (int guard = 0; guard < 1 << 20; ++guard) {
    auto next = codec.next();
    if (!next.ok()) {
      if (next.error().errc == tr::CodecErrc::kServerError) {
        if (next.error().server_code >= 0) {
          fail("server error with a non-negative code");
        }
        tl::Bytes code(4);
        const auto v = static_cast<std::uint32_t>(next.error().server_code);
        for (int i = 0; i < 4; ++i) {
          code[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
        }
        out.payloads.push_back(code);
        out.is_server_error.push_back(true);
        continue;
      }
      out.broken = next.error();
      return false;
    }
    if (!next->has_value()) {
      return true;
    }
    out.payloads.push_back(std::move(**next));
    out.is_server_error.push_back(false);
  }
  fail("next() never stops");
}

struct Setup {
  tr::Framing framing;
  tr::Role role;
  std::size_t max_payload;
};

Outcome decode(const Setup& s, tl::ByteSpan stream, std::uint8_t chunk_seed) {
  auto codec = tr::make_codec(s.framing, s.role, s.max_payload);
  Outcome out;
  if (chunk_seed == 0) {
    codec->feed(stream);
    drain(*codec, out);
    return out;
  }
  std::size_t pos = 0;
  std::uint32_t x = chunk_seed;
  while (pos < stream.size()) {
    x = x * 1103515245u + 12345u;
    const std::size_t n = std::min<std::size_t>(stream.size() - pos, 1 + (x >> 16) % 23);
    codec->feed(stream.subspan(pos, n));
    pos += n;
    if (!drain(*codec, out)) {
      break;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  static constexpr std::size_t kCaps[] = {tr::kDefaultMaxPayload, 16, 64, 1024};
  const Setup s{(data[0] & 1) != 0 ? tr::Framing::kIntermediate : tr::Framing::kFull,
                (data[0] & 2) != 0 ? tr::Role::kServer : tr::Role::kClient,
                kCaps[(data[0] >> 2) & 3]};
  const tl::ByteSpan stream(data + 2, size - 2);

  const Outcome whole = decode(s, stream, 0);
  const Outcome pieces = decode(s, stream, data[1] == 0 ? 1 : data[1]);
  if (!(whole == pieces)) {
    fail("pieces and whole stream decode differently");
  }

  // The peer's encoder makes a stream that decodes to the same frames, with no error.
  auto encoder = tr::make_codec(
      s.framing, s.role == tr::Role::kServer ? tr::Role::kClient : tr::Role::kServer);
  tl::Bytes again;
  for (std::size_t i = 0; i < whole.payloads.size(); ++i) {
    const auto& p = whole.payloads[i];
    if (p.size() % 4 != 0) {
      fail("a delivered payload is not a multiple of 4 bytes");
    }
    if (p.size() > s.max_payload) {
      fail("a delivered payload exceeds the cap");
    }
    tl::Bytes bytes = encoder->encode(p);
    again.insert(again.end(), bytes.begin(), bytes.end());
  }
  Outcome re = decode(s, again, 0);
  Outcome expected = whole;
  expected.broken.reset();
  if (!(re == expected)) {
    fail("re-encoded frames decode differently");
  }
  return 0;
}
