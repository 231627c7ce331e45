#include "http/router.hpp"

#include <set>
#include <stdexcept>

namespace hqadz::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto next = path.find('/', i);
    out.push_back(path.substr(i, next == std::string_view::npos ? path.size() - i : next - i));
    i = next == std::string_view::npos ? path.size() : next;
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

Router::Compiled Router::compile(const std::string& pattern) {
  if (pattern.empty() || pattern[0] != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Compiled c;
  for (auto part : split_path(pattern)) {
    Segment seg;
    if (part.front() == '{') {
      if (part.back() != '}' || part.size() < 3) {
        throw std::invalid_argument("bad parameter in pattern " + pattern);
      }
      std::string inner(part.substr(1, part.size() - 2));
      seg.param = true;
      if (auto colon = inner.find(':'); colon != std::string::npos) {
        if (inner.substr(colon + 1) != "int") {
          throw std::invalid_argument("unknown parameter type in pattern " + pattern);
        }
        seg.integer = true;
        inner.resize(colon);
      }
      seg.text = inner;
    } else {
      seg.text = std::string(part);
    }
    c.segments.push_back(std::move(seg));
  }
  return c;
}

void Router::add(Route route) {
  if (route.access == Access::kUnspecified) {
    throw std::invalid_argument("route without declared access: " + route.pattern);
  }
  if (!route.handler) {
    throw std::invalid_argument("route without handler: " + route.pattern);
  }
  if (route.inline_handler && route.access != Access::kPublic) {
    // Who is asking is checked against the database: that never runs on an I/O thread.
    throw std::invalid_argument("inline handler on a non-public route: " + route.pattern);
  }
  Compiled c = compile(route.pattern);
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != route.method || compiled_[i].segments.size() != c.segments.size()) {
      continue;
    }
    bool same = true;
    for (size_t s = 0; s < c.segments.size() && same; ++s) {
      const auto& a = compiled_[i].segments[s];
      const auto& b = c.segments[s];
      same = a.param == b.param && (a.param || a.text == b.text);
    }
    if (same) {
      throw std::invalid_argument("duplicate route " + route.method + " " + route.pattern);
    }
  }
  has_inline_ = has_inline_ || static_cast<bool>(route.inline_handler);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

void Router::add(Route route, RouteDoc doc) {
  route.doc = std::make_shared<const RouteDoc>(std::move(doc));
  add(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  const auto parts = split_path(path);
  const std::string_view want = method == "HEAD" ? std::string_view("GET") : method;
  Match best;
  int best_score = -1;
  std::set<std::string> allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& segs = compiled_[i].segments;
    if (segs.size() != parts.size()) {
      continue;
    }
    int score = 0;
    bool ok = true;
    std::map<std::string, std::string> params;
    for (size_t s = 0; s < segs.size() && ok; ++s) {
      if (segs[s].param) {
        ok = !segs[s].integer || all_digits(parts[s]);
        params[segs[s].text] = std::string(parts[s]);
      } else {
        ok = segs[s].text == parts[s];
        score += 1 << (segs.size() - s);  // earlier literal segments weigh more
      }
    }
    if (!ok) {
      continue;
    }
    if (routes_[i].method != want) {
      allowed.insert(routes_[i].method);
      continue;
    }
    if (score > best_score) {
      best_score = score;
      best.outcome = Outcome::kFound;
      best.route = &routes_[i];
      best.params = std::move(params);
    }
  }
  if (best.outcome == Outcome::kFound) {
    return best;
  }
  if (!allowed.empty()) {
    best.outcome = Outcome::kMethodNotAllowed;
    if (allowed.count("GET")) {
      allowed.insert("HEAD");
    }
    for (const auto& m : allowed) {
      best.allow += (best.allow.empty() ? "" : ", ") + m;
    }
  }
  return best;
}

}  // namespace hqadz::http
