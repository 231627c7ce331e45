#!/usr/bin/env node
// Screenshots of the pages whose routes are still being built, with their API answered by
// fixtures (Playwright request interception) while sign-in goes to the real demo server.
// A design check, not a test: `npm run preview:shots`, then look at e2e/artifacts/preview-*.png.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, "..");
const bin = path.resolve(webDir, process.env.HQADZ_BIN ?? "../build/bin/hqadz");
const out = path.join(here, "artifacts");
mkdirSync(out, { recursive: true });

const now = Date.now();
const iso = (ms) => new Date(now + ms).toISOString();
const H = 3600_000;
const D = 24 * H;
const products = [
  ["Bronze", "STARTER", 30, 1, 3600], ["Silver", "STARTER", 55, 2, 1800], ["Gold", "STARTER", 80, 3, 1200], ["Diamond", "STARTER", 160, 6, 600],
  ["Basic", "ENTERPRISE", 199, 3, 900], ["Pro", "ENTERPRISE", 450, 7, 420], ["Elite", "ENTERPRISE", 899, 15, 120],
].map(([name, tier, price, s, iv], i) => ({ id: i + 1, name, tier, price, currency: "USD", sessions_count: s, posting_interval_seconds: iv, validity_days: 30, distribution: "EVEN", max_groups: 100, daily_cap_per_account: 500, active: i !== 3 || true }));
const logs = [];
const kinds = ["SENT", "SENT", "SENT", "FLOOD_WAIT", "SENT", "SLOWMODE", "SENT", "WRITE_FORBIDDEN", "SENT", "JOINED"];
for (let i = 0; i < 120; i++) {
  const kind = kinds[i % kinds.length];
  logs.push({ id: 500 - i, at: iso(-i * 11 * 60_000), kind, session_id: 1 + (i % 2), target: `@demo_group_${1 + (i % 5)}`, wait_seconds: kind === "FLOOD_WAIT" ? 37 : kind === "SLOWMODE" ? 300 : null, detail: kind === "WRITE_FORBIDDEN" ? "CHAT_WRITE_FORBIDDEN" : null });
}
const adbot = { id: 7, user_id: 2, order_id: 3, product_id: 2, product: { id: 2, name: "Silver" }, status: "RUNNING", sessions_needed: 0, sessions_assigned: 2, posting_interval_seconds: 1800, distribution: "EVEN", max_groups: 100, validity_start: iso(-4 * D), validity_end: iso(26 * D), post_link: "https://t.me/hqadz_demo/1", cycle_no: 12, next_run_at: iso(14 * 60_000), stop_reason: null, created_at: iso(-4 * D), groups_count: 5, accounts_count: 2, stats: { posts: 118, success: 104, failures: 6, flood_waits: 8, last_activity: iso(-60_000) } };
const detail = {
  adbot,
  groups: [1, 2, 3, 4, 5].map((n) => ({ target: `@demo_group_${n}`, state: n === 4 ? "DROPPED" : "ACTIVE", last_error: n === 4 ? "this account may not write here (CHAT_WRITE_FORBIDDEN)" : null, accounts: n === 3 ? [{ session_id: 2, state: "ACTIVE", next_allowed_at: iso(240_000), last_error: null }] : [] })),
  accounts: [
    { session_id: 1, phone: "+44•••••0123", username: "demo_poster_1", status: "ASSIGNED", healthy: true, flood_until: null, sends_today: 61, status_reason: null },
    { session_id: 2, phone: "+44•••••0456", username: "demo_poster_2", status: "ASSIGNED", healthy: false, flood_until: iso(37_000), sends_today: 43, status_reason: null },
  ],
  stats: adbot.stats,
};
const order4 = { id: 4, user_id: 2, product_id: 1, product: { id: 1, name: "Bronze", price: 30 }, adbot_id: null, kind: "NEW", amount: 30, currency: "USD", status: "PENDING", created_at: iso(-60_000), paid_at: null, expires_at: iso(8 * 60_000) };
const coinPayment = { id: 9, order_id: 4, provider: "nowpayments", provider_payment_id: "5524759814", pay_address: "TQ5sY7nW8dmFzVhC1qk9pX3eJ2bR4uLa6T", pay_amount: 30.214, pay_currency: "usdttrc20", payin_extra_id: null, actually_paid: null, status: "WAITING", flagged: false, flag_reason: null, valid_until: null, created_at: iso(-60_000), updated_at: iso(-60_000), confirmation: "provider", coin: { ticker: "USDT", name: "Tether USD", network: "TRON (TRC-20)" }, fiat_amount: 30, fiat_currency: "USD", expires_at: order4.expires_at, payment_uri: null };
const manualPayment = { ...coinPayment, provider: "manual", provider_payment_id: "manual-4", pay_address: null, pay_amount: 30, pay_currency: "usd", confirmation: "manual", coin: { ticker: "USD", name: "US dollar", network: null } };
// ?mode= on the checkout URL picks the provider; ?paid=1 the paid answer.
const statusAnswer = (mode, paid) => ({
  order: paid ? { ...order4, status: "PAID", paid_at: iso(-30_000), adbot_id: 12 } : order4,
  payment: mode === "manual" ? manualPayment : coinPayment,
  adbot_id: paid ? 12 : null,
  receipt: paid ? { order_id: 4, provider: "nowpayments", provider_payment_id: "5524759814", reference: "Order #4, payment 5524759814", amount: 30.214, currency: "usdttrc20", coin: coinPayment.coin, fiat_amount: 30, fiat_currency: "USD", paid_at: iso(-30_000) } : null,
  demo: true,
});
const fixtures = {
  "GET /api/products": { products },
  "GET /api/admin/products": { products },
  "GET /api/user/adbots": { adbots: [adbot, { ...adbot, id: 8, product: { id: 1, name: "Bronze" }, status: "STOPPED", validity_end: iso(2 * D), post_link: null, groups_count: 0, accounts_count: 1, sessions_assigned: 1, sessions_needed: 0, stats: { posts: 0, success: 0, failures: 0, flood_waits: 0, last_activity: null } }, { ...adbot, id: 9, product: { id: 3, name: "Gold" }, status: "QUEUED", validity_end: null, accounts_count: 0, sessions_assigned: 0, sessions_needed: 3, stats: { posts: 0, success: 0, failures: 0, flood_waits: 0, last_activity: null } }] },
  "GET /api/user/stats": { adbots: 3, running: 1, posts: 118, success: 104, failures: 6, flood_waits: 8, deliveries_per_day: Array.from({ length: 9 }, (_, i) => ({ day: new Date(now - (8 - i) * D).toISOString().slice(0, 10), deliveries: 20 + ((i * 37) % 40) })) },
  "GET /api/adbots/7": detail,
  "GET /api/adbots/7/logs": { logs, next_before: null },
  "GET /api/user/advertisement": { adbot_id: 7, post_link: adbot.post_link, groups: detail.groups, max_groups: 100, status: "RUNNING" },
  "GET /api/user/orders": { orders: [{ ...order4, id: 3, product_id: 2, product: { id: 2, name: "Silver", price: 55 }, amount: 55, status: "PAID", adbot_id: 7, created_at: iso(-4 * D), paid_at: iso(-4 * D + 600_000), payment: null }, { ...order4, payment: null }, { ...order4, id: 2, status: "EXPIRED", created_at: iso(-9 * D), payment: null }], next_cursor: null },
  "GET /api/user/notifications": { notifications: [{ id: 3, kind: "PAYMENT_RECEIVED", title: "Payment received", body: "Order #3 is paid: your Silver adbot is ready.", created_at: iso(-4 * D), read_at: iso(-4 * D) }, { id: 4, kind: "EXPIRY_SOON", title: "Adbot #8 expires in 3 days", body: "Renew it to keep posting.", created_at: iso(-3 * H), read_at: null }], unread: 1, next_cursor: null },
  "GET /api/admin/dashboard": { adbots: { RUNNING: 14, STOPPED: 5, QUEUED: 1, EXPIRED: 3 }, running_adbots: 14, deliveries_last_hour: 212, deliveries_per_hour: Array.from({ length: 24 }, (_, i) => ({ hour: new Date(Math.floor((now - (23 - i) * H) / H) * H).toISOString(), deliveries: 120 + ((i * 53) % 110) })), stock: { UNUSED: 3, ASSIGNED: 31, COOLING: 1, LIMITED: 0, BANNED: 2, DEAD: 0, RETIRED: 4 }, users: 27, revenue: [{ currency: "USD", orders: 41, total: 4385 }] },
  "GET /api/admin/stock/overview": { counts: { UNUSED: 3, ASSIGNED: 31, COOLING: 1, LIMITED: 0, BANNED: 2, DEAD: 0, RETIRED: 4 }, low_stock: true },
  "GET /api/admin/stock": { stock: [
    { id: 41, phone_number: "+447700900041", status: "UNUSED", dc_id: 2, sends_today: 0, updated_at: iso(-H) },
    { id: 12, phone_number: "+447700900012", status: "ASSIGNED", dc_id: 4, assigned_to_adbot_id: 7, sends_today: 61, updated_at: iso(-2 * H) },
    { id: 9, phone_number: "+447700900009", status: "BANNED", dc_id: 2, assigned_to_adbot_id: 5, status_reason: "USER_DEACTIVATED_BAN on send", updated_at: iso(-5 * H) },
    { id: 5, phone_number: "+447700900005", status: "RETIRED", dc_id: 1, status_reason: "retired by admin: session revoked", updated_at: iso(-2 * D) },
  ], next_cursor: null },
  "GET /api/admin/adbots": { adbots: [{ ...adbot, user_email: "customer@demo.hqadz" }, { ...adbot, id: 8, user_email: "ann@example.com", product: { id: 1, name: "Bronze" }, status: "STOPPED", validity_end: iso(2 * D), accounts_count: 1, sessions_assigned: 1, sessions_needed: 1 }], next_cursor: null },
  "GET /api/admin/payments": { payments: [{ ...coinPayment, id: 9, order_id: 11, fiat_amount: 55, pay_amount: 55.02, actually_paid: 50, status: "PARTIALLY_PAID", flagged: true, flag_reason: "paid 50 of 55.02 USDT" }], next_cursor: null },
  "GET /api/admin/blocklist": { blocklist: [{ id: 2, target: "@quiet_owners", source: "OPT_OUT", status: "PENDING", contact: "@owner", reason: "we do not want ads", created_at: iso(-H) }, { id: 1, target: "@no_ads_group", source: "ADMIN", status: "ACTIVE", reason: "owner asked by email", created_at: iso(-3 * D) }] },
};

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "hqadz-preview-"));
  const child = spawn(bin, ["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir", dataDir], { env: { ...process.env, HQADZ_WEB_DIR: path.join(webDir, "dist") }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((res) => createInterface({ input: child.stdout }).once("line", (l) => res(l.match(/(http:\/\/\S+)/)[1])));
  child.stdout.resume();
  const creds = JSON.parse(readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8"));
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  const shoot = async (who, pages, viewport = { width: 1280, height: 860 }, prefix = "preview") => {
    const ctx = await browser.newContext({ viewport });
    await ctx.route("**/api/**", async (route) => {
      const u = new URL(route.request().url());
      const key = `${route.request().method()} ${u.pathname}`;
      if (key === "POST /api/payment/create") return route.fulfill({ status: 201, json: statusAnswer("coin", false) });
      if (key === "GET /api/payment/status") {
        const page = new URL(route.request().headers()["referer"] ?? url);
        return route.fulfill({ json: statusAnswer(page.searchParams.get("mode"), page.searchParams.get("paid") === "1") });
      }
      if (fixtures[key]) return route.fulfill({ json: fixtures[key] });
      return route.continue();
    });
    const page = await ctx.newPage();
    page.on("pageerror", (e) => console.error("page error", e.message));
    await page.goto(`${url}/signin`);
    await page.getByLabel("Email").fill(who.email);
    await page.getByLabel("Access code").fill(who.access_code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/(admin|dashboard)/);
    for (const [name, p, act] of pages) {
      await page.goto(url + p);
      await page.waitForLoadState("networkidle").catch(() => undefined);
      if (act) await act(page);
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(out, `${prefix}-${name}.png`), fullPage: true });
      console.log(`${prefix}-${name}.png`);
    }
    await ctx.close();
  };
  try {
    await shoot(creds.customer, [
      ["plans", "/plans"],
      ["checkout", "/checkout?order=4&mode=coin", async (p) => { await p.getByTestId("pay-address").waitFor(); }],
      ["checkout-manual", "/checkout?order=4&mode=manual", async (p) => { await p.getByTestId("manual-note").waitFor(); }],
      ["checkout-paid", "/checkout?order=4&mode=coin&paid=1", async (p) => { await p.getByTestId("receipt").waitFor(); }],
      ["dashboard", "/dashboard"],
      ["adbot", "/dashboard/adbots/7"],
      ["adbot-config", "/dashboard/adbots/7?tab=configure", async (p) => { await p.getByLabel("Target groups").fill("@demo_group_1\nt.me/demo_group_2\n@bad!\n@demo_group_1\nhttps://t.me/c/123/4"); }],
      ["adbot-log", "/dashboard/adbots/7?tab=log"],
      ["history", "/dashboard/history"],
      ["notifications", "/dashboard/notifications"],
    ]);
    await shoot(creds.admin, [
      ["admin-overview", "/admin"],
      ["admin-stock", "/admin/stock"],
      ["admin-adbots", "/admin/adbots"],
      ["admin-products", "/admin/products"],
      ["admin-payments", "/admin/payments"],
      ["admin-blocklist", "/admin/blocklist"],
    ]);
    await shoot(creds.customer, [["adbot", "/dashboard/adbots/7"], ["checkout", "/checkout?order=4&mode=coin", async (p) => { await p.getByTestId("pay-address").waitFor(); }], ["checkout-manual", "/checkout?order=4&mode=manual", async (p) => { await p.getByTestId("manual-note").waitFor(); }]], { width: 390, height: 844 }, "preview-phone");
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
