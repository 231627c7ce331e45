#pragma once
/// The OpenAPI 3.1 document of a route table: generated from each Route (method, path, access,
/// ownership, JSON body) and its RouteDoc (summary, tag, query, schemas), with the shared
/// resources under components.schemas. `hqadz openapi` prints it (web/openapi.json is that
/// output, checked in); GET /api/openapi.json serves the running server's own.

#include <nlohmann/json.hpp>

#include <string>

#include "http/router.hpp"

namespace hqadz::api {

/// Throws std::invalid_argument naming every route that has no RouteDoc (a programming error,
/// found at start-up like an undeclared Access).
nlohmann::json openapi_document(const http::Router& router);

/// What `hqadz routes` prints for a route's access: public, user or admin.
const char* access_name(http::Access access);

struct ContractRoutes {
  std::string web_dir;  // GET /api/docs answers <web_dir>/docs.html
};

/// GET /api/openapi.json (the document of `router`, built once here: call this after every
/// other route is added) and GET /api/docs (the bundled renderer the web build leaves in
/// web/dist/docs.html; a JSON 404 when it was not built).
void add_contract_routes(http::Router& router, const ContractRoutes& settings);

}  // namespace hqadz::api
