#pragma once
/// A cycle's plan: which account sends to which group. Pure and deterministic, so a restarted
/// engine that reloads the stored plan sends exactly the same slots.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace hqadz::engine {

struct Slot {
  int64_t session_id = 0;
  std::string target;  // canonical group
  bool operator==(const Slot&) const = default;
};

/// EVEN: group i goes to account i mod n (accounts sorted by id); ALL: every account to every
/// group. Groups keep their order.
std::vector<Slot> make_plan(const std::string& distribution, std::vector<int64_t> session_ids,
                            const std::vector<std::string>& targets);

std::string plan_to_json(const std::vector<Slot>& plan);
std::vector<Slot> plan_from_json(const std::string& text);

}  // namespace hqadz::engine
