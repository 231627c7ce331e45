#include "core/raw_json.hpp"

#include <cstdint>

namespace hqadz::core {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  Parser(std::string_view s, RawJsonLimits limits) : s_(s), limits_(limits) {}

  std::optional<RawJson> document() {
    RawJson v;
    skip_ws();
    if (!value(v, 0)) {
      return std::nullopt;
    }
    skip_ws();
    if (pos_ != s_.size()) {
      return std::nullopt;
    }
    return v;
  }

  /// Decodes a string token (with quotes); false on a bad escape or bad UTF-8.
  static bool decode_string(std::string_view token, std::string& out) {
    Parser p(token, {});
    std::string raw;
    if (!p.string_token(raw, &out) || p.pos_ != token.size()) {
      return false;
    }
    return true;
  }

 private:
  bool eof() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }

  void skip_ws() {
    while (!eof() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++pos_;
    }
  }

  bool value(RawJson& v, size_t depth) {
    if (eof() || depth > limits_.max_depth) {
      return false;
    }
    const char c = peek();
    if (c == '{') {
      return object(v, depth);
    }
    if (c == '[') {
      return array(v, depth);
    }
    if (c == '"') {
      v.kind = RawJson::Kind::kString;
      return string_token(v.token, nullptr);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = RawJson::Kind::kNumber;
      return number(v.token);
    }
    for (auto [word, kind] : {std::pair{std::string_view("true"), RawJson::Kind::kBool},
                              std::pair{std::string_view("false"), RawJson::Kind::kBool},
                              std::pair{std::string_view("null"), RawJson::Kind::kNull}}) {
      if (s_.substr(pos_, word.size()) == word) {
        v.kind = kind;
        v.token = std::string(word);
        pos_ += word.size();
        return true;
      }
    }
    return false;
  }

  bool object(RawJson& v, size_t depth) {
    v.kind = RawJson::Kind::kObject;
    ++pos_;  // {
    skip_ws();
    if (!eof() && peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_ws();
      if (eof() || peek() != '"') {
        return false;
      }
      RawJson::Member m;
      if (!string_token(m.token, &m.name)) {
        return false;
      }
      for (const auto& other : v.members) {
        if (other.name == m.name) {
          return false;  // duplicate keys make the meaning ambiguous
        }
      }
      skip_ws();
      if (eof() || peek() != ':') {
        return false;
      }
      ++pos_;
      skip_ws();
      if (!value(m.value, depth + 1)) {
        return false;
      }
      v.members.push_back(std::move(m));
      skip_ws();
      if (eof()) {
        return false;
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      return false;
    }
  }

  bool array(RawJson& v, size_t depth) {
    v.kind = RawJson::Kind::kArray;
    ++pos_;  // [
    skip_ws();
    if (!eof() && peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_ws();
      RawJson e;
      if (!value(e, depth + 1)) {
        return false;
      }
      v.elements.push_back(std::move(e));
      skip_ws();
      if (eof()) {
        return false;
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      return false;
    }
  }

  bool digits() {
    const size_t start = pos_;
    while (!eof() && peek() >= '0' && peek() <= '9') {
      ++pos_;
    }
    return pos_ > start;
  }

  bool number(std::string& token) {
    const size_t start = pos_;
    if (peek() == '-') {
      ++pos_;
    }
    if (eof()) {
      return false;
    }
    if (peek() == '0') {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (!eof() && peek() == '.') {
      ++pos_;
      if (!digits()) {
        return false;
      }
    }
    if (!eof() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!eof() && (peek() == '+' || peek() == '-')) {
        ++pos_;
      }
      if (!digits()) {
        return false;
      }
    }
    token = std::string(s_.substr(start, pos_ - start));
    return true;
  }

  bool hex4(uint32_t& out) {
    if (pos_ + 4 > s_.size()) {
      return false;
    }
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9') {
        out |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        out |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        out |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  /// Checks one UTF-8 sequence starting at pos_ and copies it to `decoded`.
  bool utf8_sequence(std::string* decoded) {
    const auto b0 = static_cast<unsigned char>(peek());
    size_t len = 0;
    uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return false;
    }
    if (pos_ + len > s_.size()) {
      return false;
    }
    for (size_t i = 1; i < len; ++i) {
      const auto b = static_cast<unsigned char>(s_[pos_ + i]);
      if ((b & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    if (decoded != nullptr) {
      decoded->append(s_.substr(pos_, len));
    }
    pos_ += len;
    return true;
  }

  bool string_token(std::string& token, std::string* decoded) {
    const size_t start = pos_;
    ++pos_;  // opening quote
    while (true) {
      if (eof()) {
        return false;
      }
      const char c = peek();
      if (c == '"') {
        ++pos_;
        break;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      }
      if (c == '\\') {
        ++pos_;
        if (eof()) {
          return false;
        }
        const char e = s_[pos_++];
        char plain = 0;
        switch (e) {
          case '"': plain = '"'; break;
          case '\\': plain = '\\'; break;
          case '/': plain = '/'; break;
          case 'b': plain = '\b'; break;
          case 'f': plain = '\f'; break;
          case 'n': plain = '\n'; break;
          case 'r': plain = '\r'; break;
          case 't': plain = '\t'; break;
          case 'u': {
            uint32_t cp = 0;
            if (!hex4(cp)) {
              return false;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              uint32_t lo = 0;
              if (s_.substr(pos_, 2) != "\\u") {
                return false;
              }
              pos_ += 2;
              if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) {
                return false;
              }
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              return false;
            }
            if (decoded != nullptr) {
              append_utf8(*decoded, cp);
            }
            continue;
          }
          default:
            return false;
        }
        if (decoded != nullptr) {
          *decoded += plain;
        }
        continue;
      }
      if (static_cast<unsigned char>(c) >= 0x80) {
        if (!utf8_sequence(decoded)) {
          return false;
        }
        continue;
      }
      if (decoded != nullptr) {
        *decoded += c;
      }
      ++pos_;
    }
    token = std::string(s_.substr(start, pos_ - start));
    return true;
  }

  std::string_view s_;
  RawJsonLimits limits_;
  size_t pos_ = 0;
};

void write(const RawJson& v, std::string& out) {
  switch (v.kind) {
    case RawJson::Kind::kObject:
      out += '{';
      for (size_t i = 0; i < v.members.size(); ++i) {
        if (i > 0) {
          out += ',';
        }
        out += v.members[i].token;
        out += ':';
        write(v.members[i].value, out);
      }
      out += '}';
      return;
    case RawJson::Kind::kArray:
      out += '[';
      for (size_t i = 0; i < v.elements.size(); ++i) {
        if (i > 0) {
          out += ',';
        }
        write(v.elements[i], out);
      }
      out += ']';
      return;
    default:
      out += v.token;
  }
}

}  // namespace

const RawJson* RawJson::find(std::string_view key) const {
  for (const auto& m : members) {
    if (m.name == key) {
      return &m.value;
    }
  }
  return nullptr;
}

std::optional<std::string> RawJson::string_value() const {
  if (kind != Kind::kString) {
    return std::nullopt;
  }
  std::string out;
  if (!Parser::decode_string(token, out)) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> RawJson::scalar_text() const {
  if (kind == Kind::kNumber) {
    return token;
  }
  return string_value();
}

std::optional<RawJson> parse_raw_json(std::string_view text, RawJsonLimits limits) {
  if (text.size() > limits.max_bytes) {
    return std::nullopt;
  }
  return Parser(text, limits).document();
}

std::string write_raw_json(const RawJson& value) {
  std::string out;
  write(value, out);
  return out;
}

}  // namespace hqadz::core
