import { api } from "./client";
import type { Adbot, AdbotAccount, AdbotEvent, AdbotGroup, AdbotStats, AdbotStatus, Advertisement, UserStats } from "./types";

export const adbots = {
  mine: () => api.get<{ adbots: Adbot[] }>("/api/user/adbots").then((r) => r.adbots),
  /** `{adbot, groups, accounts, stats}` flattened into one Adbot. */
  get: (id: number) =>
    api
      .get<Adbot | { adbot: Adbot; groups?: AdbotGroup[]; accounts?: AdbotAccount[]; stats?: AdbotStats }>(`/api/adbots/${id}`)
      .then((r): Adbot => ("adbot" in r ? { ...r.adbot, groups: r.groups, accounts: r.accounts, stats: r.stats } : r)),
  start: (id: number) => api.post<Adbot>(`/api/adbots/${id}/start`),
  stop: (id: number) => api.post<Adbot>(`/api/adbots/${id}/stop`),
  logs: (id: number, limit = 100, before?: string | number) =>
    api.get<{ logs: AdbotEvent[]; next_before?: number | null }>(`/api/adbots/${id}/logs`, { query: { limit, before } }).then((r) => r.logs),
  /** Same-origin SSE; authenticated by the `hqadz_access` cookie (never a token in the URL). */
  eventsUrl: (id: number) => `/api/adbots/${id}/events`,
  stats: () => api.get<UserStats>("/api/user/stats"),
};

export const advertisement = {
  get: (adbot_id: number) => api.get<Advertisement>("/api/user/advertisement", { query: { adbot_id } }),
  save: (adbot_id: number, post_link: string, groups: string[]) =>
    api.post<Advertisement>("/api/user/advertisement", { post_link, groups }, { query: { adbot_id } }),
  validatePost: (post_link: string, adbot_id?: number) =>
    api.post<{ ok?: boolean; valid?: boolean; message?: string; channel?: string; message_id?: number }>(
      "/api/bot/validate-post",
      { post_link, ...(adbot_id ? { adbot_id } : {}) },
    ),
};

export interface AdminAdbotFilter {
  status?: AdbotStatus | "";
  q?: string;
  user_id?: number;
  limit?: number;
  cursor?: number | null;
}

export const adminAdbots = {
  async list(f: AdminAdbotFilter = {}) {
    const r = await api.get<{ adbots: Adbot[]; next_cursor?: number | null }>("/api/admin/adbots", {
      query: { ...f, cursor: f.cursor ?? undefined },
    });
    return { items: r.adbots, next_cursor: r.next_cursor ?? null };
  },
  extend: (id: number, days: number) => api.post<Adbot>(`/api/admin/adbots/${id}/extend`, { days }),
  forceStop: (id: number) => api.post<Adbot>(`/api/adbots/${id}/stop`),
};
