#include "telegram/tlgen/tl_schema.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace hqadz::telegram::tlgen {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string tok;
  while (in >> tok) {
    out.push_back(tok);
  }
  return out;
}

[[noreturn]] void fail(int line_no, const std::string& what) {
  throw std::runtime_error("schema line " + std::to_string(line_no) + ": " + what);
}

bool is_flag_true(const std::string& tok) {
  // name:flagsN.B?true
  auto colon = tok.find(':');
  auto q = tok.find('?');
  return colon != std::string::npos && q != std::string::npos &&
         tok.compare(colon + 1, 5, "flags") == 0 && tok.substr(q + 1) == "true";
}

Combinator parse_line(std::string_view line, int line_no, bool is_function) {
  Combinator c;
  c.line = std::string(line);
  c.line_no = line_no;
  c.is_function = is_function;
  auto body = line;
  if (body.back() != ';') {
    fail(line_no, "missing ';'");
  }
  body.remove_suffix(1);
  auto eq = body.rfind(" = ");
  if (eq == std::string_view::npos) {
    fail(line_no, "missing ' = '");
  }
  c.result = std::string(trim(body.substr(eq + 3)));
  auto toks = split_ws(body.substr(0, eq));
  if (toks.empty()) {
    fail(line_no, "empty combinator");
  }
  const auto& head = toks[0];
  auto hash = head.find('#');
  c.name = head.substr(0, hash);
  if (hash != std::string::npos) {
    c.has_id = true;
    c.id = static_cast<std::uint32_t>(std::stoul(head.substr(hash + 1), nullptr, 16));
  }
  for (std::size_t i = 1; i < toks.size(); ++i) {
    const auto& tok = toks[i];
    if (tok.front() == '{') {
      // {X:Type}
      auto colon = tok.find(':');
      c.params.push_back(tok.substr(1, colon - 1));
      continue;
    }
    auto colon = tok.find(':');
    if (colon == std::string::npos) {
      fail(line_no, "argument without type: " + tok);
    }
    Arg a;
    a.name = tok.substr(0, colon);
    std::string type = tok.substr(colon + 1);
    auto q = type.find('?');
    if (q != std::string::npos) {
      auto cond = type.substr(0, q);
      auto dot = cond.find('.');
      if (dot == std::string::npos) {
        fail(line_no, "bad condition: " + cond);
      }
      a.cond_field = cond.substr(0, dot);
      a.cond_bit = std::stoi(cond.substr(dot + 1));
      if (a.cond_bit < 0 || a.cond_bit > 31) {
        fail(line_no, "flag bit out of range: " + cond);
      }
      type = type.substr(q + 1);
    }
    a.type = parse_type(type, c.params);
    c.args.push_back(std::move(a));
  }
  return c;
}

}  // namespace

TypeRef parse_type(std::string_view text, const std::vector<std::string>& params) {
  using K = TypeRef::Kind;
  TypeRef t;
  std::string s(text);
  if (s.empty()) {
    throw std::runtime_error("empty type");
  }
  if (s == "#") {
    t.kind = K::kNat;
  } else if (s == "int") {
    t.kind = K::kInt;
  } else if (s == "long") {
    t.kind = K::kLong;
  } else if (s == "double") {
    t.kind = K::kDouble;
  } else if (s == "int128") {
    t.kind = K::kInt128;
  } else if (s == "int256") {
    t.kind = K::kInt256;
  } else if (s == "string") {
    t.kind = K::kString;
  } else if (s == "bytes") {
    t.kind = K::kBytes;
  } else if (s == "true") {
    t.kind = K::kTrue;
  } else if (s == "Bool") {
    t.kind = K::kBool;
  } else if (s.front() == '!' || s == "Object" ||
             std::find(params.begin(), params.end(), s) != params.end()) {
    t.kind = K::kAny;
    t.name = s;
  } else if (s.starts_with("Vector<") || s.starts_with("vector<")) {
    if (s.back() != '>') {
      throw std::runtime_error("bad vector type: " + s);
    }
    t.kind = s.front() == 'V' ? K::kVector : K::kBareVector;
    t.elem = std::make_shared<TypeRef>(parse_type(s.substr(7, s.size() - 8), params));
  } else if (s.front() == '%') {
    t.kind = K::kBare;
    t.name = s.substr(1);
  } else {
    auto last = split_namespace(s).second;
    t.kind = std::islower(static_cast<unsigned char>(last.front())) != 0 ? K::kBare : K::kBoxed;
    t.name = s;
  }
  return t;
}

Schema parse_schema(std::string_view text, bool lenient) {
  Schema schema;
  bool functions = false;
  bool id_only_next = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      nl = text.size();
    }
    auto line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty()) {
      continue;
    }
    if (line.starts_with("//")) {
      auto comment = trim(line.substr(2));
      if (comment.starts_with("LAYER ")) {
        schema.layer = std::stoi(std::string(comment.substr(6)));
      } else if (comment == "@tlgen id-only") {
        id_only_next = true;
      }
      continue;
    }
    if (line == "---functions---") {
      functions = true;
      continue;
    }
    if (line == "---types---") {
      functions = false;
      continue;
    }
    auto first_space = line.find(' ');
    auto head = line.substr(0, first_space);
    bool has_id = head.find('#') != std::string_view::npos;
    // The vector line is TL's own definition of Vector, not a combinator we can generate.
    bool builtin_vector = head.starts_with("vector#");
    if (builtin_vector) {
      schema.vector_id = static_cast<std::uint32_t>(
          std::stoul(std::string(head.substr(head.find('#') + 1)), nullptr, 16));
      continue;
    }
    if (!has_id) {
      if (lenient) {
        continue;
      }
      fail(line_no, "combinator without id: " + std::string(line));
    }
    auto c = parse_line(line, line_no, functions);
    c.id_only = id_only_next;
    id_only_next = false;
    schema.items.push_back(std::move(c));
    if (pos > text.size()) {
      break;
    }
  }
  return schema;
}

std::uint32_t inferred_id(std::string_view line) {
  std::string body(trim(line));
  if (!body.empty() && body.back() == ';') {
    body.pop_back();
  }
  auto toks = split_ws(body);
  std::string norm;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    std::string tok = toks[i];
    if (i == 0) {
      tok = tok.substr(0, tok.find('#'));
    } else if (is_flag_true(tok)) {
      continue;
    }
    for (const char* from : {":bytes", "?bytes"}) {
      if (tok.ends_with(from)) {
        tok = tok.substr(0, tok.size() - 5) + "string";
      }
    }
    std::string cleaned;
    for (char ch : tok) {
      if (ch == '<') {
        cleaned += ' ';
      } else if (ch != '>' && ch != '{' && ch != '}') {
        cleaned += ch;
      }
    }
    if (!norm.empty()) {
      norm += ' ';
    }
    norm += cleaned;
  }
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(norm.data()), static_cast<uInt>(norm.size())));
}

std::pair<std::string, std::string> split_namespace(const std::string& name) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos) {
    return {"", name};
  }
  return {name.substr(0, dot), name.substr(dot + 1)};
}

std::string pascal_case(std::string_view name) {
  std::string out;
  bool upper = true;
  for (char ch : name) {
    if (ch == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return out;
}

}  // namespace hqadz::telegram::tlgen
