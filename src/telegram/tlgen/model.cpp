#include "telegram/tlgen/model.hpp"

#include <algorithm>
#include <stdexcept>

namespace hqadz::telegram::tlgen {
namespace {

using K = TypeRef::Kind;

std::string qualify(const std::string& ns, const std::string& name) {
  return "tl::" + (ns.empty() ? "" : ns + "::") + name;
}

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

}  // namespace

Model::Model(std::vector<Schema> typed, std::vector<Schema> full)
    : typed_(std::move(typed)), full_(std::move(full)) {
  collect_full();
  collect_typed();
  build_order();
}

void Model::collect_full() {
  std::vector<const Combinator*> all;
  std::set<std::uint32_t> seen;
  auto add = [&](const Schema& s, bool typed) {
    for (const auto& c : s.items) {
      if (c.is_function || !c.has_id || (typed && c.id_only) || seen.contains(c.id)) {
        continue;
      }
      seen.insert(c.id);
      all.push_back(&c);
    }
  };
  for (const auto& s : full_) {
    add(s, false);
  }
  for (const auto& s : typed_) {
    add(s, true);
  }
  std::sort(all.begin(), all.end(),
            [](const Combinator* a, const Combinator* b) { return a->id < b->id; });
  for (const auto* c : all) {
    auto [it, inserted] = full_type_index_.try_emplace(c->result, 0);
    if (inserted) {
      it->second = static_cast<int>(full_types_.size());
      full_types_.push_back(c->result);
    }
    full_constructor_index_[c->name] = static_cast<int>(full_constructors_.size());
    full_constructors_.push_back({c, it->second});
  }
}

void Model::collect_typed() {
  for (const auto& s : typed_) {
    if (s.layer) {
      layer_ = *s.layer;
    }
    if (s.vector_id) {
      vector_id_ = *s.vector_id;
    }
  }
  if (layer_ == 0 || vector_id_ == 0) {
    fail("typed schemas need a `// LAYER N` comment and TL's vector line");
  }
  std::size_t count = 0;
  for (const auto& s : typed_) {
    count += s.items.size();
  }
  structs_.reserve(count);  // pointers into structs_ stay valid
  std::set<std::string> names;
  for (const auto& s : typed_) {
    for (const auto& c : s.items) {
      if (c.id_only) {
        id_only_.push_back(&c);
        continue;
      }
      if (!c.is_function && (c.result == "Bool" || c.result == "True")) {
        if (c.name == "boolTrue") {
          bool_true_id_ = c.id;
        } else if (c.name == "boolFalse") {
          bool_false_id_ = c.id;
        }
        continue;
      }
      for (std::size_t i = 0; i + 1 < c.args.size(); ++i) {
        if (c.args[i].type.kind == K::kAny) {
          fail(c.name + ": `!X`/Object is only supported as the last field");
        }
      }
      auto [ns, last] = split_namespace(c.name);
      StructInfo info{&c, ns, pascal_case(last), ""};
      info.qualified = qualify(ns, info.name);
      if (!names.insert(info.qualified).second) {
        fail("two constructors map to " + info.qualified);
      }
      structs_.push_back(info);
      by_name_[c.name] = &structs_.back();
    }
  }
  if (bool_true_id_ == 0 || bool_false_id_ == 0) {
    fail("typed schemas must list boolTrue and boolFalse");
  }
  std::map<std::string, std::vector<const StructInfo*>> by_type;
  for (const auto& s : structs_) {
    if (!s.c->is_function) {
      by_type[s.c->result].push_back(&s);
    }
  }
  for (const auto& [type, alts] : by_type) {
    std::set<std::uint32_t> typed_ids;
    for (const auto* a : alts) {
      typed_ids.insert(a->c->id);
    }
    bool has_opaque = false;
    int layer_count = 0;
    for (const auto& fc : full_constructors_) {
      if (fc.c->result == type) {
        ++layer_count;
        has_opaque = has_opaque || !typed_ids.contains(fc.c->id);
      }
    }
    if (alts.size() == 1 && layer_count <= 1) {
      single_[type] = alts.front();
      continue;
    }
    auto [ns, last] = split_namespace(type);
    WrapperInfo w{type, ns, "Any" + pascal_case(last), "", alts, has_opaque, full_type_index(type)};
    w.qualified = qualify(ns, w.name);
    if (!names.insert(w.qualified).second) {
      fail("wrapper name collides: " + w.qualified);
    }
    wrappers_[type] = w;
  }
}

int Model::full_type_index(const std::string& type) const {
  auto it = full_type_index_.find(type);
  return it == full_type_index_.end() ? -1 : it->second;
}

int Model::full_constructor_index(const std::string& name) const {
  auto it = full_constructor_index_.find(name);
  return it == full_constructor_index_.end() ? -1 : it->second;
}

const StructInfo* Model::struct_for_constructor(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::string> Model::deps_of_type(const TypeRef& t) const {
  switch (t.kind) {
    case K::kVector:
    case K::kBareVector:
      return deps_of_type(*t.elem);
    case K::kBoxed:
      if (wrappers_.contains(t.name)) {
        return {"W:" + t.name};
      }
      if (auto it = single_.find(t.name); it != single_.end()) {
        return {"S:" + it->second->qualified};
      }
      return {};
    case K::kBare: {
      const StructInfo* s = t.name.front() >= 'a' && t.name.front() <= 'z'
                                ? struct_for_constructor(t.name)
                                : (single_.contains(t.name) ? single_.at(t.name) : nullptr);
      if (s == nullptr) {
        fail("bare reference to a constructor we do not model: " + t.name);
      }
      return {"S:" + s->qualified};
    }
    default:
      return {};
  }
}

void Model::build_order() {
  std::set<std::string> done;
  std::set<std::string> active;
  for (const auto& s : structs_) {
    if (!s.c->is_function) {
      visit("S:" + s.qualified, done, active);
    }
  }
  for (const auto& [type, w] : wrappers_) {
    visit("W:" + type, done, active);
  }
  for (const auto& s : structs_) {
    if (s.c->is_function) {
      for (const auto& a : s.c->args) {
        for (const auto& d : deps_of_type(a.type)) {
          visit(d, done, active);
        }
      }
      order_.push_back({&s, nullptr});
    }
  }
}

void Model::visit(const std::string& key, std::set<std::string>& done,
                  std::set<std::string>& active) {
  if (done.contains(key)) {
    return;
  }
  if (active.contains(key)) {
    fail("recursive types are not supported (drop a constructor from the typed schema): " + key);
  }
  active.insert(key);
  Entity e;
  if (key.starts_with("W:")) {
    e.w = &wrappers_.at(key.substr(2));
    for (const auto* alt : e.w->alternatives) {
      visit("S:" + alt->qualified, done, active);
    }
  } else {
    auto q = key.substr(2);
    auto it = std::find_if(structs_.begin(), structs_.end(),
                           [&](const StructInfo& s) { return s.qualified == q; });
    e.s = &*it;
    for (const auto& a : e.s->c->args) {
      for (const auto& d : deps_of_type(a.type)) {
        visit(d, done, active);
      }
    }
  }
  active.erase(key);
  done.insert(key);
  order_.push_back(e);
}

}  // namespace hqadz::telegram::tlgen
