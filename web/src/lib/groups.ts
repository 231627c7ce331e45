// Client-side validation of group targets and post links, as the customer types. The server
// has the last word (and gives reasons, e.g. the blocklist); this catches typos early.

export type GroupKind = "username" | "private_id" | "numeric_id" | "invite";

export interface ParsedGroup {
  input: string;
  ok: boolean;
  /** The canonical form, used to find duplicates: `@name`, `-100123`, or the invite link. */
  normalized?: string;
  kind?: GroupKind;
  reason?: string;
  /** True when this line repeats an earlier one (after normalization). */
  duplicate?: boolean;
}

const USERNAME = /^[a-zA-Z][a-zA-Z0-9_]{3,31}$/;

function checkUsername(name: string, input: string): ParsedGroup {
  if (!USERNAME.test(name))
    return {
      input,
      ok: false,
      reason:
        name.length < 4 || name.length > 32
          ? "A username has 4 to 32 characters (letters, digits, _)"
          : "A username starts with a letter and has only letters, digits and _",
    };
  if (name.endsWith("_")) return { input, ok: false, reason: "A username cannot end with _" };
  if (name.includes("__")) return { input, ok: false, reason: "A username cannot contain two _ in a row" };
  return { input, ok: true, normalized: "@" + name.toLowerCase(), kind: "username" };
}

const RESERVED_PATHS = new Set(["c", "s", "joinchat", "addstickers", "share", "proxy", "socks", "login", "iv", "addlist"]);

/** One line of the group list. */
export function parseGroup(raw: string): ParsedGroup {
  const input = raw.trim();
  if (!input) return { input, ok: false, reason: "Empty line" };

  if (input.startsWith("@")) return checkUsername(input.slice(1), input);

  if (/^-?\d+$/.test(input)) {
    const n = input.replace(/^-100/, "").replace(/^-/, "");
    if (n.length < 5 || n.length > 16) return { input, ok: false, reason: "That number does not look like a group id" };
    return { input, ok: true, normalized: "-100" + n, kind: "numeric_id" };
  }

  const link = input.match(/^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/(.*)$/i);
  if (link) {
    const path = link[1].replace(/[?#].*$/, "").replace(/\/+$/, "");
    if (!path) return { input, ok: false, reason: "The link has no group name" };
    const parts = path.split("/");
    if (parts[0].startsWith("+") || parts[0].toLowerCase() === "joinchat") {
      const hash = parts[0].startsWith("+") ? parts[0].slice(1) : parts[1];
      if (!hash || !/^[A-Za-z0-9_-]{10,}$/.test(hash)) return { input, ok: false, reason: "The invite link is incomplete" };
      return { input, ok: true, normalized: "https://t.me/+" + hash, kind: "invite" };
    }
    if (parts[0] === "c") {
      if (!parts[1] || !/^\d{5,16}$/.test(parts[1])) return { input, ok: false, reason: "A t.me/c/ link needs the group's number" };
      return { input, ok: true, normalized: "-100" + parts[1], kind: "private_id" };
    }
    if (RESERVED_PATHS.has(parts[0].toLowerCase())) return { input, ok: false, reason: "That is not a group link" };
    return checkUsername(parts[0], input);
  }

  if (/^[a-zA-Z][a-zA-Z0-9_]*$/.test(input)) return checkUsername(input, input);
  return { input, ok: false, reason: "Use @name, t.me/name, a t.me/c/… link or a numeric id" };
}

/** Every non-empty line, with duplicates (after normalization) marked. */
export function parseGroupList(text: string): ParsedGroup[] {
  const seen = new Set<string>();
  const out: ParsedGroup[] = [];
  for (const line of text.split(/[\n,]+/)) {
    if (!line.trim()) continue;
    const g = parseGroup(line);
    if (g.ok && g.normalized) {
      if (seen.has(g.normalized)) {
        out.push({ ...g, ok: false, duplicate: true, reason: "Duplicate of an earlier line" });
        continue;
      }
      seen.add(g.normalized);
    }
    out.push(g);
  }
  return out;
}

export interface ParsedPost {
  ok: boolean;
  channel?: string;
  messageId?: number;
  reason?: string;
}

/** `https://t.me/<channel>/<id>` or `https://t.me/c/<number>/<id>`. */
export function parsePostLink(raw: string): ParsedPost {
  const s = raw.trim();
  if (!s) return { ok: false, reason: "Paste the link of your channel post" };
  const m = s.match(/^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me)\/(.+)$/i);
  if (!m) return { ok: false, reason: "The link must start with https://t.me/" };
  const parts = m[1].replace(/[?#].*$/, "").replace(/\/+$/, "").split("/");
  if (parts[0] === "c") {
    if (parts.length < 3 || !/^\d+$/.test(parts[1]) || !/^\d+$/.test(parts[parts.length - 1]))
      return { ok: false, reason: "Expected https://t.me/c/<channel number>/<post number>" };
    return { ok: true, channel: "-100" + parts[1], messageId: Number(parts[parts.length - 1]) };
  }
  if (parts.length < 2) return { ok: false, reason: "The link needs the post number: https://t.me/<channel>/<post>" };
  const user = checkUsername(parts[0], parts[0]);
  if (!user.ok) return { ok: false, reason: "Channel name: " + user.reason };
  const id = parts[parts.length - 1];
  if (!/^\d+$/.test(id) || Number(id) <= 0) return { ok: false, reason: "The post number must be a positive number" };
  return { ok: true, channel: user.normalized, messageId: Number(id) };
}
