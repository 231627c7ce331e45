#pragma once
/// A few builders for the JSON Schema (2020-12, as OpenAPI 3.1 uses it) that documents each
/// route's request and responses. Each resource's schema is written once in schemas.cpp and
/// referenced with `ref("Adbot")`; the route docs beside each `router.add` use these builders.
///
///   obj({{"id", integer()}, {"email", string()}, opt("note", string())})
///
/// lists every field in `properties`; fields are required unless wrapped in `opt`. Objects stay
/// open (no additionalProperties: false) so that a field added on the server does not break a
/// client that was generated before it.

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace hqadz::api::schema {

using Json = nlohmann::json;

inline Json string() { return {{"type", "string"}}; }
inline Json integer() { return {{"type", "integer"}}; }
inline Json number() { return {{"type", "number"}}; }
inline Json boolean() { return {{"type", "boolean"}}; }
/// Any JSON value (free-form detail objects).
inline Json any() { return Json::object(); }
/// ISO-8601 UTC, e.g. "2026-12-08T03:02:24.000Z".
inline Json date_time() { return {{"type", "string"}, {"format", "date-time"}}; }
/// A calendar day, "2026-12-08".
inline Json date() { return {{"type", "string"}, {"format", "date"}}; }
inline Json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
inline Json array_of(Json items) { return {{"type", "array"}, {"items", std::move(items)}}; }

inline Json enum_of(std::initializer_list<const char*> values) {
  Json e = Json::array();
  for (const char* v : values) {
    e.push_back(v);
  }
  return {{"type", "string"}, {"enum", e}};
}

/// The value or null.
inline Json nullable(Json s) {
  if (s.contains("type") && s["type"].is_string() && !s.contains("$ref")) {
    s["type"] = Json::array({s["type"], "null"});
    if (s.contains("enum")) {
      s["enum"].push_back(nullptr);
    }
    return s;
  }
  return {{"anyOf", Json::array({std::move(s), {{"type", "null"}}})}};
}

/// An object whose keys are free (counts per status) and whose values match `values`.
inline Json map_of(Json values) {
  return {{"type", "object"}, {"additionalProperties", std::move(values)}};
}

/// `value` is always present unless `required` is false (see `opt`).
struct Field {
  std::string name;
  Json schema;
  bool required = true;
};
inline Field opt(std::string name, Json s) { return {std::move(name), std::move(s), false}; }

inline Json obj(std::initializer_list<Field> fields) {
  Json props = Json::object();
  Json required = Json::array();
  for (const auto& f : fields) {
    props[f.name] = f.schema;
    if (f.required) {
      required.push_back(f.name);
    }
  }
  Json out = {{"type", "object"}, {"properties", props}};
  if (!required.empty()) {
    out["required"] = required;
  }
  return out;
}

/// `base` (an obj(...), or a ref(...) it then joins with allOf) with more fields.
Json extend(Json base, std::initializer_list<Field> fields);

/// `?limit=` and `?cursor=`: the list routes' keyset paging (newest first).
std::vector<http::RouteDoc::Param> paging(int max_limit = 200);

/// The shared resources, for `components.schemas` of the document.
Json components();

}  // namespace hqadz::api::schema
