#include "api/admin_stock_routes.hpp"

#include <cctype>
#include <charconv>

#include "api/schema.hpp"
#include "http/input.hpp"
#include "http/multipart.hpp"

namespace hqadz::api {
namespace {

using http::Access;
using http::Request;
using http::Response;
namespace sc = schema;

constexpr uint64_t kSmallJson = 16 * 1024;

nlohmann::json account_json(const domain::StockAccount& a) { return domain::to_json(a); }

/// What an upload carries besides the session, from form fields or JSON.
struct UploadFields {
  domain::StockImport fields;
  std::string string_session;                 // JSON or a form field
  const http::MultipartPart* file = nullptr;  // multipart only
};

core::Error missing(const char* field) {
  return core::Error::invalid(std::string("missing_") + field, std::string(field) + " is required");
}

core::Result<int64_t> api_id_from_text(std::string_view text) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) {
    return core::Error::invalid("invalid_api_id", "api_id must be a positive 32-bit integer");
  }
  return v;
}

core::Result<UploadFields> from_json(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return core::Error::invalid("invalid_json", "the request body must be a JSON object");
  }
  UploadFields out;
  auto session = http::require_string(j, "string_session", {.max_len = 1024});
  auto phone = http::require_string(j, "phone_number", {.max_len = 32});
  auto api_id = http::require_int(j, "api_id", 1, INT32_MAX);
  auto api_hash = http::require_string(j, "api_hash", {.max_len = 64});
  for (const core::Error* e :
       {session.ok() ? nullptr : &session.error(), phone.ok() ? nullptr : &phone.error(),
        api_id.ok() ? nullptr : &api_id.error(), api_hash.ok() ? nullptr : &api_hash.error()}) {
    if (e != nullptr) {
      return *e;
    }
  }
  out.string_session = *session;
  out.fields = {*phone, *api_id, *api_hash};
  return out;
}

core::Result<UploadFields> from_multipart(const std::vector<http::MultipartPart>& parts) {
  UploadFields out;
  auto text = [&](const char* name, size_t max_len) -> core::Result<std::string> {
    auto p = http::find_part(parts, name);
    if (!p.ok()) {
      return p.error();
    }
    if (*p == nullptr || (*p)->body.empty()) {
      return missing(name);
    }
    if ((*p)->body.size() > max_len) {
      return core::Error::invalid(std::string("invalid_") + name,
                                  std::string(name) + " is too long");
    }
    return (*p)->body;
  };
  auto file = http::find_part(parts, "file");
  if (!file.ok()) {
    return file.error();
  }
  out.file = *file;
  if (out.file == nullptr) {
    auto session = text("string_session", 1024);
    if (!session.ok()) {
      return core::Error::invalid("missing_file",
                                  "a .session file (field 'file') or a string_session is required");
    }
    out.string_session = *session;
  }
  auto phone = text("phone_number", 32);
  if (!phone.ok()) {
    return phone.error();
  }
  auto api_id_text = text("api_id", 16);
  if (!api_id_text.ok()) {
    return api_id_text.error();
  }
  auto api_id = api_id_from_text(*api_id_text);
  if (!api_id.ok()) {
    return api_id.error();
  }
  auto api_hash = text("api_hash", 64);
  if (!api_hash.ok()) {
    return api_hash.error();
  }
  out.fields = {*phone, *api_id, *api_hash};
  return out;
}

Response upload(domain::StockService& stock, Request& req) {
  const std::string content_type(req.header("Content-Type").value_or(""));
  std::string media = content_type.substr(0, content_type.find(';'));
  for (auto& c : media) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto ctx = request_context(req);
  if (media == "application/json") {
    auto in = from_json(req.body);
    if (!in.ok()) {
      return Response::error(in.error());
    }
    return respond(stock.import_string_session(in->string_session, in->fields, ctx), account_json,
                   201);
  }
  auto boundary = http::multipart_boundary(content_type);
  if (!boundary.ok()) {
    return Response::error(boundary.error());
  }
  auto parts = http::parse_multipart(req.body, *boundary);
  if (!parts.ok()) {
    return Response::error(parts.error());
  }
  auto in = from_multipart(*parts);
  if (!in.ok()) {
    return Response::error(in.error());
  }
  // The part's file name is never used: the bytes go to the parser in memory, nowhere else.
  if (in->file != nullptr) {
    return respond(stock.import_session_file(in->file->body, in->fields, ctx), account_json, 201);
  }
  return respond(stock.import_string_session(in->string_session, in->fields, ctx), account_json,
                 201);
}

Response list(domain::StockService& stock, const Request& req) {
  domain::StockFilter f;
  auto limit = http::query_int(req, "limit", 50, 1, 200);
  auto cursor = http::query_int(req, "cursor", 0, 0, INT64_MAX);
  for (auto* r : {&limit, &cursor}) {
    if (!r->ok()) {
      return Response::error(r->error());
    }
  }
  f.limit = static_cast<int>(*limit);
  if (*cursor > 0) {
    f.before_id = *cursor;
  }
  if (auto it = req.query.find("status"); it != req.query.end() && !it->second.empty()) {
    f.status = it->second;
  }
  auto page = stock.list(f);
  if (!page.ok()) {
    return Response::error(page.error());
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : *page) {
    items.push_back(domain::to_json(a));
  }
  const bool more = static_cast<int>(page->size()) == f.limit;
  return Response::ok({{"stock", items},
                       {"next_cursor", more ? nlohmann::json(page->back().id) : nlohmann::json()}});
}

}  // namespace

void add_admin_stock_routes(http::Router& router, ApiContext& ctx) {
  domain::StockService& stock = *ctx.stock;

  router.add(
      {"POST", "/api/admin/stock/upload", Access::kAdmin,
       [&stock](Request& req) { return upload(stock, req); }, false, kStockUploadBodyLimit},
      {.summary = "Add a Telegram account: a .session file (multipart) or a StringSession (JSON)",
       .tag = "admin-stock",
       .request = sc::obj({{"string_session", sc::string()},
                           {"phone_number", sc::string()},
                           {"api_id", sc::integer()},
                           {"api_hash", sc::string()}}),
       .request_type = "multipart/form-data",
       .replies = {{201, "Added", sc::ref("StockAccount")}},
       .errors = {400, 409, 422}});

  router.add(
      {"GET", "/api/admin/stock", Access::kAdmin,
       [&stock](Request& req) { return list(stock, req); }},
      {.summary = "Stock accounts, newest first",
       .tag = "admin-stock",
       .query =
           [] {
             auto q = sc::paging();
             q.push_back({"status", sc::string(), "only this status (UNUSED, ASSIGNED, ...)"});
             return q;
           }(),
       .replies = {{200, "A page of accounts",
                    sc::obj({{"stock", sc::array_of(sc::ref("StockAccount"))},
                             {"next_cursor", sc::nullable(sc::integer())}})}}});

  router.add({"GET", "/api/admin/stock/overview", Access::kAdmin,
              [&stock](Request&) {
                return respond(stock.overview(),
                               [](const domain::StockOverview& o) { return domain::to_json(o); });
              }},
             {.summary = "Accounts per status, and whether stock is low",
              .tag = "admin-stock",
              .replies = {{200, "The overview", sc::ref("StockOverview")}}});

  router.add({"GET", "/api/admin/stock/{id:int}", Access::kAdmin,
              [&stock](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                return respond(stock.get(*id), account_json);
              }},
             {.summary = "One stock account",
              .tag = "admin-stock",
              .replies = {{200, "The account", sc::ref("StockAccount")}}});

  router.add({"POST", "/api/admin/stock/{id:int}/assign", Access::kAdmin,
              [&stock](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                auto adbot = http::require_int(http::body_of(req), "adbot_id", 1, INT64_MAX);
                if (!adbot.ok()) {
                  return Response::error(adbot.error());
                }
                return respond(stock.assign(*id, *adbot, request_context(req)), account_json);
              },
              true, kSmallJson},
             {.summary = "Assign the account to an adbot (a replacement)",
              .tag = "admin-stock",
              .request = sc::obj({{"adbot_id", sc::integer()}}),
              .replies = {{200, "The account", sc::ref("StockAccount")}},
              .errors = {409, 422}});

  router.add({"POST", "/api/admin/stock/{id:int}/retire", Access::kAdmin,
              [&stock](Request& req) {
                auto id = http::id_param(req);
                if (!id.ok()) {
                  return Response::error(id.error());
                }
                auto reason = http::require_string(http::body_of(req), "reason", {.max_len = 500});
                if (!reason.ok()) {
                  return Response::error(reason.error());
                }
                return respond(stock.retire(*id, *reason, request_context(req)), account_json);
              },
              true, kSmallJson},
             {.summary = "Retire the account for good",
              .tag = "admin-stock",
              .request = sc::obj({{"reason", sc::string()}}),
              .replies = {{200, "The account", sc::ref("StockAccount")}},
              .errors = {409}});
}

}  // namespace hqadz::api
