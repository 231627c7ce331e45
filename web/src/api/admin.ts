import { http, ok } from "./http";
import type { AuditEntry, Page, Role, User, UserStatus } from "./types";

export interface UserFilter {
  role?: Role | "";
  status?: UserStatus | "";
  q?: string;
  limit?: number;
  cursor?: number | null;
}

export interface AuditFilter {
  action?: string;
  target_type?: string;
  limit?: number;
  cursor?: number | null;
}

export const adminUsers = {
  async list(f: UserFilter = {}): Promise<Page<User>> {
    const r = await ok(
      http.GET("/api/admin/users", {
        params: { query: { role: f.role || undefined, status: f.status || undefined, q: f.q || undefined, limit: f.limit, cursor: f.cursor ?? undefined } },
      }),
    );
    return { items: r.users, next_cursor: r.next_cursor ?? null };
  },
  create: (email: string, role: Role) => ok(http.POST("/api/admin/users", { body: { email, role } })),
  suspend: (id: number) => ok(http.POST("/api/admin/users/{id}/suspend", { params: { path: { id } } })),
  unsuspend: (id: number) => ok(http.POST("/api/admin/users/{id}/unsuspend", { params: { path: { id } } })),
  resetCode: (id: number) => ok(http.POST("/api/admin/users/{id}/reset-code", { params: { path: { id } } })),
};

export const adminAudit = {
  async list(f: AuditFilter = {}): Promise<Page<AuditEntry>> {
    const r = await ok(
      http.GET("/api/admin/audit", {
        params: { query: { action: f.action || undefined, target_type: f.target_type || undefined, limit: f.limit, cursor: f.cursor ?? undefined } },
      }),
    );
    return { items: r.audit_log, next_cursor: r.next_cursor ?? null };
  },
};

export const adminMetrics = {
  dashboard: () => ok(http.GET("/api/admin/dashboard")),
};
