import { describe, expect, it } from "vitest";
import { amountText, countdownTone, networkName, networkWords, paymentSteps, planName, qrValue } from "./payment";

describe("networkWords", () => {
  it("names the network in words, never as a provider code", () => {
    expect(networkWords({ ticker: "usdt", name: "Tether", network: "trc20" })).toMatchObject({
      ticker: "USDT",
      onNetwork: "USDT on the TRON network",
    });
    expect(networkWords({ ticker: "USDT", name: "Tether", network: "TRON" }).warning).toMatch(/^Send only USDT on the TRON network\./);
    expect(networkWords({ ticker: "USDT", name: "Tether", network: "ERC-20" }).onNetwork).toBe("USDT on the Ethereum network");
    expect(networkWords({ ticker: "BTC", name: "Bitcoin", network: "btc" }).onNetwork).toBe("BTC on the Bitcoin network");
  });
  it("keeps a network it does not know as the server wrote it", () => {
    expect(networkName("Arbitrum One")).toBe("Arbitrum One");
    expect(networkName(" bep20 ")).toBe("BNB Smart Chain");
  });
  it("never shows the glued provider code", () => {
    const w = networkWords({ ticker: "USDT", name: "Tether", network: "trc20" });
    expect(JSON.stringify(w)).not.toMatch(/USDTTRC20/i);
  });
});

describe("countdownTone", () => {
  it("turns red in the last 10 minutes only", () => {
    expect(countdownTone(24 * 3600)).toBe("normal");
    expect(countdownTone(601)).toBe("normal");
    expect(countdownTone(600)).toBe("danger");
    expect(countdownTone(30)).toBe("danger");
    expect(countdownTone(0)).toBe("danger");
    expect(countdownTone(null)).toBe("normal");
  });
});

describe("paymentSteps", () => {
  const states = (s: ReturnType<typeof paymentSteps>) => s.map((x) => x.state);
  it("ticks only the order while the payment is WAITING (upper-case, as the server sends it)", () => {
    const s = paymentSteps({ orderStatus: "PENDING", paymentStatus: "WAITING", confirmation: "provider" });
    expect(states(s)).toEqual(["done", "current", "todo"]);
    expect(s[1].title).toBe("Waiting for your payment");
  });
  it("ticks the payment once it is seen, and everything once the order is paid", () => {
    expect(states(paymentSteps({ orderStatus: "PENDING", paymentStatus: "CONFIRMING", confirmation: "provider" }))).toEqual(["done", "done", "current"]);
    const paid = paymentSteps({ orderStatus: "PAID", paymentStatus: "FINISHED", confirmation: "provider" });
    expect(states(paid)).toEqual(["done", "done", "done"]);
    expect(paid[2].title).toBe("Payment confirmed, adbot ready");
  });
  it("a partial payment is not a payment seen in full", () => {
    expect(states(paymentSteps({ orderStatus: "PENDING", paymentStatus: "PARTIALLY_PAID", confirmation: "provider" }))).toEqual(["done", "current", "todo"]);
  });
  it("the manual provider says the operator confirms", () => {
    const s = paymentSteps({ orderStatus: "PENDING", paymentStatus: "WAITING", confirmation: "manual" });
    expect(states(s)).toEqual(["done", "current", "todo"]);
    expect(s[1].title).toMatch(/operator/);
  });
});

describe("amountText", () => {
  it("writes a coin amount in the coin", () => {
    expect(amountText(0.00123, { ticker: "BTC", network: "Bitcoin" }, "USD")).toBe("0.00123 BTC");
    expect(amountText(30, { ticker: "USDT", network: "TRON (TRC-20)" }, "USD")).toBe("30 USDT");
  });
  it("writes money that is not a coin as money: never '55 BTC' for a $55 plan", () => {
    expect(amountText(55, { ticker: "USD", network: null }, "USD")).toBe("$55");
    expect(amountText(55, null, "USD")).toBe("$55");
    expect(amountText(null, null, "USD")).toBe("—");
  });
});

describe("qrValue", () => {
  it("holds the payment URI when the coin has one, else the address", () => {
    expect(qrValue({ payment_uri: "bitcoin:bc1qxyz?amount=0.00123", pay_address: "bc1qxyz" })).toBe("bitcoin:bc1qxyz?amount=0.00123");
    expect(qrValue({ payment_uri: null, pay_address: "TXyz" })).toBe("TXyz");
    expect(qrValue({ payment_uri: null, pay_address: null })).toBeNull();
  });
});

describe("planName", () => {
  it("reads the name from order.product, where the server puts it", () => {
    expect(planName({ product_id: 1, product: { name: "Starter Bronze" } })).toBe("Starter Bronze");
    expect(planName({ product_id: 3, product: {} })).toBe("Plan #3");
  });
});
