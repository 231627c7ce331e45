#include "domain/links.hpp"

#include <charconv>

namespace hqadz::domain {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n' || s.back() == '/')) {
    s.remove_suffix(1);
  }
  return s;
}

template <typename Int>
std::optional<Int> parse_positive(std::string_view s) {
  Int v = 0;
  if (s.empty() || s.size() > 19) {
    return std::nullopt;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) {
    return std::nullopt;
  }
  return v;
}

/// Strips "https://", "http://", "www." and the t.me / telegram.me host; nullopt when the text
/// is a URL of another host. Returns the path without leading '/'; `had_host` says whether a
/// Telegram host was present.
std::optional<std::string_view> telegram_path(std::string_view s, bool& had_host) {
  had_host = false;
  const std::string l = lower(s.substr(0, std::min<size_t>(s.size(), 24)));
  size_t skip = 0;
  if (l.rfind("https://", 0) == 0) {
    skip = 8;
  } else if (l.rfind("http://", 0) == 0) {
    skip = 7;
  }
  std::string_view rest = s.substr(skip);
  const std::string lrest = lower(rest.substr(0, std::min<size_t>(rest.size(), 16)));
  size_t host = 0;
  for (const char* h : {"www.t.me/", "t.me/", "telegram.me/", "www.telegram.me/"}) {
    if (lrest.rfind(h, 0) == 0) {
      host = std::string_view(h).size();
      break;
    }
  }
  if (host == 0) {
    if (skip != 0 || rest.find('/') != std::string_view::npos ||
        rest.find('.') != std::string_view::npos) {
      return std::nullopt;  // a URL, but not Telegram's
    }
    return rest;
  }
  had_host = true;
  rest = rest.substr(host);
  // Drop a query or fragment (e.g. "?single").
  rest = rest.substr(0, rest.find_first_of("?#"));
  return rest;
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    if (slash != 0) {
      parts.push_back(path.substr(0, slash));
    }
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return parts;
}

/// Largest bare channel id accepted in a group target (its "-100<id>" form must parse back).
constexpr int64_t kMaxGroupChannelId = 9'999'999'999'999LL;

core::Error bad_post(const std::string& why) { return core::Error::invalid("invalid_post_link", why); }
core::Error bad_group(const std::string& why) { return core::Error::invalid("invalid_group", why); }

}  // namespace

bool valid_username(std::string_view name) {
  if (name.size() < 4 || name.size() > 32) {
    return false;
  }
  const char first = name.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
    return false;
  }
  if (name.back() == '_') {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string PostLink::canonical() const {
  if (!username.empty()) {
    return "https://t.me/" + username + "/" + std::to_string(message_id);
  }
  return "https://t.me/c/" + std::to_string(channel_id) + "/" + std::to_string(message_id);
}

core::Result<PostLink> parse_post_link(std::string_view text) {
  text = trim(text);
  if (text.empty()) {
    return bad_post("the post link is empty");
  }
  if (text.size() > 256) {
    return bad_post("the post link is too long");
  }
  bool had_host = false;
  auto path = telegram_path(text, had_host);
  if (!path || !had_host) {
    if (!text.empty() && text.front() == '@') {
      path = text.substr(1);
    } else {
      return bad_post("a post link looks like https://t.me/<channel>/<post number>");
    }
  }
  auto parts = split(*path);
  if (!parts.empty() && parts[0] == "s") {
    parts.erase(parts.begin());  // t.me/s/<channel>/<id>: the web preview of the same post
  }
  PostLink link;
  if (parts.size() == 3 && parts[0] == "c") {
    auto id = parse_positive<int64_t>(parts[1]);
    auto msg = parse_positive<int32_t>(parts[2]);
    if (!id || !msg) {
      return bad_post("a private post link looks like https://t.me/c/<channel id>/<post number>");
    }
    link.channel_id = *id;
    link.message_id = *msg;
    return link;
  }
  if (parts.size() != 2) {
    return bad_post("a post link looks like https://t.me/<channel>/<post number>");
  }
  if (!valid_username(parts[0])) {
    return bad_post("'" + std::string(parts[0].substr(0, 40)) + "' is not a channel username");
  }
  auto msg = parse_positive<int32_t>(parts[1]);
  if (!msg) {
    return bad_post("the post number must be a positive number");
  }
  link.username = lower(parts[0]);
  link.message_id = *msg;
  return link;
}

core::Result<GroupTarget> parse_group_target(std::string_view text) {
  text = trim(text);
  if (text.empty()) {
    return bad_group("empty entry");
  }
  if (text.size() > 256) {
    return bad_group("too long");
  }
  GroupTarget g;
  // A numeric id: Telegram's marked form "-100<id>" (as bots and exports show it).
  if (text.front() == '-' || (text.front() >= '0' && text.front() <= '9')) {
    std::string_view digits = text;
    if (digits.rfind("-100", 0) == 0) {
      digits.remove_prefix(4);
    } else if (digits.front() == '-') {
      return bad_group("basic groups are not supported; use the supergroup's -100… id");
    }
    auto id = parse_positive<int64_t>(digits);
    if (!id || *id > kMaxGroupChannelId) {
      return bad_group("not a valid group id");
    }
    g.channel_id = *id;
    g.canonical = "-100" + std::to_string(*id);
    return g;
  }
  bool had_host = false;
  auto path = telegram_path(text, had_host);
  if (!path) {
    return bad_group("not a Telegram link");
  }
  std::string_view p = *path;
  if (!had_host && !p.empty() && p.front() == '@') {
    p.remove_prefix(1);
  }
  auto parts = split(p);
  if (parts.empty()) {
    return bad_group("no group name");
  }
  if (parts[0].front() == '+' || lower(parts[0]) == "joinchat") {
    return bad_group("invite links cannot be joined automatically: add the account to the group "
                     "and use the group's @name or -100… id");
  }
  if (parts[0] == "c") {
    if (parts.size() < 2) {
      return bad_group("a t.me/c/ link needs the group id");
    }
    auto id = parse_positive<int64_t>(parts[1]);
    if (!id || *id > kMaxGroupChannelId) {  // same bound as "-100<id>" (fuzz: links_fuzz)
      return bad_group("not a valid group id");
    }
    g.channel_id = *id;
    g.canonical = "-100" + std::to_string(*id);
    return g;
  }
  if (parts.size() > 2 || (parts.size() == 2 && !parse_positive<int32_t>(parts[1]))) {
    return bad_group("not a group link");
  }
  if (!valid_username(parts[0])) {
    return bad_group("'" + std::string(parts[0].substr(0, 40)) + "' is not a valid username");
  }
  g.username = lower(parts[0]);
  g.canonical = "@" + g.username;
  return g;
}

GroupList parse_group_list(const std::vector<std::string>& entries) {
  GroupList out;
  std::vector<std::string> seen;
  for (const auto& e : entries) {
    auto g = parse_group_target(e);
    if (!g.ok()) {
      out.rejected.push_back({e.substr(0, 256), g.error().message});
      continue;
    }
    bool dup = false;
    for (const auto& s : seen) {
      dup = dup || s == g->canonical;
    }
    if (!dup) {
      seen.push_back(g->canonical);
      out.accepted.push_back(*g);
    }
  }
  return out;
}

}  // namespace hqadz::domain
