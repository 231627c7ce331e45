// The live log of one adbot: Server-Sent Events, falling back to polling the logs route when
// the stream is unavailable or drops, and retrying the stream now and then.
import { useEffect, useState } from "react";
import { adbots } from "../api/adbots";
import { api, isNotAvailable } from "../api/client";
import type { AdbotEvent } from "../api/types";
import { readEventStream } from "./sse";

export type LiveMode = "connecting" | "live" | "polling" | "unavailable";

export function eventKey(e: AdbotEvent): string {
  return `#${e.id}`;
}

/** Merges new events into a list (newest first), without duplicates, capped. */
export function mergeEvents(existing: AdbotEvent[], incoming: AdbotEvent[], cap = 500): AdbotEvent[] {
  const seen = new Set(existing.map(eventKey));
  const fresh = incoming.filter((e) => {
    const k = eventKey(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (!fresh.length) return existing;
  const all = [...fresh, ...existing];
  all.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return all.slice(0, cap);
}

/** An SSE `data:` payload of `event: log`: one LogEvent, as `GET /api/adbots/{id}/logs` lists them. */
export function parseEventData(data: string): AdbotEvent | null {
  try {
    const ev = JSON.parse(data) as AdbotEvent;
    return ev && typeof ev.id === "number" && typeof ev.at === "string" && typeof ev.kind === "string" ? ev : null;
  } catch {
    return null;
  }
}

export function useLiveLog(adbotId: number | undefined, pollMs = 5000) {
  const [events, setEvents] = useState<AdbotEvent[]>([]);
  const [mode, setMode] = useState<LiveMode>("connecting");
  const [error, setError] = useState<unknown>();
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    if (!adbotId) return;
    const ctl = new AbortController();
    let poll: ReturnType<typeof setInterval> | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let streamFailures = 0;
    let unavailable = false;

    const fetchLogs = async () => {
      try {
        const logs = await adbots.logs(adbotId, 100);
        if (ctl.signal.aborted) return;
        setEvents((old) => mergeEvents(old, logs));
        setError(undefined);
      } catch (e) {
        if (ctl.signal.aborted) return;
        if (isNotAvailable(e)) {
          unavailable = true;
          setMode("unavailable");
          stopPolling();
        } else setError(e);
      } finally {
        if (!ctl.signal.aborted) setLoaded(true);
      }
    };
    const startPolling = () => {
      if (poll || unavailable || ctl.signal.aborted) return;
      setMode("polling");
      poll = setInterval(fetchLogs, pollMs);
    };
    const stopPolling = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };

    const stream = async () => {
      if (ctl.signal.aborted || unavailable) return;
      try {
        if (!api.accessToken) await api.refresh().catch(() => null);
        await readEventStream(adbots.eventsUrl(adbotId), {
          signal: ctl.signal,
          headers: api.accessToken ? { Authorization: `Bearer ${api.accessToken}` } : {},
          onOpen: () => {
            streamFailures = 0;
            stopPolling();
            setMode("live");
            void fetchLogs(); // catch up on what happened while reconnecting
          },
          onMessage: (m) => {
            if (m.event !== "log") return;
            const ev = parseEventData(m.data);
            if (ev) setEvents((old) => mergeEvents(old, [ev]));
          },
        });
      } catch (e) {
        if (ctl.signal.aborted) return;
        const status = (e as { status?: number }).status;
        if (status === 401) await api.refresh().catch(() => null);
        if (status === 404 || status === 405) {
          startPolling(); // no stream route on this server: polling only
          return;
        }
      }
      if (ctl.signal.aborted) return;
      streamFailures += 1;
      startPolling();
      retry = setTimeout(stream, Math.min(30000, 2000 * 2 ** Math.min(streamFailures, 4)));
    };

    setEvents([]);
    setLoaded(false);
    setMode("connecting");
    void fetchLogs().then(stream);
    return () => {
      ctl.abort();
      stopPolling();
      if (retry) clearTimeout(retry);
    };
  }, [adbotId, pollMs]);

  return { events, mode, error, loaded };
}
