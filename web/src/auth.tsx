import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { auth } from "./api/auth";
import { api } from "./api/client";
import type { Session, User } from "./api/types";

type Status = "loading" | "signedOut" | "signedIn";

interface AuthState {
  status: Status;
  user: User | null;
  signIn: (email: string, code: string) => Promise<User>;
  signOut: () => Promise<void>;
  setUser: (u: User) => void;
}

const Ctx = createContext<AuthState | null>(null);

// Not a secret: only a hint that a refresh cookie may exist, so a first visit does not
// start with a failing /api/auth/refresh.
const HINT = "hqadz.signedIn";
const hint = {
  get: () => {
    try {
      return localStorage.getItem(HINT) === "1";
    } catch {
      return true;
    }
  },
  set: (v: boolean) => {
    try {
      if (v) localStorage.setItem(HINT, "1");
      else localStorage.removeItem(HINT);
    } catch {
      /* ignore */
    }
  },
};

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>(() => (hint.get() ? "loading" : "signedOut"));
  const [user, setUser] = useState<User | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const off = api.onSession((s) => {
      if (timer.current) clearTimeout(timer.current);
      if (s) {
        const session = s as Session;
        setUser(session.user);
        setStatus("signedIn");
        hint.set(true);
        // Renew a minute before the access token expires.
        const ms = Math.max(10, (session.expires_in ?? 900) - 60) * 1000;
        timer.current = setTimeout(() => void api.refresh().catch(() => undefined), ms);
      } else {
        setUser(null);
        setStatus("signedOut");
        hint.set(false);
      }
    });
    if (hint.get()) {
      auth.resume().catch(() => {
        // Network trouble: leave the user signed out; the sign-in page says what happened.
        setStatus("signedOut");
      });
    }
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  const signIn = useCallback(async (email: string, code: string) => {
    const s = await auth.signIn(email, code);
    return s.user;
  }, []);
  const signOut = useCallback(async () => {
    await auth.logout().catch(() => undefined);
  }, []);

  const value = useMemo(() => ({ status, user, signIn, signOut, setUser }), [status, user, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthState {
  const c = useContext(Ctx);
  if (!c) throw new Error("useAuth outside AuthProvider");
  return c;
}
