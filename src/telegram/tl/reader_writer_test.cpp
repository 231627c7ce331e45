#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "telegram/tl/reader.hpp"
#include "telegram/tl/writer.hpp"

namespace hqadz::telegram::tl {
namespace {

TEST(TlWriter, IntegersAreLittleEndian) {
  Writer w;
  w.write_int(-2);
  w.write_long(0x0102030405060708);
  EXPECT_EQ(to_hex(w.data()), "feffffff0807060504030201");
}

TEST(TlWriter, ShortStringsUseOneByteLengthAndPad) {
  Writer w;
  w.write_string("abc");
  EXPECT_EQ(to_hex(w.data()), "03616263");
  Writer w2;
  w2.write_string("abcd");
  EXPECT_EQ(to_hex(w2.data()), "0461626364000000");
  Writer w3;
  w3.write_string("");
  EXPECT_EQ(to_hex(w3.data()), "00000000");
}

TEST(TlWriter, LongStringsUseFourByteHeader) {
  std::string s(300, 'x');
  Writer w;
  w.write_string(s);
  ASSERT_EQ(w.data().size(), 4u + 300u);
  EXPECT_EQ(to_hex(ByteSpan(w.data()).first(4)), "fe2c0100");
  Reader r(w.data());
  EXPECT_EQ(r.read_string(), s);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(TlReader, RoundTripsEveryPrimitive) {
  Writer w;
  Int128 i128{};
  Int256 i256{};
  for (std::size_t i = 0; i < i256.size(); ++i) {
    i256[i] = static_cast<std::uint8_t>(i);
    if (i < i128.size()) {
      i128[i] = static_cast<std::uint8_t>(255 - i);
    }
  }
  w.write_int(std::numeric_limits<std::int32_t>::min());
  w.write_long(-1);
  w.write_double(3.25);
  w.write_int128(i128);
  w.write_int256(i256);
  w.write_bytes(Bytes{1, 2, 3, 4, 5});
  Reader r(w.data());
  EXPECT_EQ(r.read_int(), std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(r.read_long(), -1);
  EXPECT_EQ(r.read_double(), 3.25);
  EXPECT_EQ(r.read_int128(), i128);
  EXPECT_EQ(r.read_int256(), i256);
  EXPECT_EQ(r.read_bytes(), (Bytes{1, 2, 3, 4, 5}));
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(TlReader, TruncationIsStickyAndReturnsZeros) {
  Bytes data{1, 2, 3};
  Reader r(data);
  EXPECT_EQ(r.read_int(), 0);
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.error().code, "tl_truncated");
  EXPECT_EQ(r.read_long(), 0);
  EXPECT_EQ(r.error().code, "tl_truncated");
}

TEST(TlReader, StringLengthIsNotTrusted) {
  // Claims 0x00ffffff bytes, holds 4.
  Bytes data{0xfe, 0xff, 0xff, 0xff, 1, 2, 3, 4};
  Reader r(data);
  EXPECT_TRUE(r.read_bytes().empty());
  EXPECT_TRUE(r.failed());
  Bytes bad{0xff, 0, 0, 0};
  Reader r2(bad);
  r2.read_bytes();
  EXPECT_EQ(r2.error().code, "tl_bad_length");
  // Padding must be present too.
  Bytes unpadded{3, 'a', 'b', 'c', 4, 'a'};
  Reader r3(ByteSpan(unpadded).first(5));
  EXPECT_EQ(r3.read_string(), "abc");
  r3.read_string();
  EXPECT_TRUE(r3.failed());
}

TEST(TlReader, VectorCountIsBoundedByRemainingBytes) {
  Writer w;
  w.write_int(1'000'000);
  w.write_long(1);
  Reader r(w.data());
  EXPECT_EQ(r.read_count(8), 0u);
  EXPECT_EQ(r.error().code, "tl_bad_length");
  Writer w2;
  w2.write_int(-1);
  Reader r2(w2.data());
  r2.read_count(4);
  EXPECT_TRUE(r2.failed());
}

TEST(TlReader, DepthGuard) {
  Reader r(Bytes{});
  for (int i = 0; i < Reader::kMaxDepth; ++i) {
    ASSERT_TRUE(r.enter());
  }
  EXPECT_FALSE(r.enter());
  EXPECT_EQ(r.error().code, "tl_too_deep");
}

TEST(TlBytes, Hex) {
  EXPECT_EQ(from_hex("00ffA0"), (Bytes{0x00, 0xff, 0xa0}));
  EXPECT_TRUE(from_hex("0g").empty());
  EXPECT_TRUE(from_hex("abc").empty());
}

}  // namespace
}  // namespace hqadz::telegram::tl
