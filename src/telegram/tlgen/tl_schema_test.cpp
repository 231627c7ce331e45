#include "telegram/tlgen/tl_schema.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace hqadz::telegram::tlgen {
namespace {

std::string read_schema(const std::string& name) {
  std::ifstream in(std::string(HQADZ_TG_SCHEMA_DIR) + "/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(TlSchema, ParsesFlagsVectorsAndGenerics) {
  auto s = parse_schema(
      "// LAYER 7\n"
      "vector#1cb5c415 {t:Type} # [ t ] = Vector t;\n"
      "a#00000001 flags:# x:flags.3?true y:flags.3?Vector<long> z:%B = A;\n"
      "---functions---\n"
      "f#00000002 {X:Type} q:!X = X;\n",
      false);
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.layer, 7);
  EXPECT_EQ(s.vector_id, 0x1cb5c415u);
  const auto& a = s.items[0];
  EXPECT_EQ(a.args.size(), 4u);
  EXPECT_EQ(a.args[1].cond_field, "flags");
  EXPECT_EQ(a.args[1].cond_bit, 3);
  EXPECT_EQ(a.args[2].type.kind, TypeRef::Kind::kVector);
  EXPECT_EQ(a.args[2].type.elem->kind, TypeRef::Kind::kLong);
  EXPECT_EQ(a.args[3].type.kind, TypeRef::Kind::kBare);
  EXPECT_TRUE(s.items[1].is_function);
  EXPECT_EQ(s.items[1].args[0].type.kind, TypeRef::Kind::kAny);
}

TEST(TlSchema, RejectsMalformedLines) {
  EXPECT_THROW(parse_schema("a#1 x = A\n", false), std::runtime_error);
  EXPECT_THROW(parse_schema("a x:int = A;\n", false), std::runtime_error);
  EXPECT_NO_THROW(parse_schema("a x:int = A;\n", true));
}

TEST(TlSchema, Naming) {
  EXPECT_EQ(pascal_case("p_q_inner_data_dc"), "PQInnerDataDc");
  EXPECT_EQ(pascal_case("forwardMessages"), "ForwardMessages");
  EXPECT_EQ(split_namespace("messages.forwardMessages").first, "messages");
}

// The ids written in our typed schema must be the ones TL derives from the lines; this catches
// an edited or mistyped line.
TEST(TlSchema, TypedIdsMatchTheirLines) {
  for (const char* file : {"api.tl", "mtproto.tl"}) {
    auto s = parse_schema(read_schema(file), false);
    ASSERT_FALSE(s.items.empty()) << file;
    for (const auto& c : s.items) {
      EXPECT_EQ(inferred_id(c.line), c.id) << file << ": " << c.line;
    }
  }
}

TEST(TlSchema, WholeLayerParsesAndMostIdsMatch) {
  auto s = parse_schema(read_schema("layer144/api.tl"), true);
  EXPECT_EQ(s.layer, 144);
  std::size_t mismatched = 0;
  for (const auto& c : s.items) {
    mismatched += inferred_id(c.line) != c.id ? 1 : 0;
  }
  EXPECT_GT(s.items.size(), 1400u);
  EXPECT_EQ(mismatched, 0u);
}

}  // namespace
}  // namespace hqadz::telegram::tlgen
