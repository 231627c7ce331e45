#include "http/multipart.hpp"

#include <gtest/gtest.h>

namespace hqadz::http {
namespace {

const std::string kB = "----hqadzBoundary7MA4YWxk";

std::string part(const std::string& disposition, const std::string& body,
                 const std::string& extra_headers = "") {
  return "--" + kB + "\r\nContent-Disposition: " + disposition + "\r\n" + extra_headers + "\r\n" +
         body + "\r\n";
}

std::string close() { return "--" + kB + "--\r\n"; }

TEST(MultipartBoundary, FromContentType) {
  EXPECT_EQ(*multipart_boundary("multipart/form-data; boundary=" + kB), kB);
  EXPECT_EQ(*multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(multipart_boundary("application/json").error().code, "unsupported_media_type");
  EXPECT_EQ(multipart_boundary("multipart/form-data").error().code, "bad_multipart");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=").error().code, "bad_multipart");
  EXPECT_EQ(
      multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')).error().code,
      "bad_multipart");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"unclosed").error().code,
            "bad_multipart");
}

TEST(Multipart, ParsesFieldsAndABinaryFile) {
  std::string binary("SQLite format 3\0\r\n--not-the-boundary\r\n\xff\x00", 40);
  const std::string body = "preamble to ignore\r\n" +
                           part("form-data; name=\"phone_number\"", "+15550100") +
                           part("form-data; name=\"file\"; filename=\"../../etc/passwd\"", binary,
                                "Content-Type: application/octet-stream\r\n") +
                           part("form-data; name=api_id", "123") + close() + "epilogue";
  auto parts = parse_multipart(body, kB);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "phone_number");
  EXPECT_EQ((*parts)[0].body, "+15550100");
  EXPECT_FALSE((*parts)[0].filename);
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].body, binary);
  EXPECT_EQ((*parts)[1].filename, "../../etc/passwd");
  EXPECT_EQ((*parts)[1].content_type, "application/octet-stream");
  EXPECT_EQ((*parts)[2].name, "api_id");
  EXPECT_EQ((*parts)[2].body, "123");
  EXPECT_EQ((*find_part(*parts, "file"))->body, binary);
  EXPECT_EQ(*find_part(*parts, "missing"), nullptr);
}

TEST(Multipart, EmptyValueAndQuotedEscapes) {
  const std::string body =
      part("form-data; name=\"a\\\"b\"; filename=\"x\\\\y.session\"", "") + close();
  auto parts = parse_multipart(body, kB);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  EXPECT_EQ((*parts)[0].name, "a\"b");
  EXPECT_EQ((*parts)[0].filename, "x\\y.session");
  EXPECT_EQ((*parts)[0].body, "");
}

TEST(Multipart, EachMalformationIsA400) {
  auto code = [](const std::string& body, MultipartLimits limits = {}) {
    auto r = parse_multipart(body, kB, limits);
    return r.ok() ? std::string("ok") : r.error().code + ": " + r.error().message;
  };
  const std::string good = part("form-data; name=\"a\"", "1") + close();
  EXPECT_EQ(code(good), "ok");
  EXPECT_NE(code("").find("first boundary is missing"), std::string::npos);
  EXPECT_NE(code("no boundary here").find("first boundary is missing"), std::string::npos);
  EXPECT_NE(code(good.substr(0, good.size() - 12)).find("not terminated"), std::string::npos);
  EXPECT_NE(code(part("form-data; name=\"a\"", "1")).find("not terminated"), std::string::npos);
  EXPECT_NE(code(part("form-data; name=\"a\"", "1") + "--" + kB).find("ends without"),
            std::string::npos);
  EXPECT_NE(code("--" + kB + "\r\nContent-Disposition: form-data; name=\"a\"\r\n")
                .find("headers never end"),
            std::string::npos);
  EXPECT_NE(code(part("attachment; name=\"a\"", "1") + close()).find("not form-data"),
            std::string::npos);
  EXPECT_NE(code(part("form-data; filename=\"f\"", "1") + close()).find("no field name"),
            std::string::npos);
  EXPECT_NE(code("--" + kB + "\r\nX-Other: 1\r\n\r\nv\r\n" + close()).find("no Content-Disp"),
            std::string::npos);
  EXPECT_NE(code("--" + kB + "\r\nbroken header\r\n\r\nv\r\n" + close()).find("malformed"),
            std::string::npos);
  EXPECT_NE(code("--" + kB + "--\r\n").find("no parts"), std::string::npos);
  EXPECT_NE(code("--" + kB + "junk\r\n").find("not followed by a line break"), std::string::npos);
  std::string many;
  for (int i = 0; i < 3; ++i) {
    many += part("form-data; name=\"f" + std::to_string(i) + "\"", "v");
  }
  EXPECT_NE(code(many + close(), {.max_parts = 2}).find("more than 2 parts"), std::string::npos);
  EXPECT_NE(code("--" + kB + "\r\nContent-Disposition: form-data; name=\"" +
                 std::string(10000, 'n') + "\"\r\n\r\nv\r\n" + close())
                .find("too long"),
            std::string::npos);
  EXPECT_NE(
      code(part("form-data; name=\"a\"; filename=\"unclosed", "v") + close()).find("not form-data"),
      std::string::npos);
}

TEST(Multipart, DuplicateFieldIsRefusedByFindPart) {
  auto parts = parse_multipart(
      part("form-data; name=\"a\"", "1") + part("form-data; name=\"a\"", "2") + close(), kB);
  ASSERT_TRUE(parts.ok());
  auto found = find_part(*parts, "a");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("sent twice"), std::string::npos);
}

TEST(Multipart, GarbageNeverCrashes) {
  std::string noise;
  uint32_t x = 12345;
  for (int round = 0; round < 300; ++round) {
    noise.clear();
    const std::string pieces[] = {"--" + kB, "\r\n", "--", "Content-Disposition: form-data; ",
                                  "name=\"", "\"",   ";",  "\r\n\r\n",
                                  "x",       "\\"};
    for (int i = 0; i < 40; ++i) {
      x = x * 1103515245 + 12345;
      noise += pieces[(x >> 16) % 10];
    }
    (void)parse_multipart(noise, kB);
  }
  SUCCEED();
}

}  // namespace
}  // namespace hqadz::http
