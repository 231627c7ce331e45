import { http, ok } from "./http";
import type { ProductInput } from "./types";

export const catalog = {
  list: () => ok(http.GET("/api/products")).then((r) => r.products),
  adminList: () => ok(http.GET("/api/admin/products")).then((r) => r.products),
  create: (p: ProductInput) => ok(http.POST("/api/admin/products", { body: p })),
  update: (id: number, p: Partial<ProductInput>) => ok(http.PATCH("/api/admin/products/{id}", { params: { path: { id } }, body: p })),
};

export const payments = {
  create: (product_id: number, pay_currency: string, adbot_id?: number) =>
    ok(http.POST("/api/payment/create", { body: { product_id, pay_currency, ...(adbot_id ? { adbot_id } : {}) } })),
  status: (order_id: number) => ok(http.GET("/api/payment/status", { params: { query: { order_id } } })),
  /** Demo mode only (the manual provider): pretend the customer paid. */
  simulate: (order_id: number) => ok(http.POST("/api/payment/simulate", { body: { order_id } })),
};

export const orders = {
  mine: () => ok(http.GET("/api/user/orders")).then((r) => r.orders),
};

export const notifications = {
  mine: () => ok(http.GET("/api/user/notifications")),
  readAll: () => ok(http.POST("/api/user/notifications/read-all")),
  read: (id: number) => ok(http.POST("/api/user/notifications/{id}/read", { params: { path: { id } } })),
};

export const adminPayments = {
  flagged: () => ok(http.GET("/api/admin/payments", { params: { query: { flagged: "true" } } })).then((r) => r.payments),
  markPaid: (id: number) => ok(http.POST("/api/admin/orders/{id}/mark-paid", { params: { path: { id } } })),
};
