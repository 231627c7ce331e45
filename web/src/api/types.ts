// The shapes pages use, named, all taken from the generated contract (schema.d.ts, from
// web/openapi.json): nothing here is written by hand, so a field the server renames or drops
// fails `tsc` wherever a page reads it.
import type { paths } from "./schema";

type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : never;
type Method = "get" | "post" | "patch" | "delete";
/** The JSON of a route's 200/201 answer. */
export type Answer<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R }
  ? JsonOf<R[Extract<keyof R, 200 | 201>]>
  : never;
/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
/** A query parameter's values. */
type QueryOf<P extends keyof paths, M extends Method> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type User = Answer<"/api/auth/me", "get">["user"];
export type Role = User["role"];
export type UserStatus = User["status"];
export type Session = Answer<"/api/auth/verify-access-code", "post">;
export type SignupResult = Answer<"/api/auth/signup", "post">;
export type IssuedCode = Answer<"/api/admin/users", "post">;
export type AuditEntry = Answer<"/api/admin/audit", "get">["audit_log"][number];

export interface Page<T> {
  items: T[];
  next_cursor: number | null;
}

export type Product = Answer<"/api/products", "get">["products"][number];
export type ProductInput = BodyOf<"/api/admin/products", "post">;
export type Tier = Product["tier"];

export type Order = Answer<"/api/user/orders", "get">["orders"][number];
export type OrderStatus = Order["status"];
export type PaymentStatusAnswer = Answer<"/api/payment/status", "get">;
export type Payment = NonNullable<PaymentStatusAnswer["payment"]>;
export type Receipt = NonNullable<PaymentStatusAnswer["receipt"]>;
export type Coin = NonNullable<Payment["coin"]>;
export type FlaggedPayment = Answer<"/api/admin/payments", "get">["payments"][number];

/** An adbot as the customer's list shows it (with stats, groups_count, sessions_assigned). */
export type Adbot = Answer<"/api/user/adbots", "get">["adbots"][number];
export type AdminAdbot = Answer<"/api/admin/adbots", "get">["adbots"][number];
export type AdbotStatus = Adbot["status"];
/** The adbot itself, as start, stop and extend answer it (no list counters). */
export type AdbotFields = Answer<"/api/adbots/{id}/stop", "post">;
/** `GET /api/adbots/{id}`: `{adbot, groups, accounts, stats}`. */
export type AdbotDetail = Answer<"/api/adbots/{id}", "get">;
export type AdbotAccount = AdbotDetail["accounts"][number];
export type AdbotGroup = AdbotDetail["groups"][number];
export type AdbotStats = AdbotDetail["stats"];
export type AdbotEvent = Answer<"/api/adbots/{id}/logs", "get">["logs"][number];
export type Advertisement = Answer<"/api/user/advertisement", "get">;
export type SavedAdvertisement = Answer<"/api/user/advertisement", "post">;
export type RejectedGroup = SavedAdvertisement["rejected"][number];
export type UserStats = Answer<"/api/user/stats", "get">;

export type NotificationList = Answer<"/api/user/notifications", "get">;
export type Notification = NotificationList["notifications"][number];

export type StockAccount = Answer<"/api/admin/stock", "get">["stock"][number];
export type StockStatus = StockAccount["status"];
export type StockOverview = Answer<"/api/admin/stock/overview", "get">;

export type BlocklistEntry = Answer<"/api/admin/blocklist", "get">["blocklist"][number];
export type BlocklistStatus = NonNullable<QueryOf<"/api/admin/blocklist", "get">["status"]>;

export type AdminDashboard = Answer<"/api/admin/dashboard", "get">;
