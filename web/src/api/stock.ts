import { api } from "./client";
import { http, ok } from "./http";
import type { StockAccount, StockStatus } from "./types";

export interface StockCredentials {
  phone_number: string;
  api_id: string;
  api_hash: string;
}

export const stockApi = {
  async list(f: { status?: StockStatus | ""; limit?: number; cursor?: number | null } = {}) {
    const r = await ok(http.GET("/api/admin/stock", { params: { query: { status: f.status || undefined, limit: f.limit, cursor: f.cursor ?? undefined } } }));
    return { items: r.stock, next_cursor: r.next_cursor ?? null };
  },
  overview: () => ok(http.GET("/api/admin/stock/overview")),
  /** A Telethon `.session` file, with upload progress (XMLHttpRequest: fetch has none). */
  uploadFile(file: File, cred: StockCredentials, onProgress?: (f: number) => void) {
    const form = new FormData();
    form.set("file", file, file.name);
    form.set("phone_number", cred.phone_number);
    form.set("api_id", cred.api_id);
    form.set("api_hash", cred.api_hash);
    return api.upload<StockAccount>("/api/admin/stock/upload", form, onProgress);
  },
  uploadString: (string_session: string, cred: StockCredentials) =>
    ok(
      http.POST("/api/admin/stock/upload", {
        body: { string_session, phone_number: cred.phone_number, api_id: Number(cred.api_id), api_hash: cred.api_hash },
      }),
    ),
  assign: (id: number, adbot_id: number) => ok(http.POST("/api/admin/stock/{id}/assign", { params: { path: { id } }, body: { adbot_id } })),
  retire: (id: number, reason: string) => ok(http.POST("/api/admin/stock/{id}/retire", { params: { path: { id } }, body: { reason } })),
};
