// Formatting of money, dates and durations, shared by every page.

const FIAT = new Set(["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "CNY", "INR", "RUB", "UAH", "TRY", "BRL", "AED", "SGD", "HKD", "NZD", "SEK", "NOK", "DKK", "PLN"]);

export function formatMoney(amount: number | string | null | undefined, currency = "USD"): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const n = typeof amount === "string" ? Number(amount) : amount;
  if (!Number.isFinite(n)) return String(amount);
  const cur = currency.toUpperCase();
  // Intl takes any three letters as a currency ("BTC 0.00"): only fiat goes through it.
  if (!FIAT.has(cur)) return `${trimNumber(n)} ${cur}`;
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: cur,
      minimumFractionDigits: Number.isInteger(n) ? 0 : 2,
      maximumFractionDigits: 2,
    }).format(n);
  } catch {
    // Crypto tickers (BTC, USDTTRC20…) are not ISO currencies: keep every significant digit.
    return `${trimNumber(n)} ${cur}`;
  }
}

/** A crypto amount: no exponent, no trailing zeros. */
export function trimNumber(n: number | string): string {
  const v = typeof n === "string" ? Number(n) : n;
  if (!Number.isFinite(v)) return String(n);
  if (typeof n === "string" && /^-?\d+(\.\d+)?$/.test(n)) return n.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  return v.toFixed(12).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

export function parseDate(s: string | null | undefined): Date | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

let useUtc = false;
/** Settings → "show times in UTC". */
export function setUtcDisplay(v: boolean) {
  useUtc = v;
}

export function formatDateTime(s: string | null | undefined): string {
  const d = parseDate(s);
  if (!d) return "—";
  return d.toLocaleString("en-GB", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: useUtc ? "UTC" : undefined,
  }) + (useUtc ? " UTC" : "");
}

export function formatDate(s: string | null | undefined): string {
  const d = parseDate(s);
  if (!d) return "—";
  return d.toLocaleDateString("en-GB", { year: "numeric", month: "short", day: "numeric", timeZone: useUtc ? "UTC" : undefined });
}

export function formatTime(s: string | null | undefined): string {
  const d = parseDate(s);
  if (!d) return "—";
  return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: useUtc ? "UTC" : undefined });
}

/** "3d 4h", "12m 5s", "45s": the two largest units. */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds)) return "—";
  let s = Math.max(0, Math.floor(totalSeconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: [number, string][] = [
    [d, "d"],
    [h, "h"],
    [m, "m"],
    [s, "s"],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  if (first < 0) return "0s";
  return parts
    .slice(first, first + 2)
    .filter(([v]) => v > 0)
    .map(([v, u]) => `${v}${u}`)
    .join(" ");
}

/** "every 60 min", "every 2 h", "every 30 s". */
export function formatInterval(seconds: number | undefined): string {
  if (!seconds || seconds <= 0) return "—";
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

/** "in 5 min", "2 h ago", "just now". */
export function formatRelative(s: string | null | undefined, now: number = Date.now()): string {
  const d = parseDate(s);
  if (!d) return "—";
  const diff = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(diff);
  if (abs < 10) return "just now";
  const text = formatDuration(abs).split(" ")[0];
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** What is left of a validity period, for the dashboard. */
export function validityLeft(end: string | null | undefined, now: number = Date.now()) {
  const d = parseDate(end);
  if (!d) return { text: "Not started", seconds: null as number | null, tone: "muted" as const };
  const seconds = Math.floor((d.getTime() - now) / 1000);
  if (seconds <= 0) return { text: "Expired", seconds: 0, tone: "danger" as const };
  const tone = seconds < 3 * 86400 ? ("warning" as const) : ("ok" as const);
  return { text: `${formatDuration(seconds)} left`, seconds, tone };
}

export function pluralize(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function titleCase(s: string | null | undefined): string {
  if (!s) return "";
  return s
    .toLowerCase()
    .split(/[_\s]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

/** "+447700900123.session" → "+447700900123" (the usual naming of Telethon files); "" if none. */
export function phoneFromFileName(name: string): string {
  const base = name.replace(/\.session$/i, "");
  const digits = base.replace(/[^\d+]/g, "");
  return /^\+?\d{7,15}$/.test(digits) ? (digits.startsWith("+") ? digits : "+" + digits) : "";
}
