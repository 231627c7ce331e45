// Pure countdown arithmetic (the hook lives in hooks.ts).

export interface Remaining {
  totalSeconds: number;
  expired: boolean;
  /** "14:59", "1:02:03" */
  clock: string;
  /** 0..1 of the window still left, when the start is known. */
  fraction: number | null;
}

const pad = (n: number) => String(n).padStart(2, "0");

export function remaining(until: string | number | Date | null | undefined, now: number, from?: number): Remaining | null {
  if (until === null || until === undefined || until === "") return null;
  const end = until instanceof Date ? until.getTime() : typeof until === "number" ? until : Date.parse(until);
  if (Number.isNaN(end)) return null;
  const ms = end - now;
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const clock = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  let fraction: number | null = null;
  if (from !== undefined && end > from) fraction = Math.min(1, Math.max(0, ms / (end - from)));
  return { totalSeconds, expired: ms <= 0, clock, fraction };
}
