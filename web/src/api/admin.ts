import { api } from "./client";
import type { AdminDashboard, AuditEntry, IssuedCode, Page, Role, User, UserStatus } from "./types";

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
    const r = await api.get<{ users: User[]; next_cursor: number | null }>("/api/admin/users", {
      query: { ...f, cursor: f.cursor ?? undefined },
    });
    return { items: r.users, next_cursor: r.next_cursor ?? null };
  },
  create: (email: string, role: Role) => api.post<IssuedCode>("/api/admin/users", { email, role }),
  suspend: (id: number) => api.post<User>(`/api/admin/users/${id}/suspend`),
  unsuspend: (id: number) => api.post<User>(`/api/admin/users/${id}/unsuspend`),
  resetCode: (id: number) => api.post<IssuedCode>(`/api/admin/users/${id}/reset-code`),
};

export const adminAudit = {
  async list(f: AuditFilter = {}): Promise<Page<AuditEntry>> {
    const r = await api.get<{ audit_log: AuditEntry[]; next_cursor: number | null }>("/api/admin/audit", {
      query: { ...f, cursor: f.cursor ?? undefined },
    });
    return { items: r.audit_log, next_cursor: r.next_cursor ?? null };
  },
};

export const adminMetrics = {
  dashboard: () => api.get<AdminDashboard>("/api/admin/dashboard"),
  stats: () => api.get<Record<string, unknown>>("/api/admin/stats"),
};
