// How TL types map to C++ types, reads and writes in generated code.
#include <set>
#include <stdexcept>

#include "telegram/tlgen/model.hpp"

namespace hqadz::telegram::tlgen {
namespace {

using K = TypeRef::Kind;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

}  // namespace

std::string Model::cpp_type(const TypeRef& t) const {
  switch (t.kind) {
    case K::kNat:
      return "std::uint32_t";
    case K::kInt:
      return "std::int32_t";
    case K::kLong:
      return "std::int64_t";
    case K::kDouble:
      return "double";
    case K::kInt128:
      return "tl::Int128";
    case K::kInt256:
      return "tl::Int256";
    case K::kString:
      return "std::string";
    case K::kBytes:
      return "tl::Bytes";
    case K::kTrue:
    case K::kBool:
      return "bool";
    case K::kVector:
    case K::kBareVector:
      return "std::vector<" + cpp_type(*t.elem) + ">";
    case K::kBoxed:
      if (auto it = wrappers_.find(t.name); it != wrappers_.end()) {
        return it->second.qualified;
      }
      if (auto it = single_.find(t.name); it != single_.end()) {
        return it->second->qualified;
      }
      if (full_type_index(t.name) >= 0) {
        return "tl::Opaque";
      }
      fail("type not in the layer schema: " + t.name);
    case K::kBare: {
      auto deps = deps_of_type(t);  // throws for unmodelled bare references
      return deps.front().substr(2);
    }
    case K::kAny:
      return "tl::RawObject";
  }
  fail("unreachable");
}

std::string Model::read_expr(const TypeRef& t) const {
  switch (t.kind) {
    case K::kNat:
      return "r.read_uint32()";
    case K::kInt:
      return "r.read_int()";
    case K::kLong:
      return "r.read_long()";
    case K::kDouble:
      return "r.read_double()";
    case K::kInt128:
      return "r.read_int128()";
    case K::kInt256:
      return "r.read_int256()";
    case K::kString:
      return "r.read_string()";
    case K::kBytes:
      return "r.read_bytes()";
    case K::kBool:
      return "read_bool(r)";
    case K::kTrue:
      fail("`true` outside a flag");
    case K::kVector:
    case K::kBareVector:
      return std::string(t.kind == K::kVector ? "read_boxed_vector<" : "read_bare_vector<") +
             cpp_type(*t.elem) + ">(r, " + std::to_string(min_size(*t.elem)) +
             ", [](tl::Reader& r) { return " + read_expr(*t.elem) + "; })";
    case K::kBoxed: {
      auto type = cpp_type(t);
      if (type == "tl::Opaque") {
        return "tl::Opaque::read(r, layer_tables(), " + std::to_string(full_type_index(t.name)) +
               ")";
      }
      return type + "::read(r)";
    }
    case K::kBare:
      return cpp_type(t) + "::read_bare(r)";
    case K::kAny:
      return "tl::RawObject::read(r)";
  }
  fail("unreachable");
}

std::string Model::write_stmts(const TypeRef& t, const std::string& value, int depth) const {
  switch (t.kind) {
    case K::kNat:
      return "w.write_uint32(" + value + ");";
    case K::kInt:
      return "w.write_int(" + value + ");";
    case K::kLong:
      return "w.write_long(" + value + ");";
    case K::kDouble:
      return "w.write_double(" + value + ");";
    case K::kInt128:
      return "w.write_int128(" + value + ");";
    case K::kInt256:
      return "w.write_int256(" + value + ");";
    case K::kString:
      return "w.write_string(" + value + ");";
    case K::kBytes:
      return "w.write_bytes(" + value + ");";
    case K::kBool:
      return "w.write_uint32(" + value + " ? kBoolTrueId : kBoolFalseId);";
    case K::kTrue:
      return "";
    case K::kVector:
    case K::kBareVector: {
      std::string var = "e" + std::to_string(depth);
      std::string out = t.kind == K::kVector ? "w.write_uint32(kVectorId); " : "";
      return out + "w.write_int(static_cast<std::int32_t>(" + value +
             ".size())); for (const auto& " + var + " : " + value + ") { " +
             write_stmts(*t.elem, var, depth + 1) + " }";
    }
    case K::kBoxed:
    case K::kAny:
      return value + ".serialize(w);";
    case K::kBare:
      return value + ".serialize_bare(w);";
  }
  fail("unreachable");
}

std::size_t Model::min_size(const TypeRef& t) {
  switch (t.kind) {
    case K::kLong:
    case K::kDouble:
      return 8;
    case K::kInt128:
      return 16;
    case K::kInt256:
      return 32;
    case K::kTrue:
    case K::kBare:
      return 0;
    default:
      return 4;
  }
}

std::string Model::return_type(const Combinator& fn) const {
  auto t = parse_type(fn.result, fn.params);
  if (t.kind == K::kAny) {
    return "";
  }
  return cpp_type(t);
}

std::string Model::member_name(const std::string& tl_name) {
  static const std::set<std::string> kReserved = {
      "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class",
      "concept", "const", "constexpr", "continue", "decltype", "default", "delete", "do", "double",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "nullptr",
      "operator", "or", "private", "protected", "public", "register", "requires", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "template", "this", "throw", "true", "try",
      "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
      "while", "xor",
      // members of generated structs
      "serialize", "serialize_bare", "parse", "parse_result", "read", "read_bare", "kId", "kName"};
  return kReserved.contains(tl_name) ? tl_name + "_" : tl_name;
}

}  // namespace hqadz::telegram::tlgen
