// The unread-notification count shared by the sidebar badge and the Notifications page, so
// marking read there clears the badge at once (not at the next minute's poll).
import { useSyncExternalStore } from "react";

let count = 0;
const listeners = new Set<() => void>();

export const unread = {
  get: () => count,
  set(n: number) {
    const v = Math.max(0, n);
    if (v === count) return;
    count = v;
    for (const l of listeners) l();
  },
  subscribe(l: () => void) {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
};

export function useUnreadCount(): number {
  return useSyncExternalStore(unread.subscribe, unread.get);
}
