import { api, ApiClient } from "./client";
import type { Session, User } from "./types";

export interface SignupResult {
  email: string;
  message: string;
  /** Present only when the server cannot send email: shown once. */
  access_code?: string;
}

export function authApi(c: ApiClient = api) {
  return {
    signup: (email: string) => c.post<SignupResult>("/api/auth/signup", { email }, { noRefresh: true }),
    recover: (email: string) => c.post<{ message: string }>("/api/auth/recover", { email }, { noRefresh: true }),
    async signIn(email: string, access_code: string): Promise<Session> {
      const s = await c.post<Session>("/api/auth/verify-access-code", { email, access_code }, { noRefresh: true });
      c.setSession(s);
      return s;
    },
    /** Renews the session from the refresh cookie; null when there is none. */
    resume: () => c.refresh() as Promise<Session | null>,
    me: () => c.get<{ user: User }>("/api/auth/me").then((r) => r.user),
    async logout(): Promise<void> {
      try {
        await c.request<void>("POST", "/api/auth/logout", { noRefresh: true });
      } finally {
        c.setSession(null);
      }
    },
  };
}

export const auth = authApi();
