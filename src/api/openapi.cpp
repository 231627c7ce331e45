#include "api/openapi.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "api/schema.hpp"

namespace hqadz::api {
namespace {

using schema::Json;

struct ErrorStatus {
  int status;
  const char* name;  // under components.responses
  const char* description;
};

constexpr ErrorStatus kErrors[] = {
    {400, "BadRequest", "Bad input (the code names the field)"},
    {401, "Unauthenticated", "Not signed in, or the token expired"},
    {403, "Forbidden", "Not allowed (admins only, or the account is suspended)"},
    {404, "NotFound", "Not found (another user's resource is not found either)"},
    {409, "Conflict", "Conflicts with the resource's state"},
    {410, "Gone", "Gone"},
    {413, "PayloadTooLarge", "The body is over this route's limit"},
    {422, "Unprocessable", "Well-formed, but cannot be done now"},
    {429, "RateLimited", "Too many attempts (see Retry-After)"},
    {500, "Internal", "Internal error"},
    {502, "BadGateway", "An upstream (the payment provider) failed"},
    {503, "Unavailable", "Unavailable (shutting down, or a dependency is down)"},
    {504, "Timeout", "An upstream (Telegram) did not answer in time"},
};

const ErrorStatus& error_status(int status) {
  for (const auto& e : kErrors) {
    if (e.status == status) {
      return e;
    }
  }
  throw std::invalid_argument("no error response for status " + std::to_string(status));
}

/// Every error status in the shared shape, referenced from the operations.
Json error_responses() {
  Json out = Json::object();
  for (const auto& e : kErrors) {
    out[e.name] = {{"description", e.description},
                   {"content", {{"application/json", {{"schema", schema::ref("Error")}}}}}};
  }
  return out;
}

struct PathParam {
  std::string name;
  bool integer = false;
};

/// "/api/adbots/{id:int}/logs" → "/api/adbots/{id}/logs" and its parameters.
std::string openapi_path(const std::string& pattern, std::vector<PathParam>& params) {
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    const size_t end = pattern.find('}', i);
    std::string inner = pattern.substr(i + 1, end - i - 1);
    PathParam p;
    if (const auto colon = inner.find(':'); colon != std::string::npos) {
      p.integer = inner.substr(colon + 1) == "int";
      inner.resize(colon);
    }
    p.name = inner;
    params.push_back(p);
    out += "{" + inner + "}";
    i = end + 1;
  }
  return out;
}

std::string operation_id(const std::string& method, const std::string& path) {
  std::string id;
  for (char c : method) {
    id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (char c : path) {
    const bool word = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (word) {
      id += c;
    } else if (id.back() != '_') {
      id += '_';
    }
  }
  while (id.back() == '_') {
    id.pop_back();
  }
  return id;
}

/// The error statuses a route can answer: what the dispatcher says before the handler runs
/// (access, body, parameters), what every route may say (500, 503 while stopping), and what
/// the doc adds for its domain calls.
std::set<int> error_statuses(const http::Route& r, const http::RouteDoc& d, bool has_params) {
  std::set<int> out{500, 503};
  const bool has_body = r.method == "POST" || r.method == "PATCH" || r.method == "PUT";
  if (r.json_body || has_params || !d.query.empty() || !d.request_type.empty()) {
    out.insert(400);
  }
  if (r.access != http::Access::kPublic) {
    out.insert({401, 403});
  }
  if (r.owner_scoped || has_params) {
    out.insert(404);
  }
  if (has_body) {
    out.insert(413);
  }
  out.insert(d.errors.begin(), d.errors.end());
  return out;
}

Json operation(const http::Route& r, const http::RouteDoc& d,
               const std::vector<PathParam>& path_params) {
  Json op = {{"operationId", operation_id(r.method, r.pattern)},
             {"summary", d.summary},
             {"tags", Json::array({d.tag})},
             {"x-hqadz-access", access_name(r.access)},
             {"x-hqadz-owner-scoped", r.owner_scoped}};
  if (d.demo) {
    op["tags"].push_back("demo");
    op["x-hqadz-demo"] = true;
  }
  if (r.access != http::Access::kPublic) {
    op["security"] = Json::array({{{"bearer", Json::array()}}, {{"cookie", Json::array()}}});
  }
  Json params = Json::array();
  for (const auto& p : path_params) {
    params.push_back({{"name", p.name},
                      {"in", "path"},
                      {"required", true},
                      {"schema", p.integer ? schema::integer() : schema::string()}});
  }
  for (const auto& q : d.query) {
    params.push_back(
        {{"name", q.name}, {"in", "query"}, {"description", q.description}, {"schema", q.schema}});
  }
  if (!params.empty()) {
    op["parameters"] = params;
  }
  Json content = Json::object();
  if (r.json_body || !d.request.is_null()) {
    content["application/json"] = {
        {"schema", d.request.is_null() ? Json{{"type", "object"}} : d.request}};
  }
  if (!d.request_type.empty()) {
    content[d.request_type] = Json::object();
  }
  if (!content.empty()) {
    op["requestBody"] = {{"required", r.json_body || !d.request_type.empty()},
                         {"content", content}};
  }
  Json responses = Json::object();
  for (const auto& reply : d.replies) {
    Json res = {{"description", reply.description}};
    if (!reply.schema.is_null()) {
      res["content"] = {{reply.content_type.empty() ? "application/json" : reply.content_type,
                         {{"schema", reply.schema}}}};
    } else if (!reply.content_type.empty()) {
      res["content"] = {{reply.content_type, {{"schema", schema::string()}}}};
    }
    responses[std::to_string(reply.status)] = res;
  }
  for (int status : error_statuses(r, d, !path_params.empty())) {
    const std::string key = std::to_string(status);
    if (!responses.contains(key)) {
      responses[key] = {
          {"$ref", std::string("#/components/responses/") + error_status(status).name}};
    }
  }
  op["responses"] = responses;
  return op;
}

}  // namespace

const char* access_name(http::Access access) {
  switch (access) {
    case http::Access::kPublic:
      return "public";
    case http::Access::kUser:
      return "user";
    case http::Access::kAdmin:
      return "admin";
    case http::Access::kUnspecified:
      break;
  }
  return "unspecified";
}

nlohmann::json openapi_document(const http::Router& router) {
  Json paths = Json::object();
  std::string undocumented;
  std::set<std::string> tags;
  for (const auto& r : router.routes()) {
    if (!r.doc) {
      undocumented += " " + r.method + " " + r.pattern;
      continue;
    }
    std::vector<PathParam> params;
    const std::string path = openapi_path(r.pattern, params);
    std::string method = r.method;
    for (auto& c : method) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    paths[path][method] = operation(r, *r.doc, params);
    tags.insert(r.doc->tag);
  }
  if (!undocumented.empty()) {
    throw std::invalid_argument("routes without a RouteDoc:" + undocumented);
  }
  Json tag_list = Json::array();
  for (const auto& t : tags) {
    tag_list.push_back({{"name", t}});
  }
  tag_list.push_back(
      {{"name", "demo"}, {"description", "registered by `hqadz serve --demo` only"}});
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "hqadz API"},
            {"version", "0.1.0"},
            {"description",
             "Generated by `hqadz openapi` from the route table (src/api); do not edit. Errors are "
             "{\"error\": {\"code\", \"message\"}}; ids are integers, timestamps ISO-8601 UTC, "
             "money a number in major units beside its currency. x-hqadz-access is who may call a "
             "route (as `hqadz routes` prints); x-hqadz-owner-scoped routes answer 404 for another "
             "user's resource."}}},
          // The OAS 3.1 default: JSON Schema 2020-12 and the OpenAPI vocabulary. Swagger UI
          // warns "not supported" on any other value.
          {"jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base"},
          {"tags", tag_list},
          {"paths", paths},
          {"components",
           {{"schemas", schema::components()},
            {"responses", error_responses()},
            {"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
              {"cookie",
               {{"type", "apiKey"},
                {"in", "cookie"},
                {"name", "hqadz_access"},
                {"description", "the access cookie; GET only (EventSource)"}}}}}}}};
}

void add_contract_routes(http::Router& router, const ContractRoutes& settings) {
  // Filled below once both routes are on the table, so the document lists them too; the
  // server starts after this, so readers never see it change.
  auto body = std::make_shared<std::string>();
  auto answer = [body](http::Request&) {
    http::Response r;
    r.body = *body;
    return r;
  };
  router.add({.method = "GET",
              .pattern = "/api/openapi.json",
              .access = http::Access::kPublic,
              .handler = answer,
              .inline_handler = [answer](http::Request& req) { return answer(req); }},
             {.summary = "This API's OpenAPI 3.1 document",
              .tag = "system",
              .replies = {{200, "The document `hqadz openapi` prints",
                           schema::obj({{"openapi", schema::string()},
                                        {"info", schema::any()},
                                        {"jsonSchemaDialect", schema::string()},
                                        {"tags", schema::array_of(schema::any())},
                                        {"paths", schema::any()},
                                        {"components", schema::any()}})}}});
  router.add({"GET", "/api/docs", http::Access::kPublic,
              [dir = settings.web_dir](http::Request&) {
                std::ifstream in(dir + "/docs.html", std::ios::binary);
                if (!in) {
                  return http::Response::error(core::Error::not_found(
                      "the API reference page is not built (web/dist/docs.html); the document "
                      "is at /api/openapi.json"));
                }
                std::stringstream s;
                s << in.rdbuf();
                http::Response r;
                r.body = s.str();
                r.content_type = "text/html; charset=utf-8";
                return r;
              }},
             {.summary = "The API reference for people (renders /api/openapi.json)",
              .tag = "system",
              .replies = {{200, "The reference page", nullptr, "text/html"}},
              .errors = {404}});
  *body = openapi_document(router).dump(2);
}

}  // namespace hqadz::api
