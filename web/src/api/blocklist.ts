import { http, httpNoRefresh, ok } from "./http";
import type { BlocklistStatus } from "./types";

export const blocklist = {
  list: (status?: BlocklistStatus | "") =>
    ok(http.GET("/api/admin/blocklist", { params: { query: { status: status || undefined } } })).then((r) => r.blocklist),
  add: (group: string, reason: string) => ok(http.POST("/api/admin/blocklist", { body: { group, ...(reason ? { reason } : {}) } })),
  /** An opt-out request: confirm keeps the group blocked, reject lifts it. */
  confirm: (id: number) => ok(http.POST("/api/admin/blocklist/{id}/confirm", { params: { path: { id } } })),
  reject: (id: number) => ok(http.POST("/api/admin/blocklist/{id}/reject", { params: { path: { id } } })),
  remove: (id: number) => ok(http.DELETE("/api/admin/blocklist/{id}", { params: { path: { id } } })),
};

export const publicApi = {
  optOut: (group: string, contact: string, reason: string) =>
    ok(httpNoRefresh.POST("/api/public/opt-out", { body: { group, ...(contact ? { contact } : {}), ...(reason ? { reason } : {}) } })),
  health: () => ok(httpNoRefresh.GET("/api/health")),
};
