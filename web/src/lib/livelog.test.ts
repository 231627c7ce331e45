import { describe, expect, it } from "vitest";
import type { AdbotEvent } from "../api/types";
import { mergeEvents, parseEventData } from "./livelog";
import { bucketEventsByHour } from "./series";
import { SseParser } from "./sse";

// The same moment is the same event (its id is the time): what the merge deduplicates on.
const ev = (at: string, kind: AdbotEvent["kind"] = "SENT", target = "@g"): AdbotEvent => ({ id: Date.parse(at), at, kind, target, session_id: null, wait_seconds: null, detail: "" });

describe("SseParser", () => {
  it("assembles messages across chunks, with event names, ids and multi-line data", () => {
    const p = new SseParser();
    expect(p.feed(": keep-alive\n\nevent: adbot_event\nid: 7\ndata: {\"a\"")).toEqual([]);
    expect(p.feed(":1}\n\ndata: line1\r\ndata: line2\r\n\r\n")).toEqual([
      { event: "adbot_event", data: '{"a":1}', id: "7" },
      { event: "message", data: "line1\nline2", id: "7" },
    ]);
  });
});

describe("live log", () => {
  it("parses a LogEvent as the server streams it, ignores the rest", () => {
    expect(parseEventData('{"id":7,"at":"2026-01-01T00:00:00Z","kind":"SENT","session_id":1,"target":"@g","wait_seconds":null,"detail":""}')?.kind).toBe("SENT");
    expect(parseEventData('{"id":8,"at":"2026-01-01T00:00:00Z","kind":"FLOOD_WAIT","wait_seconds":30}')?.wait_seconds).toBe(30);
    expect(parseEventData('{"event":{"id":9,"at":"2026-01-01T00:00:00Z","kind":"SENT"}}')).toBeNull();
    expect(parseEventData('{"hello":1}')).toBeNull();
    expect(parseEventData("ping")).toBeNull();
  });
  it("merges newest first without duplicates, capped", () => {
    const a = [ev("2026-01-01T00:00:02Z"), ev("2026-01-01T00:00:01Z")];
    const merged = mergeEvents(a, [ev("2026-01-01T00:00:03Z"), ev("2026-01-01T00:00:01Z")]);
    expect(merged.map((e) => e.at)).toEqual(["2026-01-01T00:00:03Z", "2026-01-01T00:00:02Z", "2026-01-01T00:00:01Z"]);
    expect(mergeEvents(a, [ev("2026-01-01T00:00:01Z")])).toBe(a);
    expect(mergeEvents([], [ev("2026-01-01T00:00:05Z"), ev("2026-01-01T00:00:04Z")], 1)).toHaveLength(1);
  });
});

describe("chart buckets", () => {
  it("counts deliveries and failures per hour over a window", () => {
    const now = Date.parse("2026-01-01T12:30:00Z");
    const b = bucketEventsByHour(
      [ev("2026-01-01T12:10:00Z"), ev("2026-01-01T12:20:00Z"), ev("2026-01-01T11:05:00Z", "WRITE_FORBIDDEN"), ev("2026-01-01T11:06:00Z", "FLOOD_WAIT"), ev("2025-12-30T00:00:00Z")],
      now,
      3,
    );
    expect(b).toHaveLength(3);
    expect(b.map((x) => [x.ok, x.failed])).toEqual([[0, 0], [0, 1], [2, 0]]);
  });
});

describe("fillSeries", () => {
  it("fills the quiet days of a sparse per-day series", async () => {
    const { fillSeries } = await import("./series");
    const now = Date.parse("2026-01-10T15:00:00Z");
    const b = fillSeries([{ at: "2026-01-08", deliveries: 5 }, { at: "2026-01-10", deliveries: 2 }, { at: "2025-12-01", deliveries: 9 }], "day", 4, now);
    expect(b.map((x) => [x.label, x.ok])).toEqual([["7 Jan", 0], ["8 Jan", 5], ["9 Jan", 0], ["10 Jan", 2]]);
  });
  it("fills hours", async () => {
    const { fillSeries } = await import("./series");
    const now = Date.parse("2026-01-10T15:20:00Z");
    const b = fillSeries([{ at: "2026-01-10T14:00:00Z", deliveries: 3 }], "hour", 3, now);
    expect(b.map((x) => x.ok)).toEqual([0, 3, 0]);
  });
});
