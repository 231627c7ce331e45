import { describe, expect, it } from "vitest";
import { remaining } from "./countdown";

describe("remaining", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  it("formats minutes and hours", () => {
    expect(remaining("2026-01-01T12:15:00Z", now)).toMatchObject({ totalSeconds: 900, clock: "15:00", expired: false });
    expect(remaining("2026-01-01T13:02:03Z", now)?.clock).toBe("1:02:03");
    expect(remaining(now + 5_500, now)?.clock).toBe("0:06");
  });
  it("stops at zero once expired", () => {
    expect(remaining("2026-01-01T11:59:00Z", now)).toMatchObject({ totalSeconds: 0, clock: "0:00", expired: true });
  });
  it("gives the fraction left when the start is known", () => {
    const r = remaining(now + 600_000, now, now - 600_000);
    expect(r?.fraction).toBeCloseTo(0.5);
    expect(remaining(now + 600_000, now)?.fraction).toBeNull();
  });
  it("ignores missing or bad dates", () => {
    expect(remaining(null, now)).toBeNull();
    expect(remaining("", now)).toBeNull();
    expect(remaining("not a date", now)).toBeNull();
  });
});
