#include "engine/plan.hpp"

#include <algorithm>

namespace hqadz::engine {

std::vector<Slot> make_plan(const std::string& distribution, std::vector<int64_t> session_ids,
                            const std::vector<std::string>& targets) {
  std::vector<Slot> plan;
  if (session_ids.empty()) {
    return plan;
  }
  std::sort(session_ids.begin(), session_ids.end());
  if (distribution == "ALL") {
    for (const auto& t : targets) {
      for (int64_t s : session_ids) {
        plan.push_back({s, t});
      }
    }
    return plan;
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    plan.push_back({session_ids[i % session_ids.size()], targets[i]});
  }
  return plan;
}

std::string plan_to_json(const std::vector<Slot>& plan) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& s : plan) {
    j.push_back({s.session_id, s.target});
  }
  return j.dump();
}

std::vector<Slot> plan_from_json(const std::string& text) {
  std::vector<Slot> plan;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) {
    return plan;
  }
  for (const auto& e : j) {
    if (e.is_array() && e.size() == 2 && e[0].is_number_integer() && e[1].is_string()) {
      plan.push_back({e[0].get<int64_t>(), e[1].get<std::string>()});
    }
  }
  return plan;
}

}  // namespace hqadz::engine
