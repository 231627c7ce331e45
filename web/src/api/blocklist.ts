import { api } from "./client";
import type { BlocklistEntry } from "./types";

export const blocklist = {
  list: (status?: string) =>
    api.get<{ blocklist: BlocklistEntry[] }>("/api/admin/blocklist", { query: { status } }).then((r) => r.blocklist),
  add: (target: string, reason: string) => api.post<BlocklistEntry>("/api/admin/blocklist", { target, reason }),
  /** An opt-out request: confirm keeps the group blocked, reject lifts it. */
  decide: (id: number, decision: "confirm" | "reject") =>
    api.post<BlocklistEntry>(`/api/admin/blocklist/${id}/${decision}`),
  remove: (id: number) => api.del<void>(`/api/admin/blocklist/${id}`),
};

export const publicApi = {
  optOut: (group: string, contact: string, reason: string) =>
    api.post<{ message?: string; target?: string }>(
      "/api/public/opt-out",
      { group, target: group, contact, reason },
      { noRefresh: true },
    ),
  health: () => api.get<{ status: string; [k: string]: unknown }>("/api/health", { noRefresh: true }),
};
