// Per-browser preferences (Settings page), kept in localStorage.
import { useSyncExternalStore } from "react";
import { setUtcDisplay } from "./format";

export interface Prefs {
  theme: "system" | "light" | "dark";
  utc: boolean;
  autoscroll: boolean;
  compact: boolean;
  pollSeconds: number;
}

const KEY = "hqadz.prefs";
const defaults: Prefs = { theme: "system", utc: false, autoscroll: true, compact: false, pollSeconds: 5 };
let current: Prefs = load();
const listeners = new Set<() => void>();

function load(): Prefs {
  try {
    const raw = typeof localStorage !== "undefined" ? localStorage.getItem(KEY) : null;
    return raw ? { ...defaults, ...(JSON.parse(raw) as Partial<Prefs>) } : defaults;
  } catch {
    return defaults;
  }
}

export function applyPrefs(p: Prefs = current) {
  setUtcDisplay(p.utc);
  if (typeof document === "undefined") return;
  const root = document.documentElement;
  if (p.theme === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", p.theme);
  root.toggleAttribute("data-compact", p.compact);
}

export function getPrefs(): Prefs {
  return current;
}

export function setPrefs(patch: Partial<Prefs>) {
  current = { ...current, ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    /* private mode: keep in memory */
  }
  applyPrefs(current);
  for (const l of listeners) l();
}

export function usePrefs(): Prefs {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
