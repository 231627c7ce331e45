import { api, ApiClient, type SessionPayload } from "./client";
import { ok, typedClient } from "./http";
import type { Session } from "./types";

export function authApi(c: ApiClient = api) {
  const open = typedClient(c, { noRefresh: true });
  const renewing = typedClient(c);
  return {
    signup: (email: string) => ok(open.POST("/api/auth/signup", { body: { email } })),
    recover: (email: string) => ok(open.POST("/api/auth/recover", { body: { email } })),
    async signIn(email: string, access_code: string): Promise<Session> {
      const s = await ok(open.POST("/api/auth/verify-access-code", { body: { email, access_code } }));
      c.setSession(s);
      return s;
    },
    /** Renews the session from the refresh cookie; null when there is none. */
    resume: () => c.refresh() as Promise<(SessionPayload & Session) | null>,
    me: () => ok(renewing.GET("/api/auth/me")).then((r) => r.user),
    async logout(): Promise<void> {
      try {
        await ok(open.POST("/api/auth/logout"));
      } finally {
        c.setSession(null);
      }
    },
  };
}

export const auth = authApi();
