#include "telegram/tl/skip.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "telegram/tl/objects.hpp"

namespace hqadz::telegram::tl::skip {
namespace {

void skip_node(Reader& r, const Tables& t, const Node& n);

void skip_vector_elements(Reader& r, const Tables& t, const Node& elem) {
  auto count = r.read_count(4);
  for (std::uint32_t i = 0; i < count && !r.failed(); ++i) {
    skip_node(r, t, elem);
  }
}

void skip_node(Reader& r, const Tables& t, const Node& n) {
  switch (n.kind) {
    case Kind::kNat:
    case Kind::kInt:
      r.read_raw(4);
      return;
    case Kind::kLong:
    case Kind::kDouble:
      r.read_raw(8);
      return;
    case Kind::kInt128:
      r.read_raw(16);
      return;
    case Kind::kInt256:
      r.read_raw(32);
      return;
    case Kind::kString:
      r.skip_bytes();
      return;
    case Kind::kTrue:
      return;
    case Kind::kBoxed:
      skip_boxed(r, t, static_cast<std::uint16_t>(n.ref));
      return;
    case Kind::kBare:
      if (n.ref < t.constructors.size() && r.enter()) {
        skip_body(r, t, t.constructors[n.ref]);
        r.leave();
      }
      return;
    case Kind::kVector:
      r.expect_id(t.vector_id, "Vector");
      [[fallthrough]];
    case Kind::kBareVector:
      if (n.ref < t.nodes.size()) {
        skip_vector_elements(r, t, t.nodes[n.ref]);
      }
      return;
    case Kind::kUnsupported:
      r.fail("tl_unsupported", "schema field of a kind that cannot be skipped");
      return;
  }
}

}  // namespace

const Constructor* find(const Tables& t, std::uint32_t id) {
  auto it = std::lower_bound(t.constructors.begin(), t.constructors.end(), id,
                             [](const Constructor& c, std::uint32_t v) { return c.id < v; });
  if (it == t.constructors.end() || it->id != id) {
    return nullptr;
  }
  return &*it;
}

void skip_body(Reader& r, const Tables& t, const Constructor& c) {
  if (c.first_arg + c.arg_count > t.args.size()) {
    r.fail("tl_unsupported", "corrupt skip tables");
    return;
  }
  // Flag words are looked up by argument index; constructors have few arguments.
  std::vector<std::uint32_t> values(c.arg_count, 0);
  for (std::uint16_t i = 0; i < c.arg_count && !r.failed(); ++i) {
    const Arg& a = t.args[c.first_arg + i];
    if (a.cond_arg >= 0) {
      if (static_cast<std::size_t>(a.cond_arg) >= values.size() ||
          (values[static_cast<std::size_t>(a.cond_arg)] >> a.cond_bit & 1u) == 0) {
        continue;
      }
    }
    if (a.node >= t.nodes.size()) {
      r.fail("tl_unsupported", "corrupt skip tables");
      return;
    }
    const Node& n = t.nodes[a.node];
    if (n.kind == Kind::kNat) {
      values[i] = r.read_uint32();
    } else {
      skip_node(r, t, n);
    }
  }
}

void skip_boxed(Reader& r, const Tables& t, std::uint16_t type) {
  auto id = r.read_uint32();
  if (r.failed()) {
    return;
  }
  const Constructor* c = find(t, id);
  std::string_view name = type < t.type_names.size() ? t.type_names[type] : "?";
  if (c == nullptr || c->type != type) {
    r.fail_unknown_constructor(id, name);
    return;
  }
  if (r.enter()) {
    skip_body(r, t, *c);
    r.leave();
  }
}

}  // namespace hqadz::telegram::tl::skip

namespace hqadz::telegram::tl {

Opaque Opaque::read(Reader& r, const skip::Tables& tables, std::uint16_t type) {
  auto start = r.position();
  auto id = r.read_uint32();
  if (r.failed()) {
    return {};
  }
  return read_after_id(r, tables, type, start, id);
}

Opaque Opaque::read_after_id(Reader& r, const skip::Tables& tables, std::uint16_t type,
                             std::size_t start, std::uint32_t id) {
  const skip::Constructor* c = skip::find(tables, id);
  if (c == nullptr || c->type != type) {
    r.fail_unknown_constructor(id, type < tables.type_names.size() ? tables.type_names[type] : "?");
    return {};
  }
  if (r.enter()) {
    skip::skip_body(r, tables, *c);
    r.leave();
  }
  if (r.failed()) {
    return {};
  }
  auto raw = r.consumed_since(start);
  return {id, Bytes(raw.begin(), raw.end())};
}

}  // namespace hqadz::telegram::tl
