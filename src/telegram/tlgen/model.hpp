#pragma once
/// What the generator emits, resolved from the typed schema files (the constructors we model)
/// and the full layer files (everything else, stepped over as Opaque). Throws on a schema the
/// generated code could not represent.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "telegram/tlgen/tl_schema.hpp"

namespace hqadz::telegram::tlgen {

/// A generated C++ struct: one per typed constructor or function.
struct StructInfo {
  const Combinator* c = nullptr;
  std::string ns;         // C++ namespace below tl, e.g. "messages" or ""
  std::string name;       // e.g. "Dialogs"
  std::string qualified;  // e.g. "tl::messages::Dialogs"
};

/// A boxed type with several constructors: `AnyX`, a variant over them (and Opaque).
struct WrapperInfo {
  std::string type;  // TL type name, e.g. "messages.Dialogs"
  std::string ns;
  std::string name;  // e.g. "AnyDialogs"
  std::string qualified;
  std::vector<const StructInfo*> alternatives;
  bool has_opaque = false;  // the layer has constructors of this type we do not model
  int type_index = -1;      // in the skip tables, or -1
};

class Model {
 public:
  Model(std::vector<Schema> typed, std::vector<Schema> full);

  int layer() const { return layer_; }
  std::uint32_t vector_id() const { return vector_id_; }
  std::uint32_t bool_true_id() const { return bool_true_id_; }
  std::uint32_t bool_false_id() const { return bool_false_id_; }

  /// Typed structs (types first in dependency order, then functions) and wrappers, interleaved
  /// so that everything is defined before it is used by value.
  struct Entity {
    const StructInfo* s = nullptr;
    const WrapperInfo* w = nullptr;
  };
  const std::vector<Entity>& order() const { return order_; }
  const std::vector<StructInfo>& structs() const { return structs_; }
  /// Constructors that only get an id constant (`@tlgen id-only`).
  const std::vector<const Combinator*>& id_only() const { return id_only_; }

  /// C++ type of a field (without optional<>).
  std::string cpp_type(const TypeRef& t) const;
  /// Expression reading a value of type t from Reader `r`.
  std::string read_expr(const TypeRef& t) const;
  /// Statements writing `value` of type t to Writer `w`; `depth` names loop variables.
  std::string write_stmts(const TypeRef& t, const std::string& value, int depth) const;
  /// Smallest wire size of one value of t, for vector length checks.
  static std::size_t min_size(const TypeRef& t);
  /// The C++ type a function returns, or "" for generic (`X`) results.
  std::string return_type(const Combinator& fn) const;
  /// Member name for a TL field (keywords get a trailing underscore).
  static std::string member_name(const std::string& tl_name);

  /// Skip tables: every type and constructor of the full schemas (plus typed extras).
  struct FullConstructor {
    const Combinator* c;
    int type_index;
  };
  const std::vector<std::string>& full_types() const { return full_types_; }
  const std::vector<FullConstructor>& full_constructors() const { return full_constructors_; }
  int full_type_index(const std::string& type) const;
  int full_constructor_index(const std::string& name) const;

 private:
  void collect_typed();
  void collect_full();
  void build_order();
  void visit(const std::string& key, std::set<std::string>& done, std::set<std::string>& active);
  std::vector<std::string> deps_of_type(const TypeRef& t) const;
  const StructInfo* struct_for_constructor(const std::string& name) const;

  std::vector<Schema> typed_;
  std::vector<Schema> full_;
  int layer_ = 0;
  std::uint32_t vector_id_ = 0;
  std::uint32_t bool_true_id_ = 0;
  std::uint32_t bool_false_id_ = 0;
  std::vector<StructInfo> structs_;
  std::map<std::string, WrapperInfo> wrappers_;       // by TL type, only for types needing one
  std::map<std::string, const StructInfo*> single_;   // TL type → its only constructor struct
  std::map<std::string, const StructInfo*> by_name_;  // TL constructor name → struct
  std::vector<const Combinator*> id_only_;
  std::vector<Entity> order_;
  std::vector<std::string> full_types_;
  std::map<std::string, int> full_type_index_;
  std::vector<FullConstructor> full_constructors_;  // sorted by id
  std::map<std::string, int> full_constructor_index_;
};

}  // namespace hqadz::telegram::tlgen
