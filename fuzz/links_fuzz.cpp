// libFuzzer target: what customers paste (src/domain/links): post links, group targets and
// group lists. The whole input is tried as a post link and as a group target; its lines as a
// group list.
// Properties: never crashes; normalisation is idempotent (parsing a canonical form gives the
// same value back); canonical forms are well-formed; a list keeps no duplicate and its accepted
// entries, pasted again, come back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "domain/links.hpp"

namespace d = hqadz::domain;

namespace {

[[noreturn]] void fail(const char* what, std::string_view subject) {
  std::fprintf(stderr, "links_fuzz: property violated: %s: '%.*s'\n", what,
               static_cast<int>(subject.size()), subject.data());
  std::abort();
}

bool canonical_chars(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return !s.empty();
}

void post_link(std::string_view text) {
  auto p = d::parse_post_link(text);
  if (!p.ok()) {
    if (p.error().code != "invalid_post_link") {
      fail("post link refused with another code", p.error().code);
    }
    return;
  }
  const std::string canonical = p->canonical();
  if (p->message_id <= 0) {
    fail("post number not positive", canonical);
  }
  if (p->username.empty() ? p->channel_id <= 0 : p->channel_id != 0) {
    fail("post link is neither public nor private", canonical);
  }
  if (!p->username.empty() && (!d::valid_username(p->username) || !canonical_chars(p->username))) {
    fail("post link username not canonical", canonical);
  }
  auto again = d::parse_post_link(canonical);
  if (!again.ok()) {
    fail("canonical post link does not parse", canonical);
  }
  if (again->username != p->username || again->channel_id != p->channel_id ||
      again->message_id != p->message_id || again->canonical() != canonical) {
    fail("post link normalisation is not idempotent", canonical);
  }
}

void group_target(std::string_view text) {
  auto g = d::parse_group_target(text);
  if (!g.ok()) {
    if (g.error().code != "invalid_group") {
      fail("group refused with another code", g.error().code);
    }
    return;
  }
  if (g->by_username()) {
    if (g->canonical != "@" + g->username || !d::valid_username(g->username) ||
        !canonical_chars(g->username) || g->channel_id != 0) {
      fail("group username not canonical", g->canonical);
    }
  } else if (g->channel_id <= 0 || g->canonical != "-100" + std::to_string(g->channel_id)) {
    fail("group id not canonical", g->canonical);
  }
  auto again = d::parse_group_target(g->canonical);
  if (!again.ok()) {
    fail("canonical group does not parse", g->canonical);
  }
  if (again->canonical != g->canonical || again->username != g->username ||
      again->channel_id != g->channel_id) {
    fail("group normalisation is not idempotent", g->canonical);
  }
}

void group_list(std::string_view text) {
  std::vector<std::string> entries;
  while (!text.empty() && entries.size() < 64) {
    const auto nl = text.find('\n');
    entries.emplace_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  auto list = d::parse_group_list(entries);
  if (list.accepted.size() + list.rejected.size() > entries.size()) {
    fail("a group list grew", "");
  }
  std::vector<std::string> canonicals;
  for (const auto& g : list.accepted) {
    for (const auto& c : canonicals) {
      if (c == g.canonical) {
        fail("a group list keeps a duplicate", c);
      }
    }
    canonicals.push_back(g.canonical);
  }
  auto again = d::parse_group_list(canonicals);
  if (!again.rejected.empty() || again.accepted.size() != list.accepted.size()) {
    fail("accepted groups, pasted again, are not all accepted", "");
  }
  for (std::size_t i = 0; i < again.accepted.size(); ++i) {
    if (again.accepted[i].canonical != canonicals[i]) {
      fail("accepted groups, pasted again, change", canonicals[i]);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  post_link(text);
  group_target(text);
  group_list(text);
  // "joinchat" is Telegram's invite path (t.me/joinchat/...), refused on purpose.
  std::string lowered(text);
  for (auto& c : lowered) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (d::valid_username(text) && lowered != "joinchat") {
    auto g = d::parse_group_target("@" + std::string(text));
    if (!g.ok() || !g->by_username()) {
      fail("a valid username is not a group", text);
    }
  }
  return 0;
}
