import { describe, expect, it } from "vitest";
import { formatDuration, formatInterval, formatMoney, formatRelative, phoneFromFileName, pluralize, titleCase, trimNumber, validityLeft } from "./format";

describe("format", () => {
  it("money: ISO currencies and crypto tickers", () => {
    expect(formatMoney(30, "USD")).toBe("$30");
    expect(formatMoney(54.5, "usd")).toBe("$54.50");
    expect(formatMoney("0.00123400", "BTC")).toBe("0.001234 BTC");
    expect(formatMoney(12.5, "USDTTRC20")).toBe("12.5 USDTTRC20");
    expect(formatMoney(null)).toBe("—");
  });
  it("crypto amounts without exponent or trailing zeros", () => {
    expect(trimNumber(1e-7)).toBe("0.0000001");
    expect(trimNumber("30.100")).toBe("30.1");
    expect(trimNumber(42)).toBe("42");
  });
  it("durations: the two largest units", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(3600 * 26 + 61)).toBe("1d 2h");
    expect(formatDuration(3600 + 5)).toBe("1h");
    expect(formatDuration(-5)).toBe("0s");
  });
  it("intervals", () => {
    expect(formatInterval(3600)).toBe("every 1 h");
    expect(formatInterval(1200)).toBe("every 20 min");
    expect(formatInterval(90)).toBe("every 90 s");
    expect(formatInterval(0)).toBe("—");
  });
  it("relative times", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatRelative("2026-01-01T11:58:00Z", now)).toBe("2m ago");
    expect(formatRelative("2026-01-01T15:00:00Z", now)).toBe("in 3h");
    expect(formatRelative("2026-01-01T12:00:03Z", now)).toBe("just now");
    expect(formatRelative(null, now)).toBe("—");
  });
  it("validity left, with a warning in the last three days", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(validityLeft("2026-01-20T00:00:00Z", now)).toMatchObject({ text: "19d left", tone: "ok" });
    expect(validityLeft("2026-01-02T06:00:00Z", now)).toMatchObject({ text: "1d 6h left", tone: "warning" });
    expect(validityLeft("2025-12-31T00:00:00Z", now)).toMatchObject({ text: "Expired", tone: "danger" });
    expect(validityLeft(null, now).text).toBe("Not started");
  });
  it("small helpers", () => {
    expect(pluralize(1, "account")).toBe("1 account");
    expect(pluralize(3, "account")).toBe("3 accounts");
    expect(titleCase("FLOOD_WAIT")).toBe("Flood Wait");
    expect(phoneFromFileName("+447700900123.session")).toBe("+447700900123");
    expect(phoneFromFileName("447700900123.session")).toBe("+447700900123");
    expect(phoneFromFileName("account.session")).toBe("");
  });
});
