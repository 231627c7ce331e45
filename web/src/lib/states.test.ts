import { describe, expect, expectTypeOf, it } from "vitest";
import type { AdbotAccount, StockAccount, StockStatus } from "../api/types";
import { accountLabel, accountTone } from "../pages/adbotParts";
import {
  ACCOUNT_GROUP_STATE,
  EVENT_KIND,
  GROUP_STATE,
  STOCK_STATUS,
  STOCK_STATUSES,
  eventKind,
  groupBadge,
  needsAttention,
  type AccountGroupState,
  type EventKind,
  type GroupState,
} from "./states";

// An enum name or a Telegram error name shown as is: what the maps exist to prevent.
const looksLikeCode = (s: string) => /^[A-Z0-9_]+$/.test(s) || /_/.test(s) || /FLOOD|FORBIDDEN|PEER|CHANNELS_TOO_MUCH|INVITE_REQUEST/.test(s);

const account = (over: Partial<AdbotAccount>): AdbotAccount => ({
  session_id: 1,
  phone: "+44•••123",
  username: null,
  status: "ASSIGNED",
  healthy: true,
  flood_until: null,
  sends_today: 0,
  status_reason: null,
  no_joins_since: null,
  ...over,
});

describe("the contract's enums (a value the server learns fails tsc here)", () => {
  it("stock status, group states and event kinds are enums, not strings", () => {
    expectTypeOf<StockStatus>().toEqualTypeOf<"UNUSED" | "ASSIGNED" | "COOLING" | "LIMITED" | "FROZEN" | "BANNED" | "DEAD" | "RETIRED">();
    expectTypeOf<GroupState>().toEqualTypeOf<"ACTIVE" | "INVALID">();
    expectTypeOf<AccountGroupState>().toEqualTypeOf<"UNKNOWN" | "KNOWN" | "JOINED" | "INVALID" | "DROPPED" | "AWAITING_APPROVAL">();
    expectTypeOf<"FROZEN">().toMatchTypeOf<StockStatus>();
    expectTypeOf<"AWAITING_APPROVAL">().toMatchTypeOf<EventKind>();
    expectTypeOf<"RETRY_NEXT_CYCLE">().toMatchTypeOf<EventKind>();
    expectTypeOf<"NO_JOINS">().toMatchTypeOf<EventKind>();
    expectTypeOf<string>().not.toMatchTypeOf<EventKind>();
    expectTypeOf<StockAccount["no_joins_since"]>().toEqualTypeOf<string | null>();
  });
});

describe("plain words for every value", () => {
  const maps: [string, Record<string, { label: string }>][] = [
    ["stock status", STOCK_STATUS],
    ["group state", GROUP_STATE],
    ["account × group state", ACCOUNT_GROUP_STATE],
    ["event kind", EVENT_KIND],
  ];
  for (const [name, map] of maps) {
    it(`${name}: every value has a label in words, not its code`, () => {
      for (const [value, shown] of Object.entries(map)) {
        expect(shown.label, value).not.toBe("");
        expect(looksLikeCode(shown.label), `${value} → ${shown.label}`).toBe(false);
      }
    });
  }
  it("every event kind has a sentence without Telegram's error names", () => {
    for (const [kind, shown] of Object.entries(EVENT_KIND)) {
      expect(shown.sentence, kind).toMatch(/^[A-Z].*\.$/);
      expect(looksLikeCode(shown.sentence), kind).toBe(false);
    }
  });
});

describe("the engine's new states", () => {
  it("a frozen account is red, in words, and needs attention", () => {
    expect(STOCK_STATUS.FROZEN).toMatchObject({ label: "Frozen by Telegram", tone: "danger", attention: true });
    expect(STOCK_STATUSES).toContain("FROZEN");
    expect(needsAttention({ status: "FROZEN", no_joins_since: null })).toBe(true);
    expect(accountTone(account({ status: "FROZEN", healthy: false }))).toBe("danger");
    expect(accountLabel(account({ status: "FROZEN", healthy: false }))).toBe("Frozen by Telegram");
  });
  it("an account that can join no more groups says so, amber, and needs attention", () => {
    const acc = account({ no_joins_since: "2026-12-01T00:00:00Z" });
    expect(accountLabel(acc)).toBe("Can't join more groups");
    expect(accountTone(acc)).toBe("warn");
    expect(needsAttention({ status: "ASSIGNED", no_joins_since: "2026-12-01T00:00:00Z" })).toBe(true);
    expect(needsAttention({ status: "ASSIGNED", no_joins_since: null })).toBe(false);
    expect(accountLabel(account({}))).toBe("In use");
  });
  it("a group waiting for its admins is amber, not the green Active", () => {
    const b = groupBadge({ state: "ACTIVE", accounts: [{ state: "AWAITING_APPROVAL" }] });
    expect(b).toEqual({ label: "Waiting for the group's admins to approve", tone: "warn" });
  });
  it("a group refused (forbidden) or invalid never shows a green Active", () => {
    expect(groupBadge({ state: "INVALID", accounts: [{ state: "JOINED" }] }).tone).toBe("danger");
    expect(groupBadge({ state: "ACTIVE", accounts: [{ state: "DROPPED" }, { state: "DROPPED" }] })).toEqual({ label: "Can't post here", tone: "danger" });
    expect(groupBadge({ state: "ACTIVE", accounts: [{ state: "INVALID" }] }).tone).toBe("danger");
    for (const s of ["INVALID", "DROPPED", "AWAITING_APPROVAL"] as const) {
      expect(groupBadge({ state: "ACTIVE", accounts: [{ state: s }] }).label).not.toBe("Active");
    }
  });
  it("a group some account still posts to stays Active", () => {
    expect(groupBadge({ state: "ACTIVE", accounts: [{ state: "DROPPED" }, { state: "JOINED" }] })).toEqual({ label: "Active", tone: "ok" });
    expect(groupBadge({ state: "ACTIVE", accounts: [] })).toEqual({ label: "Active", tone: "ok" });
  });
  it("the live log tells the new kinds in sentences", () => {
    expect(eventKind("FROZEN")).toMatchObject({ label: "Frozen", tone: "danger" });
    expect(eventKind("AWAITING_APPROVAL").sentence).toBe("Waiting for the group's admins to approve the join request.");
    expect(eventKind("NO_JOINS").sentence).toMatch(/too many groups/);
    expect(eventKind("RETRY_NEXT_CYCLE").sentence).toMatch(/next round/);
    expect(eventKind("SOURCE_PROTECTED").sentence).toMatch(/forbids forwarding/);
    expect(eventKind("POST_MISSING").tone).toBe("danger");
    expect(eventKind("LIMITED").label).toBe("Restricted");
  });
  it("a kind this build does not know is shown in words, neutral", () => {
    expect(eventKind("SOMETHING_NEW")).toEqual({ label: "Something new", tone: "", sentence: "" });
  });
});
