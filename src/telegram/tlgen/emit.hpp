#pragma once
/// Turns a Model into C++ source text.

#include <string>

#include "telegram/tlgen/model.hpp"

namespace hqadz::telegram::tlgen {

/// tl_types.hpp: the structs, wrappers and constants.
std::string emit_header(const Model& m);
/// tl_types.cpp: serialize/parse of every struct and wrapper.
std::string emit_source(const Model& m);
/// tl_tables.cpp: skip tables of the whole layer schema.
std::string emit_tables(const Model& m);

}  // namespace hqadz::telegram::tlgen
