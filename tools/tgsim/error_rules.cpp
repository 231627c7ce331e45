#include "tools/tgsim/error_rules.hpp"

#include <algorithm>
#include <cctype>

namespace hqadz::tgsim {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool group_matches(const std::string& wanted, const RequestSubject& s) {
  if (wanted.empty()) {
    return true;
  }
  if (wanted.front() == '@') {
    return !s.chat_username.empty() && lower(wanted.substr(1)) == lower(s.chat_username);
  }
  return std::all_of(wanted.begin(), wanted.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; }) &&
         s.chat_id != 0 && std::to_string(s.chat_id) == wanted;
}

bool live(const ErrorRule& r) { return r.until_cleared || r.times > 0; }

}  // namespace

std::optional<std::int64_t> ErrorRules::add(ErrorRule rule) {
  if (rule.name.empty()) {
    return std::nullopt;
  }
  if (rule.method.empty()) {
    rule.method = "*";
  }
  rule.id = next_id_++;
  rule.until_cleared = rule.times <= 0;
  rule.hits = 0;
  rule.hit_groups.clear();
  rules_.push_back(std::move(rule));
  return rules_.back().id;
}

bool ErrorRules::remove(std::int64_t id) {
  return std::erase_if(rules_, [id](const ErrorRule& r) { return r.id == id; }) != 0;
}

void ErrorRules::clear() { rules_.clear(); }

const ErrorRule* ErrorRules::take(const RequestSubject& s) {
  for (auto& r : rules_) {
    if (!live(r)) {
      continue;
    }
    const bool method_ok =
        r.method == s.method || (r.method == "*" && s.method != "help.getConfig");
    if (!method_ok || (r.account != 0 && r.account != s.account) || !group_matches(r.group, s)) {
      continue;
    }
    if (!r.until_cleared) {
      --r.times;
    }
    ++r.hits;
    r.hit_groups.push_back(s.chat_id);
    return &r;
  }
  return nullptr;
}

}  // namespace hqadz::tgsim
