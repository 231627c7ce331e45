// Turning events or server series into chart buckets.
import type { AdbotEvent } from "../api/types";

/** A count of deliveries in one day (`"2026-01-08"`) or hour (an ISO time). */
export interface SeriesPoint {
  at: string;
  deliveries: number;
}
import type { Bucket } from "../components/Chart";

const FAIL = new Set(["FAILED", "WRITE_FORBIDDEN", "BANNED", "DROPPED", "CAPPED", "SKIPPED", "ERROR", "CHANNEL_PRIVATE", "USER_BANNED_IN_CHANNEL"]);

function hourLabel(t: number) {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, "0")}:00`;
}

/** Deliveries per hour over the last `hours` hours, from the log's events. */
export function bucketEventsByHour(events: AdbotEvent[], now: number, hours = 24): Bucket[] {
  const hour = 3600_000;
  const end = Math.floor(now / hour) * hour + hour;
  const start = end - hours * hour;
  const out: Bucket[] = [];
  for (let t = start; t < end; t += hour) out.push({ label: hourLabel(t), ok: 0, failed: 0 });
  for (const e of events) {
    const t = Date.parse(e.at);
    if (Number.isNaN(t) || t < start || t >= end) continue;
    const b = out[Math.floor((t - start) / hour)];
    if (e.kind === "SENT") b.ok += 1;
    else if (FAIL.has(e.kind)) b.failed += 1;
  }
  return out;
}

/**
 * A sparse per-day or per-hour series (only buckets with deliveries) made dense over the last
 * `n` buckets ending now, so the chart shows the quiet periods too.
 */
export function fillSeries(points: SeriesPoint[], unit: "day" | "hour", n: number, now: number): Bucket[] {
  const size = unit === "day" ? 86_400_000 : 3_600_000;
  const end = Math.floor(now / size) * size;
  const counts = new Map<number, { ok: number; failed: number }>();
  for (const p of points) {
    const when = Date.parse(p.at);
    if (Number.isNaN(when)) continue;
    const k = Math.floor(when / size) * size;
    const c = counts.get(k) ?? { ok: 0, failed: 0 };
    c.ok += p.deliveries;
    counts.set(k, c);
  }
  const out: Bucket[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const t = end - i * size;
    const d = new Date(t);
    const label = unit === "day" ? d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }) : `${String(d.getHours()).padStart(2, "0")}:00`;
    out.push({ label, ...(counts.get(t) ?? { ok: 0, failed: 0 }) });
  }
  return out;
}
