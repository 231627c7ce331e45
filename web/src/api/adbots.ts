import { http, ok } from "./http";
import type { AdbotStatus } from "./types";

export const adbots = {
  mine: () => ok(http.GET("/api/user/adbots")).then((r) => r.adbots),
  /** `{adbot, groups, accounts, stats}`. */
  get: (id: number) => ok(http.GET("/api/adbots/{id}", { params: { path: { id } } })),
  start: (id: number) => ok(http.POST("/api/adbots/{id}/start", { params: { path: { id } } })),
  stop: (id: number) => ok(http.POST("/api/adbots/{id}/stop", { params: { path: { id } } })),
  logs: (id: number, limit = 100, before?: number) =>
    ok(http.GET("/api/adbots/{id}/logs", { params: { path: { id }, query: { limit, ...(before ? { before } : {}) } } })).then((r) => r.logs),
  /** Same-origin SSE; authenticated by the `hqadz_access` cookie (never a token in the URL). */
  eventsUrl: (id: number) => `/api/adbots/${id}/events`,
  stats: () => ok(http.GET("/api/user/stats")),
};

export const advertisement = {
  get: (adbot_id: number) => ok(http.GET("/api/user/advertisement", { params: { query: { adbot_id } } })),
  save: (adbot_id: number, post_link: string, groups: string[]) =>
    ok(http.POST("/api/user/advertisement", { params: { query: { adbot_id } }, body: { post_link, groups } })),
  validatePost: (post_link: string, adbot_id?: number) =>
    ok(http.POST("/api/bot/validate-post", { body: { post_link, ...(adbot_id ? { adbot_id } : {}) } })),
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
    const r = await ok(
      http.GET("/api/admin/adbots", {
        params: { query: { status: f.status || undefined, q: f.q || undefined, user_id: f.user_id, limit: f.limit, cursor: f.cursor ?? undefined } },
      }),
    );
    return { items: r.adbots, next_cursor: r.next_cursor ?? null };
  },
  extend: (id: number, days: number) => ok(http.POST("/api/admin/adbots/{id}/extend", { params: { path: { id } }, body: { days } })),
  forceStop: (id: number) => ok(http.POST("/api/adbots/{id}/stop", { params: { path: { id } } })),
};
