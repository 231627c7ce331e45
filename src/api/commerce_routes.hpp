#pragma once
/// Commerce routes: the catalogue (/api/products, /api/admin/products*), buying and paying
/// (/api/payment/create|webhook|status), the customer's orders, adbots and notifications
/// (/api/user/*), and the admin's payments and manual mark-paid.

#include "api/context.hpp"
#include "domain/catalog.hpp"
#include "domain/commerce.hpp"
#include "payments/payment_service.hpp"

namespace hqadz::api {

struct CommerceApi {
  domain::CatalogService& catalog;
  domain::CommerceService& commerce;
  payments::PaymentService& payments;
  bool user_adbots_route = true;  // false when the adbots routes serve GET /api/user/adbots
  /// `serve --demo` only: payment answers carry "demo": true and the owner of an order may
  /// simulate its payment (POST /api/payment/simulate {order_id}).
  bool demo = false;
};

void add_commerce_routes(http::Router& router, CommerceApi& api);

/// The product fields of a JSON body; the price is read from the raw bytes so that it stays an
/// exact decimal. Errors name the field (400).
core::Result<domain::ProductFields> parse_product_fields(const http::Request& request);

}  // namespace hqadz::api
