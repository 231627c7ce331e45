#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace hqadz::http {
namespace {

constexpr size_t kMaxBoundary = 70;  // RFC 2046

core::Error bad(const std::string& message) {
  return core::Error::invalid("bad_multipart", "multipart body: " + message);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

struct Param {
  std::string key;  // lower case
  std::string value;
};

/// `value; key=token; key="quoted \" string"` → the leading value and the parameters.
std::optional<std::pair<std::string, std::vector<Param>>> split_params(std::string_view s) {
  std::vector<Param> params;
  size_t i = s.find(';');
  std::string head = lower(trim(s.substr(0, i)));
  while (i != std::string_view::npos && i < s.size()) {
    ++i;  // past ';'
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
      ++i;
    }
    if (i >= s.size()) {
      break;
    }
    const size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) {
      return std::nullopt;
    }
    Param p;
    p.key = lower(trim(s.substr(i, eq - i)));
    i = eq + 1;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
      ++i;
    }
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        const char c = s[i++];
        if (c == '\\' && i < s.size()) {
          p.value += s[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          p.value += c;
        }
      }
      if (!closed) {
        return std::nullopt;
      }
      while (i < s.size() && s[i] != ';') {
        if (s[i] != ' ' && s[i] != '\t') {
          return std::nullopt;
        }
        ++i;
      }
    } else {
      const size_t end = s.find(';', i);
      p.value = std::string(trim(s.substr(i, end == std::string_view::npos ? end : end - i)));
      i = end;
    }
    if (p.key.empty()) {
      return std::nullopt;
    }
    params.push_back(std::move(p));
    if (i == std::string_view::npos) {
      break;
    }
  }
  return std::pair{std::move(head), std::move(params)};
}

const std::string* param(const std::vector<Param>& params, std::string_view key) {
  for (const auto& p : params) {
    if (p.key == key) {
      return &p.value;
    }
  }
  return nullptr;
}

core::Status parse_headers(std::string_view block, MultipartPart& part) {
  bool disposition = false;
  size_t pos = 0;
  while (pos < block.size()) {
    size_t end = block.find("\r\n", pos);
    if (end == std::string_view::npos) {
      end = block.size();
    }
    const std::string_view line = block.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) {
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return bad("a part header is malformed");
    }
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      auto parsed = split_params(value);
      if (!parsed || parsed->first != "form-data") {
        return bad("a part's Content-Disposition is not form-data");
      }
      const std::string* field = param(parsed->second, "name");
      if (field == nullptr || field->empty()) {
        return bad("a part has no field name");
      }
      part.name = *field;
      if (const std::string* f = param(parsed->second, "filename")) {
        part.filename = *f;
      }
      disposition = true;
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!disposition) {
    return bad("a part has no Content-Disposition header");
  }
  return core::ok_status();
}

}  // namespace

core::Result<std::string> multipart_boundary(std::string_view content_type) {
  if (lower(trim(content_type.substr(0, content_type.find(';')))) != "multipart/form-data") {
    return core::Error{core::Errc::kInvalidArgument, "unsupported_media_type",
                       "expected multipart/form-data or application/json"};
  }
  auto parsed = split_params(content_type);
  if (!parsed) {
    return bad("the Content-Type parameters are malformed");
  }
  const std::string* b = param(parsed->second, "boundary");
  if (b == nullptr || b->empty() || b->size() > kMaxBoundary) {
    return bad("the Content-Type has no valid boundary");
  }
  const bool printable =
      std::all_of(b->begin(), b->end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"'; });
  if (!printable || b->back() == ' ') {
    return bad("the boundary has characters RFC 2046 does not allow");
  }
  return *b;
}

core::Result<std::vector<MultipartPart>> parse_multipart(std::string_view body,
                                                         std::string_view boundary,
                                                         const MultipartLimits& limits) {
  if (boundary.empty() || boundary.size() > kMaxBoundary) {
    return bad("bad boundary");
  }
  const std::string first = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + first;
  // The first boundary opens the body or follows a preamble line.
  size_t pos = 0;
  if (body.substr(0, first.size()) != first) {
    const size_t at = body.find(delimiter);
    if (at == std::string_view::npos) {
      return bad("the first boundary is missing");
    }
    pos = at + delimiter.size();
  } else {
    pos = first.size();
  }

  std::vector<MultipartPart> parts;
  while (true) {
    // After a boundary: "--" closes the body; otherwise optional padding and CRLF.
    if (body.substr(pos, 2) == "--") {
      break;
    }
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) {
      ++pos;
    }
    if (body.substr(pos, 2) != "\r\n") {
      return bad(pos >= body.size() ? "the body ends without its closing boundary"
                                    : "a boundary is not followed by a line break");
    }
    pos += 2;
    if (parts.size() == limits.max_parts) {
      return bad("more than " + std::to_string(limits.max_parts) + " parts");
    }
    MultipartPart part;
    size_t headers_end = 0;
    size_t content = 0;
    if (body.substr(pos, 2) == "\r\n") {  // no headers at all
      headers_end = pos;
      content = pos + 2;
    } else {
      headers_end = body.find("\r\n\r\n", pos);
      if (headers_end == std::string_view::npos || headers_end - pos > limits.max_header_bytes) {
        return bad(headers_end == std::string_view::npos ? "a part's headers never end"
                                                         : "a part's headers are too long");
      }
      content = headers_end + 4;
    }
    if (auto st = parse_headers(body.substr(pos, headers_end - pos), part); !st.ok()) {
      return st.error();
    }
    const size_t end = body.find(delimiter, content);
    if (end == std::string_view::npos) {
      return bad("the part '" + part.name.substr(0, 64) + "' is not terminated (truncated body?)");
    }
    part.body = std::string(body.substr(content, end - content));
    parts.push_back(std::move(part));
    pos = end + delimiter.size();
  }
  if (parts.empty()) {
    return bad("no parts");
  }
  return parts;
}

core::Result<const MultipartPart*> find_part(const std::vector<MultipartPart>& parts,
                                             std::string_view name) {
  const MultipartPart* found = nullptr;
  for (const auto& p : parts) {
    if (p.name == name) {
      if (found != nullptr) {
        return bad("the field '" + std::string(name) + "' is sent twice");
      }
      found = &p;
    }
  }
  return found;
}

}  // namespace hqadz::http
