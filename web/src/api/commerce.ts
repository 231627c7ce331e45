import { api } from "./client";
import type { Notification, Order, Payment, PaymentCreated, PaymentStatus, Product } from "./types";

export type ProductInput = Omit<Product, "id">;

export const catalog = {
  list: () => api.get<{ products: Product[] }>("/api/products").then((r) => r.products),
  adminList: () => api.get<{ products: Product[] }>("/api/admin/products").then((r) => r.products),
  create: (p: ProductInput) => api.post<Product>("/api/admin/products", p),
  update: (id: number, p: Partial<ProductInput>) => api.patch<Product>(`/api/admin/products/${id}`, p),
};

export const payments = {
  create: (product_id: number, pay_currency: string, adbot_id?: number) =>
    api.post<PaymentCreated>("/api/payment/create", { product_id, pay_currency, ...(adbot_id ? { adbot_id } : {}) }),
  status: (order_id: number) => api.get<PaymentStatus>("/api/payment/status", { query: { order_id } }),
  /** Demo mode only (the manual provider): pretend the customer paid. */
  simulate: (order_id: number) => api.post<PaymentStatus>("/api/payment/simulate", { order_id }),
};

export const orders = {
  mine: () => api.get<{ orders: Order[] }>("/api/user/orders").then((r) => r.orders),
};

export const notifications = {
  mine: () => api.get<{ notifications: Notification[]; unread?: number }>("/api/user/notifications"),
  markRead: (ids: number[] | "all") =>
    api.post<void>("/api/user/notifications/read", ids === "all" ? { all: true } : { ids }),
};

export interface FlaggedPayment extends Payment {
  order?: Order;
}

export const adminPayments = {
  flagged: () =>
    api.get<{ payments: FlaggedPayment[] }>("/api/admin/payments", { query: { flagged: "true" } }).then((r) => r.payments),
  markPaid: (order_id: number) => api.post<Order>(`/api/admin/orders/${order_id}/mark-paid`),
};
