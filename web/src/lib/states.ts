// What the engine's states mean, in the words a customer or an operator reads: never the enum
// name, never Telegram's error name. Each map is a Record over the generated contract's enum,
// so a value the server learns (web/openapi.json → schema.d.ts) fails `tsc` until it is named here.
import type { AdbotAccount, AdbotEvent, AdbotGroup, StockAccount, StockStatus } from "../api/types";

/** The badge colours of components/ui.tsx ("" is the neutral grey). */
export type Tone = "ok" | "info" | "warn" | "danger" | "primary" | "";

export interface Shown {
  label: string;
  tone: Tone;
}

export type AccountGroupState = AdbotGroup["accounts"][number]["state"];
export type GroupState = AdbotGroup["state"];
export type EventKind = AdbotEvent["kind"];

/** tg_sessions.status, for the stock pages and an adbot's accounts. */
export const STOCK_STATUS: Record<StockStatus, Shown & { attention: boolean }> = {
  UNUSED: { label: "Available", tone: "info", attention: false },
  ASSIGNED: { label: "In use", tone: "ok", attention: false },
  COOLING: { label: "Cooling down", tone: "warn", attention: true },
  LIMITED: { label: "Restricted by Telegram (24 h)", tone: "warn", attention: true },
  FROZEN: { label: "Frozen by Telegram", tone: "danger", attention: true },
  BANNED: { label: "Banned by Telegram", tone: "danger", attention: true },
  DEAD: { label: "Logged out", tone: "danger", attention: true },
  RETIRED: { label: "Retired", tone: "", attention: true },
};

/** Every stock status, in the server's display order. */
export const STOCK_STATUSES = Object.keys(STOCK_STATUS) as StockStatus[];

export const NO_JOINS_LABEL = "Can't join more groups";

/** An account that Telegram lets join no more groups (it keeps posting where it is). */
export function cannotJoin(acc: Pick<StockAccount | AdbotAccount, "no_joins_since">): boolean {
  return !!acc.no_joins_since;
}

/** Whether a stock account belongs under "Needs attention". */
export function needsAttention(acc: Pick<StockAccount, "status" | "no_joins_since">): boolean {
  return STOCK_STATUS[acc.status].attention || cannotJoin(acc);
}

export function stockStatus(status: StockStatus): Shown {
  return STOCK_STATUS[status];
}

/** What one account knows of one group (account_groups.state). */
export const ACCOUNT_GROUP_STATE: Record<AccountGroupState, Shown> = {
  UNKNOWN: { label: "Not tried yet", tone: "" },
  KNOWN: { label: "Found", tone: "info" },
  JOINED: { label: "Joined", tone: "ok" },
  INVALID: { label: "Not a group anyone can post in", tone: "danger" },
  DROPPED: { label: "Can't post here", tone: "danger" },
  AWAITING_APPROVAL: { label: "Waiting for the group's admins to approve", tone: "warn" },
};

/** The group as configured (adbot_groups.state). */
export const GROUP_STATE: Record<GroupState, Shown> = {
  ACTIVE: { label: "Active", tone: "ok" },
  INVALID: { label: "Not a group anyone can post in", tone: "danger" },
};

/**
 * A group's badge: its own state, then what its accounts found. Green "Active" only while some
 * account can still post there; a group every account was refused by, or one still waiting for
 * its admins, says so instead.
 */
export function groupBadge(g: Pick<AdbotGroup, "state"> & { accounts?: Pick<AdbotGroup["accounts"][number], "state">[] }): Shown {
  if (g.state !== "ACTIVE") return GROUP_STATE[g.state];
  const states = (g.accounts ?? []).map((a) => a.state);
  if (!states.length || states.some((s) => s === "JOINED" || s === "KNOWN" || s === "UNKNOWN")) return GROUP_STATE.ACTIVE;
  if (states.includes("AWAITING_APPROVAL")) return ACCOUNT_GROUP_STATE.AWAITING_APPROVAL;
  if (states.every((s) => s === "INVALID")) return ACCOUNT_GROUP_STATE.INVALID;
  return ACCOUNT_GROUP_STATE.DROPPED;
}

/** A live-log line's badge and the sentence before its detail. */
export const EVENT_KIND: Record<EventKind, Shown & { sentence: string }> = {
  STARTED: { label: "Started", tone: "primary", sentence: "The adbot was started." },
  STOPPED: { label: "Stopped", tone: "", sentence: "The adbot stopped." },
  EXPIRED: { label: "Expired", tone: "danger", sentence: "The plan ended, so the adbot stopped." },
  CYCLE_STARTED: { label: "Round started", tone: "info", sentence: "A new round of posts began." },
  CYCLE_DONE: { label: "Round done", tone: "ok", sentence: "The round of posts is finished." },
  CYCLE_RESUMED: { label: "Round resumed", tone: "info", sentence: "The round of posts carries on after a restart." },
  JOINED: { label: "Joined", tone: "info", sentence: "An account joined the group." },
  JOIN_CAPPED: { label: "Join later", tone: "warn", sentence: "This account joined as many groups as it may today; it joins this one later." },
  SENT: { label: "Sent", tone: "ok", sentence: "The post was delivered." },
  RETRY: { label: "Trying again", tone: "warn", sentence: "Telegram did not answer; trying again." },
  RETRY_NEXT_CYCLE: { label: "Next round", tone: "warn", sentence: "Telegram did not answer; this post is tried again next round." },
  FLOOD_WAIT: { label: "Waiting", tone: "warn", sentence: "Telegram asked this account to wait before posting again." },
  SLOWMODE: { label: "Slow mode", tone: "warn", sentence: "The group lets members post only every so often; the next post waits." },
  LIMITED: { label: "Restricted", tone: "warn", sentence: "Telegram restricted this account from posting; it is paused for 24 hours." },
  PEER_FLOOD: { label: "Restricted", tone: "warn", sentence: "Telegram restricted this account from posting; it is paused for 24 hours." },
  FROZEN: { label: "Frozen", tone: "danger", sentence: "Telegram froze this account; it no longer posts." },
  BANNED: { label: "Banned", tone: "danger", sentence: "Telegram banned this account; it no longer posts." },
  DEAD: { label: "Logged out", tone: "danger", sentence: "This account was logged out; it no longer posts." },
  NO_JOINS: { label: "Can't join", tone: "warn", sentence: "This account is in too many groups to join another; it keeps posting where it is." },
  WRITE_FORBIDDEN: { label: "Not allowed", tone: "danger", sentence: "This account may not post in this group." },
  INVALID_GROUP: { label: "Group not found", tone: "danger", sentence: "This group cannot be found or is not one anyone can post in." },
  INVITE_INVALID: { label: "Invite expired", tone: "danger", sentence: "The group's invite link has expired or is not valid." },
  AWAITING_APPROVAL: { label: "Awaiting approval", tone: "warn", sentence: "Waiting for the group's admins to approve the join request." },
  ERROR: { label: "Failed", tone: "danger", sentence: "Telegram refused this post." },
  SOURCE_UNREACHABLE: { label: "Post unreachable", tone: "danger", sentence: "The post's channel cannot be reached, so the adbot stopped." },
  SOURCE_PROTECTED: { label: "Post protected", tone: "danger", sentence: "The post's channel forbids forwarding, so the adbot stopped." },
  POST_MISSING: { label: "Post gone", tone: "danger", sentence: "The post no longer exists, so the adbot stopped." },
  SKIPPED: { label: "Skipped", tone: "", sentence: "This post was skipped." },
  CAPPED: { label: "Daily limit", tone: "warn", sentence: "This account reached its daily number of posts." },
  DROPPED: { label: "Dropped", tone: "danger", sentence: "This group was dropped for this account." },
  UNKNOWN: { label: "Unconfirmed", tone: "warn", sentence: "It is not known whether this post was delivered." },
};

/** The badge of a logged kind; a kind this build does not know is shown neutral, in words. */
export function eventKind(kind: string): Shown & { sentence: string } {
  const known = (EVENT_KIND as Record<string, (Shown & { sentence: string }) | undefined>)[kind];
  if (known) return known;
  const words = kind.toLowerCase().replace(/_/g, " ");
  return { label: words.charAt(0).toUpperCase() + words.slice(1), tone: "", sentence: "" };
}
