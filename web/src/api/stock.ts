import { api } from "./client";
import type { StockAccount, StockOverview, StockStatus } from "./types";

export interface StockCredentials {
  phone_number: string;
  api_id: string;
  api_hash: string;
}

export const stockApi = {
  async list(f: { status?: StockStatus | ""; limit?: number; cursor?: number | null } = {}) {
    const r = await api.get<{ stock: StockAccount[]; next_cursor?: number | null }>("/api/admin/stock", {
      query: { ...f, cursor: f.cursor ?? undefined },
    });
    return { items: r.stock, next_cursor: r.next_cursor ?? null };
  },
  overview: () => api.get<StockOverview>("/api/admin/stock/overview"),
  /** A Telethon `.session` file, with upload progress. */
  uploadFile(file: File, cred: StockCredentials, onProgress?: (f: number) => void) {
    const form = new FormData();
    form.set("file", file, file.name);
    form.set("phone_number", cred.phone_number);
    form.set("api_id", cred.api_id);
    form.set("api_hash", cred.api_hash);
    return api.upload<StockAccount>("/api/admin/stock/upload", form, onProgress);
  },
  uploadString: (string_session: string, cred: StockCredentials) =>
    api.post<StockAccount>("/api/admin/stock/upload", {
      string_session,
      phone_number: cred.phone_number,
      api_id: Number(cred.api_id),
      api_hash: cred.api_hash,
    }),
  assign: (id: number, adbot_id: number) => api.post<StockAccount>(`/api/admin/stock/${id}/assign`, { adbot_id }),
  retire: (id: number, reason: string) => api.post<StockAccount>(`/api/admin/stock/${id}/retire`, { reason }),
};
