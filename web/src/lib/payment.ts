// What the pay panel says about a payment: the coin and its network in words, the colour of
// the countdown, and which steps of the stepper have happened. Pure, so it is unit-tested.
import { formatMoney, trimNumber } from "./format";

/** The coin a payment is made in, as the server describes it (`network` null: money, not a coin). */
export interface CoinInfo {
  ticker: string;
  name: string;
  network: string;
}

/**
 * "0.00123 BTC" for a coin; "$55" for money that is not a coin (the manual provider asks for
 * the order's own money, so a fiat price is never written as a coin amount).
 */
export function amountText(amount: number | null, coin: { ticker: string; network: string | null } | null, fallbackCurrency: string): string {
  if (amount === null) return "—";
  if (!coin) return formatMoney(amount, fallbackCurrency);
  return coin.network === null ? formatMoney(amount, coin.ticker) : `${trimNumber(amount)} ${coin.ticker}`;
}

/**
 * An order's plan: the name in the order's snapshot of its product (the contract allows a
 * snapshot without one, from before names were kept), else the plan's number.
 */
export function planName(order: { product_id: number; product: { name?: string } }): string {
  return order.product.name || `Plan #${order.product_id}`;
}

/** What the QR code holds: the payment URI (address and amount) where the coin has one, else the address. */
export function qrValue(p: { payment_uri: string | null; pay_address: string | null }): string | null {
  return p.payment_uri ?? p.pay_address;
}

// Networks as providers spell them (NOWPayments' suffixes, chain tickers) → their usual name.
const NETWORK_NAMES: Record<string, string> = {
  trc20: "TRON",
  trx: "TRON",
  tron: "TRON",
  erc20: "Ethereum",
  eth: "Ethereum",
  ethereum: "Ethereum",
  bep20: "BNB Smart Chain",
  bsc: "BNB Smart Chain",
  btc: "Bitcoin",
  bitcoin: "Bitcoin",
  ltc: "Litecoin",
  litecoin: "Litecoin",
  ton: "TON",
  sol: "Solana",
  solana: "Solana",
  matic: "Polygon",
  polygon: "Polygon",
};

/** "TRON", "Ethereum", "BNB Smart Chain": a provider's network code in words. */
export function networkName(network: string): string {
  const key = network.trim().toLowerCase().replace(/[\s_-]+/g, "");
  return NETWORK_NAMES[key] ?? network.trim();
}

/** What the panel shows next to the address. */
export interface NetworkWords {
  /** "USDT" */
  ticker: string;
  /** "USDT on the TRON network" */
  onNetwork: string;
  /** "Send only USDT on the TRON network. Coins sent on another network are lost." */
  warning: string;
}

export function networkWords(coin: CoinInfo): NetworkWords {
  const ticker = coin.ticker.trim().toUpperCase();
  const net = networkName(coin.network);
  const onNetwork = `${ticker} on the ${net} network`;
  return {
    ticker,
    onNetwork,
    warning: `Send only ${onNetwork}. Coins sent on another network cannot be recovered.`,
  };
}

/** The countdown turns red in the last 10 minutes of the payment window. */
export const COUNTDOWN_DANGER_SECONDS = 600;

export function countdownTone(secondsLeft: number | null | undefined): "normal" | "danger" {
  if (secondsLeft === null || secondsLeft === undefined) return "normal";
  return secondsLeft <= COUNTDOWN_DANGER_SECONDS ? "danger" : "normal";
}

export type StepState = "done" | "current" | "todo";

export interface Step {
  title: string;
  state: StepState;
}

// Payment statuses as the server sends them (the provider's, upper-case), in order.
const RANK: Record<string, number> = {
  WAITING: 0,
  PARTIALLY_PAID: 0,
  CONFIRMING: 1,
  CONFIRMED: 2,
  SENDING: 2,
  FINISHED: 3,
};

/**
 * The three steps of a payment: the order (always done once it exists), the payment being
 * seen, the payment confirmed and the adbot ready. A step is ticked only when it happened:
 * a WAITING payment ticks nothing but the order.
 */
export function paymentSteps(p: {
  orderStatus: string;
  paymentStatus: string | null | undefined;
  confirmation: "manual" | "provider";
}): Step[] {
  const paid = p.orderStatus === "PAID";
  const rank = paid ? 3 : RANK[(p.paymentStatus ?? "").toUpperCase()] ?? 0;
  const seen: Step =
    p.confirmation === "manual"
      ? { title: rank >= 1 ? "Payment seen by the operator" : "Waiting for your payment and the operator's confirmation", state: rank >= 1 ? "done" : "current" }
      : { title: rank >= 1 ? "Payment seen" : "Waiting for your payment", state: rank >= 1 ? "done" : "current" };
  const ready: Step = {
    title: paid
      ? "Payment confirmed, adbot ready"
      : p.confirmation === "manual"
        ? "Operator confirms, adbot ready"
        : rank >= 1
          ? "Confirming the payment on the network"
          : "Adbot ready",
    state: paid ? "done" : rank >= 1 ? "current" : "todo",
  };
  return [{ title: "Order created", state: "done" }, seen, ready];
}
