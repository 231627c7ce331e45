#!/usr/bin/env node
// The browser journey on `hqadz serve --demo`: Playwright (playwright-core) driving Debian's
// Chromium. Screenshots of every page go to e2e/artifacts/. Fails on any console error,
// except a 404 from a route the server does not have yet ("no route for …") and the 4xx a
// step provokes on purpose to check that forms show the server's message.
//
// On `serve --demo` every step runs: the admin uploads a spare account made by the embedded
// tgsim (from <data-dir>/demo-world.json), the customer buys Bronze, simulates the payment,
// configures the demo post and three demo groups, starts and sees deliveries, stops. A step
// whose route answers 404 "no route" (an older server) is skipped and listed in the summary.
//
// env: HQADZ_BIN (default ../build/bin/hqadz), CHROMIUM (default /usr/bin/chromium),
//      E2E_POST_LINK, E2E_GROUPS (comma-separated) for the demo world's channel and groups,
//      E2E_KEEP=1 keeps the data dir, HQADZ_CONTRACT_DIR records every /api/ response the
//      browser gets for the contract check (tests/contract, README "API contract").
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, "..");
const bin = path.resolve(webDir, process.env.HQADZ_BIN ?? "../build/bin/hqadz");
const artifacts = path.join(here, "artifacts");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const POST_LINK = process.env.E2E_POST_LINK ?? "https://t.me/hqadz_demo/1";
const GROUPS = (process.env.E2E_GROUPS ?? "@demo_group_1,@demo_group_2,@demo_slow_group").split(",");

const results = [];
const skipped = [];
let step = "start";
const log = (...a) => console.log(`[e2e] ${a.join(" ")}`);

function fail(msg) {
  throw new Error(`${step}: ${msg}`);
}

// ---------- the server ----------
async function startServer() {
  if (!existsSync(bin)) fail(`no hqadz binary at ${bin} (set HQADZ_BIN)`);
  if (!existsSync(path.join(webDir, "dist", "index.html"))) fail("web/dist is not built (npm run build)");
  const dataDir = mkdtempSync(path.join(tmpdir(), "hqadz-e2e-"));
  const child = spawn(bin, ["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir", dataDir], {
    env: { ...process.env, HQADZ_WEB_DIR: path.join(webDir, "dist"), HQADZ_POST_GAP_SECONDS: process.env.HQADZ_POST_GAP_SECONDS ?? "1-2" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr = [];
  child.stderr.on("data", (d) => {
    stderr.push(d.toString());
    if (stderr.length > 400) stderr.shift();
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not print its URL within 60 s\n" + stderr.join(""))), 60000);
    const rl = createInterface({ input: child.stdout });
    rl.once("line", (line) => {
      clearTimeout(timer);
      const m = line.match(/^hqadz listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first stdout line: ${line}`));
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code})\n${stderr.join("")}`)));
  });
  child.stdout.resume();
  const creds = JSON.parse(readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8"));
  // The demo world's accounts; spares are made by the embedded tgsim and not in stock yet.
  const worldFile = path.join(dataDir, "demo-world.json");
  const world = existsSync(worldFile) ? JSON.parse(readFileSync(worldFile, "utf8")) : { accounts: [] };
  return { child, url, dataDir, creds, world, stderr };
}

// ---------- API probing (to skip only what the server lacks) ----------
async function apiToken(url, who) {
  const r = await fetch(`${url}/api/auth/verify-access-code`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: who.email, access_code: who.access_code }),
  });
  if (!r.ok) fail(`API sign-in of ${who.email} failed: ${r.status} ${await r.text()}`);
  return (await r.json()).token;
}

async function routeExists(url, token, method, p, body) {
  const r = await fetch(url + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (r.status === 404 || r.status === 405) {
    const text = await r.text();
    if (r.status === 405 || /no route for/i.test(text)) return false;
  }
  return true;
}

// ---------- the contract's records ----------
// One JSON line per /api/ response the browser got, in the shape of the integration tests'
// (tests/integration/http_client.cpp): method, target, status, content_type, body (JSON
// content types only; body_text when it does not parse), test (the journey's step). Non-JSON
// answers (SSE, /api/docs) keep status and content type only; their bodies are never read (a
// stream does not end). A response whose body is gone before it is read (the page navigated
// or closed) is left out, and so is one a Playwright route wrote (not the server's answer).
const contractFile = process.env.HQADZ_CONTRACT_DIR ? path.join(process.env.HQADZ_CONTRACT_DIR, "web_e2e.jsonl") : null;
const rewritten = new WeakSet(); // requests answered by route.fulfill
const recording = new Set(); // bodies still being read
let recorded = 0;
let unrecorded = 0;

async function recordResponse(res, at) {
  const req = res.request();
  if (rewritten.has(req)) return;
  const u = new URL(res.url());
  const contentType = (await res.allHeaders().catch(() => res.headers()))["content-type"] ?? "";
  const line = { method: req.method(), target: u.pathname + u.search, status: res.status(), content_type: contentType };
  if (/^application\/([\w.+-]*\+)?json\b/i.test(contentType) && req.method() !== "HEAD") {
    let text;
    try {
      text = (await res.body()).toString("utf8");
    } catch {
      unrecorded++;
      return; // aborted, or the page went away first
    }
    try {
      line.body = JSON.parse(text);
    } catch {
      line.body_text = text;
    }
  }
  line.test = `web_e2e: ${at}`;
  appendFileSync(contractFile, JSON.stringify(line) + "\n");
  recorded++;
}

function record(res) {
  if (!contractFile || !new URL(res.url()).pathname.startsWith("/api/")) return;
  const pending = recordResponse(res, step).catch((e) => log(`cannot record ${res.url()} for the contract: ${e.message}`));
  recording.add(pending);
  pending.finally(() => recording.delete(pending));
}

/** Waits for the bodies being recorded (before a page or its context closes). */
async function settleRecords() {
  while (recording.size) await Promise.allSettled([...recording]);
}

// ---------- browser helpers ----------
function watch(page, consoleErrors, expected) {
  page.on("response", record);
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const loc = msg.location()?.url ?? "";
    const text = msg.text();
    // Judged at the end: the response body that says "no route" may be read after this.
    const resource = /Failed to load resource/.test(text) ? loc.replace(/^https?:\/\/[^/]+/, "").split("?")[0] : null;
    consoleErrors.push({ at: step, text: `${text} ${loc}`, resource, provoked: resource !== null && expected.provoked.has(resource) });
  });
  page.on("pageerror", (err) => consoleErrors.push({ at: step, text: `page error: ${err.message}`, resource: null }));
  page.on("response", async (res) => {
    const u = new URL(res.url());
    if (!u.pathname.startsWith("/api/")) return;
    if (res.status() === 404 || res.status() === 405) {
      try {
        const t = await res.text();
        if (res.status() === 405 || /no route for/i.test(t)) expected.noRoute.add(u.pathname);
      } catch {
        /* streamed body */
      }
    }
  });
}

let shotNo = 0;
async function shot(page, name) {
  await page.waitForLoadState("networkidle", { timeout: 5000 }).catch(() => undefined);
  await page.waitForTimeout(250);
  const file = path.join(artifacts, `${String(++shotNo).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  results.push(`screenshot ${path.relative(webDir, file)}`);
}

async function signIn(page, url, who) {
  await page.goto(`${url}/signin`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Access code").fill(who.access_code);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A link of the main navigation (the sidebar). */
const navLink = (page, name) =>
  page
    .getByRole("navigation", { name: "Main navigation" })
    .getByRole("link", { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\d+ unread)?$`) });

async function expectVisible(locator, what, timeout = 10000) {
  try {
    await locator.first().waitFor({ state: "visible", timeout });
  } catch {
    fail(`expected to see ${what}`);
  }
}

/** A syntactically valid Telethon StringSession (random key): importing never contacts Telegram. */
function fakeStringSession() {
  const buf = Buffer.alloc(1 + 4 + 2 + 256);
  buf.writeUInt8(2, 0);
  Buffer.from([127, 0, 0, 1]).copy(buf, 1);
  buf.writeUInt16BE(443, 5);
  randomBytes(256).copy(buf, 7);
  return "1" + buf.toString("base64url");
}

// ---------- the journey ----------
async function main() {
  mkdirSync(artifacts, { recursive: true });
  for (const f of (await import("node:fs")).readdirSync(artifacts)) if (f.endsWith(".png")) rmSync(path.join(artifacts, f));
  const server = await startServer();
  const { url, creds, world } = server;
  log(`server at ${url}`);
  if (contractFile) mkdirSync(path.dirname(contractFile), { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const consoleErrors = [];
  const expected = { noRoute: new Set(), provoked: new Set() };
  try {
    const adminToken = await apiToken(url, creds.admin);
    const has = (method, p, body) => routeExists(url, adminToken, method, p, body);

    // --- public pages ---
    const pub = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const p0 = await pub.newPage();
    watch(p0, consoleErrors, expected);
    step = "sign-in page";
    await p0.goto(`${url}/`);
    await expectVisible(p0.getByRole("heading", { name: "Sign in" }), "the sign-in page");
    await shot(p0, "signin");

    step = "wrong access code shows the server's message";
    expected.provoked.add("/api/auth/verify-access-code");
    await signIn(p0, url, { email: creds.customer.email, access_code: "WRONG-CODE-0000" });
    await expectVisible(p0.getByRole("alert"), "an error message");
    const msg = await p0.getByRole("alert").first().innerText();
    if (!/wrong email or access code/i.test(msg)) fail(`unexpected error text: ${msg}`);
    await shot(p0, "signin-error");

    step = "sign-up page";
    await p0.goto(`${url}/signup`);
    await expectVisible(p0.getByRole("heading", { name: "Create your account" }), "the sign-up page");
    await shot(p0, "signup");
    step = "recover page";
    await p0.goto(`${url}/recover`);
    await shot(p0, "recover");

    step = "public opt-out page";
    await p0.goto(`${url}/opt-out`);
    await expectVisible(p0.getByRole("heading", { name: /Stop adbots posting/ }), "the opt-out page");
    await shot(p0, "opt-out");
    if (await has("POST", "/api/public/opt-out", {})) {
      expected.provoked.add("/api/public/opt-out");
      await p0.getByLabel("Group").fill("@optout_test_group");
      await p0.getByRole("button", { name: "Opt out this group" }).click();
      await expectVisible(p0.getByText(/Request received|excluded|opted out/i), "the opt-out confirmation");
      await shot(p0, "opt-out-done");
    } else skipped.push("opt-out submission (POST /api/public/opt-out: no route)");
    await settleRecords();
    await pub.close();

    // --- admin ---
    const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const pa = await adminCtx.newPage();
    watch(pa, consoleErrors, expected);
    step = "admin signs in";
    await signIn(pa, url, creds.admin);
    await pa.waitForURL(/\/admin$/, { timeout: 15000 });
    await expectVisible(pa.getByRole("heading", { name: "Overview" }), "the admin overview");
    await shot(pa, "admin-overview");

    step = "admin sees users";
    await navLink(pa, "Users").click();
    await expectVisible(pa.getByTestId("users-table"), "the users table");
    await expectVisible(pa.getByText(creds.customer.email), "the demo customer in the list");
    await shot(pa, "admin-users");

    step = "admin creates a user and sees the code once";
    const newEmail = `e2e-${Date.now()}@example.com`;
    await pa.getByRole("button", { name: "New user" }).click();
    await pa.getByRole("dialog").getByLabel("Email").fill(newEmail);
    await pa.getByRole("dialog").getByRole("button", { name: "Create user" }).click();
    await expectVisible(pa.getByTestId("secret-value"), "the new access code");
    const code = (await pa.getByTestId("secret-value").innerText()).trim();
    if (code.length < 6) fail(`access code looks wrong: ${code}`);
    await expectVisible(pa.getByRole("button", { name: /Copy/ }), "a copy button");
    await shot(pa, "admin-user-created");
    await pa.getByRole("button", { name: "I have saved the code" }).click();
    if (await pa.getByTestId("secret-value").count()) fail("the code is still shown after closing");
    await expectVisible(pa.getByText(newEmail), "the new user in the list");

    step = "a duplicate user shows the server's message";
    expected.provoked.add("/api/admin/users");
    await pa.getByRole("button", { name: "New user" }).click();
    await pa.getByRole("dialog").getByLabel("Email").fill(newEmail);
    await pa.getByRole("dialog").getByRole("button", { name: "Create user" }).click();
    await expectVisible(pa.getByRole("dialog").getByRole("alert"), "the server's error in the form");
    await shot(pa, "admin-user-duplicate");
    await pa.keyboard.press("Escape");

    step = "the new user signs in with the code shown";
    {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      watch(p, consoleErrors, expected);
      await signIn(p, url, { email: newEmail, access_code: code });
      await p.waitForURL(/\/dashboard/, { timeout: 15000 });
      await settleRecords();
      await ctx.close();
    }

    step = "admin resets a code and suspends a user";
    {
      const row = pa.getByRole("row").filter({ hasText: newEmail });
      await row.getByRole("button", { name: `Reset access code of ${newEmail}` }).click();
      await pa.getByRole("dialog").getByRole("button", { name: "Reset code" }).click();
      await expectVisible(pa.getByTestId("secret-value"), "the reset access code");
      const reset = (await pa.getByTestId("secret-value").innerText()).trim();
      if (reset === code) fail("the reset code equals the old one");
      await pa.getByRole("button", { name: "I have saved the code" }).click();
      await row.getByRole("button", { name: `Suspend ${newEmail}` }).click();
      await pa.getByRole("dialog").getByRole("button", { name: "Suspend" }).click();
      await expectVisible(row.getByText("Suspended"), "the suspended status");
      await shot(pa, "admin-user-suspended");
      await row.getByRole("button", { name: "Unsuspend" }).click();
      await expectVisible(row.getByText("Active"), "the active status again");
    }

    step = "admin audit log";
    await navLink(pa, "Audit log").click();
    await expectVisible(pa.getByRole("heading", { name: "Audit log" }), "the audit log");
    await pa.waitForTimeout(500);
    await shot(pa, "admin-audit");

    step = "admin stock";
    await navLink(pa, "Stock").click();
    await expectVisible(pa.getByRole("heading", { name: "Stock" }), "the stock page");
    if (await has("POST", "/api/admin/stock/upload", {})) {
      expected.provoked.add("/api/admin/stock/upload");
      // An account made by the demo's tgsim when there is one (it can then post), else a
      // well-formed session with a random key (importing never contacts Telegram).
      const spare = world.accounts.find((a) => a.spare && a.string_session);
      if (!spare) log("no spare tgsim account in demo-world.json: uploading a random-key session");
      await pa.getByRole("button", { name: "StringSessions" }).click();
      await pa.getByLabel("API id").fill(String(spare?.api_id ?? 12345));
      await pa.getByLabel("API hash").fill(spare?.api_hash ?? "0123456789abcdef0123456789abcdef");
      const first = spare ? `${spare.phone} ${spare.string_session}` : `+15550001111 ${fakeStringSession()}`;
      await pa.getByLabel(/One account per line/).fill(`${first}\n+15550002222 not-a-session`);
      await pa.getByRole("button", { name: /Import/ }).click();
      await expectVisible(pa.getByText(/Imported as account/), "the imported account's result");
      await expectVisible(pa.locator(".upload-item .badge.danger"), "the bad line's failure");
      await shot(pa, "admin-stock-upload");
    } else {
      skipped.push("stock upload (POST /api/admin/stock/upload: no route)");
      await shot(pa, "admin-stock");
    }

    for (const [name, label, heading] of [
      ["admin-adbots", "Adbots", "Adbots"],
      ["admin-products", "Products", "Products"],
      ["admin-payments", "Flagged payments", "Flagged payments"],
      ["admin-blocklist", "Blocklist & opt-outs", "Blocklist & opt-outs"],
    ]) {
      step = `admin ${label}`;
      await navLink(pa, label).click();
      await expectVisible(pa.getByRole("heading", { name: heading, exact: true }), `the ${label} page`);
      await shot(pa, name);
    }

    // --- customer ---
    const custCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const pc = await custCtx.newPage();
    watch(pc, consoleErrors, expected);
    step = "customer signs in";
    await signIn(pc, url, creds.customer);
    await pc.waitForURL(/\/dashboard$/, { timeout: 15000 });
    await expectVisible(pc.getByRole("heading", { name: "My adbots" }), "the customer dashboard");
    await shot(pc, "customer-dashboard");

    step = "customer profile";
    await navLink(pc, "Profile").click();
    await expectVisible(pc.getByTestId("profile-email"), "the profile");
    if ((await pc.getByTestId("profile-email").innerText()).trim() !== creds.customer.email) fail("profile shows the wrong email");
    if (!(await pc.getByTestId("license-key").innerText()).trim()) fail("no license key on the profile");
    await shot(pc, "customer-profile");

    step = "session survives a reload (refresh cookie)";
    await pc.reload();
    await expectVisible(pc.getByTestId("profile-email"), "the profile after a reload");

    for (const [name, label, heading] of [
      ["customer-history", "Order history", "Order history"],
      ["customer-notifications", "Notifications", "Notifications"],
      ["customer-settings", "Settings", "Settings"],
    ]) {
      step = `customer ${label}`;
      await navLink(pc, label).click();
      await expectVisible(pc.getByRole("heading", { name: heading, exact: true }), `the ${label} page`);
      await shot(pc, name);
    }

    step = "customer plans";
    await navLink(pc, "Plans").click();
    await expectVisible(pc.getByRole("heading", { name: "Plans" }), "the plans page");
    await shot(pc, "customer-plans");

    const customerToken = await apiToken(url, creds.customer);
    const custHas = (m, p, b) => routeExists(url, customerToken, m, p, b);
    let adbotPath = null;
    if ((await custHas("GET", "/api/products")) && (await custHas("POST", "/api/payment/create", {}))) {
      step = "customer buys Bronze";
      const products = await (await fetch(`${url}/api/products`, { headers: { Authorization: `Bearer ${customerToken}` } })).json();
      const bronzeProduct = products.products.find((p) => /Bronze/.test(p.name));
      if (!bronzeProduct) fail("no Bronze product in the demo catalogue");
      const bronze = pc.getByRole("link", { name: /^Choose (\w+ )?Bronze$/ });
      await expectVisible(bronze, "the Bronze plan");
      await bronze.first().click();
      // Bitcoin on purpose: the manual provider must never turn the USD price into "N BTC".
      await pc.getByLabel("Currency").selectOption("btc");
      await pc.getByRole("button", { name: "Continue to payment" }).click();
      // Read through the page's structure (header subtitle, .steps), as a person reads it.
      await expectVisible(pc.locator(".steps"), "the payment status");

      step = "checkout names the plan, ticks nothing unpaid, counts down";
      const summary = (await pc.locator(".page-head p").first().innerText()).trim();
      if (!summary.startsWith(bronzeProduct.name) || /^Plan\b/.test(summary)) fail(`the checkout subtitle is "${summary}", not the plan's name ${bronzeProduct.name}`);
      const stepStates = await pc.locator(".steps .step").evaluateAll((els) => els.map((e) => [e.classList.contains("done") ? "done" : "", e.textContent ?? ""]));
      if (stepStates.length !== 3 || stepStates[0][0] !== "done") fail(`unexpected steps ${JSON.stringify(stepStates)}`);
      if (stepStates.slice(1).some(([st, text]) => st === "done" || text.includes("✓"))) fail(`a step is ticked before any payment: ${JSON.stringify(stepStates)}`);
      const clock1 = (await pc.getByTestId("countdown").innerText()).trim();
      if (!/^\d+:\d\d(:\d\d)?$/.test(clock1)) fail(`no countdown, it shows "${clock1}"`);
      await pc.waitForTimeout(2100);
      const clock2 = (await pc.getByTestId("countdown").innerText()).trim();
      if (clock1 === clock2) fail(`the countdown does not run (${clock1} twice)`);

      step = "checkout shows money right";
      const bodyText = await pc.locator("main").innerText();
      if (/USDTTRC20|Send exactly/i.test(bodyText)) fail("raw ticker or 'Send exactly' wording on the pay panel");
      const amountText = (await pc.getByTestId("pay-amount").innerText()).trim();
      if (await pc.getByTestId("manual-note").count()) {
        // The manual provider: the fiat amount, the operator confirms by hand, no coin amount.
        if (/BTC/.test(amountText) || new RegExp(`\\b${bronzeProduct.price}\\s*BTC`).test(bodyText)) fail(`the USD price is shown as a coin amount: "${amountText}"`);
        if (!amountText.includes(String(bronzeProduct.price))) fail(`the fiat amount ${bronzeProduct.price} is not shown: "${amountText}"`);
        const note = await pc.getByTestId("manual-note").innerText();
        if (!/operator/i.test(note)) fail(`the manual provider does not say the operator confirms: "${note}"`);
      } else {
        await expectVisible(pc.getByTestId("pay-address"), "the pay address");
        await expectVisible(pc.getByTestId("pay-fiat"), "the fiat total beside the coin amount");
        await expectVisible(pc.getByTestId("pay-warning"), "the network warning");
        await expectVisible(pc.getByRole("img", { name: /QR code/ }), "the QR code");
      }
      await shot(pc, "customer-checkout");

      step = "simulated payment";
      const sim = pc.getByRole("button", { name: "Simulate payment" });
      if (await sim.count()) {
        await sim.click();
        await expectVisible(pc.getByRole("heading", { name: "Payment received" }), "the paid state", 30000);
        await expectVisible(pc.getByTestId("receipt"), "the receipt");
        const receipt = await pc.getByTestId("receipt").innerText();
        if (!/Order #\d+/.test(receipt)) fail(`the receipt has no reference: ${receipt}`);
        if (!receipt.includes(String(bronzeProduct.price))) fail(`the receipt has no amount: ${receipt}`);
        await shot(pc, "customer-paid");
        const setup = pc.getByRole("link", { name: "Set up your adbot" });
        await expectVisible(setup, "the Set up your adbot button");
        await setup.click();
        await pc.waitForURL(/\/dashboard\/adbots\/\d+$/, { timeout: 10000 });
        adbotPath = new URL(pc.url()).pathname;

        step = "the adbot page is titled with the plan's name";
        const title = (await pc.getByRole("heading", { level: 1 }).innerText()).trim();
        if (title !== bronzeProduct.name) fail(`the adbot page is titled "${title}", not "${bronzeProduct.name}"`);

        step = "order history names the plan and links the paid order to its adbot";
        await navLink(pc, "Order history").click();
        const paidRow = pc.getByRole("row").filter({ hasText: bronzeProduct.name });
        await expectVisible(paidRow, `the ${bronzeProduct.name} order in the history`);
        if (await pc.getByRole("cell", { name: /^Plan #\d+$/ }).count()) fail("the history names a plan by its number");
        await expectVisible(paidRow.getByRole("link", { name: "Adbot" }), "the paid order's link to its adbot");
        if ((await paidRow.getByRole("link", { name: "Adbot" }).getAttribute("href")) !== adbotPath) fail("the history links the order to another adbot");
        await pc.goto(url + adbotPath);
        await expectVisible(pc.getByRole("heading", { name: bronzeProduct.name, level: 1 }), "the adbot page again");
      } else skipped.push("simulated payment (the payment answer offers no simulate action: needs `demo: true` or payment.simulate)");
    } else skipped.push("buy Bronze and pay (GET /api/products or POST /api/payment/create: no route)");

    if (adbotPath) {
      const id = adbotPath.split("/").pop();
      if (await custHas("GET", `/api/user/advertisement?adbot_id=${id}`)) {
        step = "configure post and three groups";
        await pc.getByRole("tab", { name: "Post & groups" }).click();
        await pc.getByLabel("Post link").fill(POST_LINK);
        await pc.getByLabel("Target groups").fill(GROUPS.join("\n"));
        await pc.getByRole("button", { name: "Save post & groups" }).click();
        await expectVisible(pc.getByText(/Post and groups saved|Saved;/), "the saved confirmation");
        await shot(pc, "customer-configure");
      } else skipped.push("configure post and groups (/api/user/advertisement: no route)");

      if (await custHas("POST", `/api/adbots/${id}/start`, {})) {
        step = "start, live deliveries, stop";
        await pc.getByRole("tab", { name: "Live log" }).click();
        await pc.getByTestId("start-stop").click();
        await expectVisible(pc.getByTestId("start-stop").filter({ hasText: "Stop" }), "the Stop button");
        await expectVisible(pc.locator(".log-row .badge", { hasText: "Sent" }), "a delivery in the live log", 45000);
        await shot(pc, "customer-live-log");
        await pc.getByTestId("start-stop").click();
        await expectVisible(pc.getByTestId("start-stop").filter({ hasText: "Start" }), "the Start button after stopping");
        await pc.getByRole("tab", { name: "Overview" }).click();
        await shot(pc, "customer-adbot-overview");

        step = "the adbot card shows what the adbot did";
        const detail = await (await fetch(`${url}/api/adbots/${id}`, { headers: { Authorization: `Bearer ${customerToken}` } })).json();
        const delivered = detail.stats.success;
        if (!(delivered > 0)) fail(`the API counts ${delivered} deliveries after a live delivery`);
        const assigned = detail.accounts.filter((a) => a.status === "ASSIGNED").length;
        // The overview: the same count, and the groups just saved (not the ones at page load).
        const deliveredMetric = pc.locator(".metric").filter({ has: pc.locator(".metric-label", { hasText: /^Delivered$/ }) }).locator(".metric-value");
        await pc.waitForFunction(
          ([el, want]) => el?.textContent?.trim() === want,
          [await deliveredMetric.elementHandle(), String(delivered)],
          { timeout: 12000 },
        ).catch(async () => fail(`the overview says ${await deliveredMetric.innerText()} delivered, the adbot delivered ${delivered}`));
        for (const g of GROUPS) await expectVisible(pc.locator(".group-line code", { hasText: g }), `the saved group ${g} on the overview`);
        await navLink(pc, "My adbots").click();
        const card = pc.locator(".adbot-card").filter({ has: pc.locator(`#adbot-${id}`) });
        await expectVisible(card, "the adbot's card");
        const cardDelivered = (await card.getByTestId("adbot-delivered").locator("b").innerText()).trim();
        if (cardDelivered !== String(delivered)) fail(`the card says ${cardDelivered} delivered, the adbot delivered ${delivered}`);
        const cardGroups = (await card.getByTestId("adbot-groups").locator("b").innerText()).trim();
        if (cardGroups !== String(GROUPS.length)) fail(`the card says ${cardGroups} groups, ${GROUPS.length} are configured`);
        const cardAccounts = (await card.getByTestId("accounts-count").innerText()).trim();
        if (/No accounts yet/.test(cardAccounts) && assigned > 0) fail(`the card says "${cardAccounts}" with ${assigned} assigned`);
        if (!cardAccounts.startsWith(`${assigned} account`)) fail(`the card says "${cardAccounts}", ${assigned} accounts are assigned`);
        await shot(pc, "customer-dashboard-card");
      } else skipped.push("start / live log / stop (/api/adbots/{id}/start: no route)");
    } else if (!skipped.some((s) => s.startsWith("buy") || s.startsWith("simulated"))) {
      fail("no adbot after payment");
    } else skipped.push("configure, start, live deliveries, stop (need a paid adbot)");

    step = "Mark all as read clears the badge";
    {
      const link = pc.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: /^Notifications/ });
      await navLink(pc, "Notifications").click();
      await expectVisible(pc.getByRole("heading", { name: "Notifications", exact: true }), "the notifications page");
      const markAll = pc.getByRole("button", { name: "Mark all as read" });
      await expectVisible(markAll, "Mark all as read (the payment left unread notices)");
      if (!(await link.locator(".nav-badge").count())) fail("no unread badge before marking read");
      await markAll.click();
      await expectVisible(pc.getByText("All notifications marked as read"), "the confirmation");
      await link.locator(".nav-badge").waitFor({ state: "detached", timeout: 5000 }).catch(() => fail("the unread badge is still shown"));
      await pc.reload();
      await expectVisible(pc.getByRole("heading", { name: "Notifications", exact: true }), "the notifications page after a reload");
      await pc.waitForTimeout(500);
      if (await link.locator(".nav-badge").count()) fail("the unread badge came back after a reload");
      await shot(pc, "customer-notifications-read");
    }

    step = "admin blocks a group and finds it under Confirmed";
    {
      await navLink(pa, "Blocklist & opt-outs").click();
      await expectVisible(pa.getByRole("heading", { name: "Blocklist & opt-outs", exact: true }), "the blocklist page");
      const blocked = "@e2e_blocked_group";
      await pa.getByLabel("Group").fill(blocked);
      await pa.getByLabel("Reason").fill("owner asked by email");
      await pa.getByRole("button", { name: "Block", exact: true }).click();
      await expectVisible(pa.getByText("Group blocked for every adbot"), "the block confirmation");
      await pa.getByLabel("Show").selectOption("ACTIVE");
      const row = pa.getByRole("row").filter({ hasText: blocked.slice(1) });
      await expectVisible(row, "the blocked group under Confirmed");
      await expectVisible(row.getByText("Confirmed", { exact: true }), "the Confirmed badge");
      if (await pa.getByRole("alert").count()) fail(`an error on the Confirmed filter: ${await pa.getByRole("alert").first().innerText()}`);
      await shot(pa, "admin-blocklist-confirmed");
    }

    if (await has("GET", "/api/openapi.json")) {
      step = "the API reference at /api/docs";
      const docs = await adminCtx.newPage();
      watch(docs, consoleErrors, expected);
      const external = [];
      docs.on("request", (r) => {
        if (!r.url().startsWith(url) && !r.url().startsWith("data:")) external.push(r.url());
      });
      await docs.goto(`${url}/api/docs`);
      await expectVisible(docs.locator(".swagger-ui .info .title"), "the rendered API title", 20000);
      await expectVisible(docs.locator(".opblock-tag").first(), "the route groups");
      for (const box of await docs.locator(".swagger-ui .errors-wrapper, .swagger-ui .version-pragma__message").all()) {
        if (await box.isVisible()) fail(`Swagger UI shows an error box: ${(await box.innerText()).replace(/\s+/g, " ").trim().slice(0, 300)}`);
      }
      if (external.length) fail(`the docs page loads from outside the server: ${external.join(", ")}`);
      await shot(docs, "api-docs");
      await settleRecords();
      await docs.close();
    } else skipped.push("the API reference (GET /api/openapi.json: no route)");

    // --- phone width ---
    step = "phone-width pages";
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const pp = await phone.newPage();
    watch(pp, consoleErrors, expected);
    await signIn(pp, url, creds.admin);
    await pp.waitForURL(/\/admin$/, { timeout: 15000 });
    await shot(pp, "phone-admin-overview");
    await pp.getByRole("button", { name: "Open navigation" }).click();
    await shot(pp, "phone-nav");
    await navLink(pp, "Users").click();
    await expectVisible(pp.getByTestId("users-table"), "the users table on a phone");
    await shot(pp, "phone-admin-users");
    await pp.goto(`${url}/plans`);
    await shot(pp, "phone-plans");
    await settleRecords();
    await phone.close();

    // The demo's provider is the manual one; a crypto provider's answer is the same status
    // answer with a coin: the real answer for a fresh order, its payment turned into a USDT
    // deposit on TRON with 8 minutes left (Playwright rewrites the response in flight).
    step = "a coin payment on a phone: amount with the fiat total, network warning, red countdown, QR";
    {
      const customerToken = await apiToken(url, creds.customer);
      const products = await (await fetch(`${url}/api/products`, { headers: { Authorization: `Bearer ${customerToken}` } })).json();
      const created = await fetch(`${url}/api/payment/create`, {
        method: "POST",
        headers: { Authorization: `Bearer ${customerToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({ product_id: products.products[0].id, pay_currency: "usdttrc20" }),
      });
      if (!created.ok) fail(`creating an order failed: ${created.status} ${await created.text()}`);
      const orderId = (await created.json()).order.id;
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const address = "TQ5sY7nW8dmFzVhC1qk9pX3eJ2bR4uLa6T";
      await ctx.route(`**/api/payment/status?order_id=${orderId}`, async (route) => {
        rewritten.add(route.request());
        const res = await route.fetch();
        const j = await res.json();
        const expires = new Date(Date.now() + 8 * 60_000).toISOString();
        j.order.expires_at = expires;
        Object.assign(j.payment, {
          provider: "nowpayments",
          confirmation: "provider",
          provider_payment_id: "5524759814",
          pay_address: address,
          pay_amount: 30.214,
          pay_currency: "usdttrc20",
          coin: { ticker: "USDT", name: "Tether USD", network: "TRON (TRC-20)" },
          expires_at: expires,
          payment_uri: null,
        });
        await route.fulfill({ response: res, json: j });
      });
      const p = await ctx.newPage();
      watch(p, consoleErrors, expected);
      await signIn(p, url, creds.customer);
      await p.waitForURL(/\/dashboard/, { timeout: 15000 });
      await p.goto(`${url}/checkout?order=${orderId}`);
      await expectVisible(p.getByTestId("pay-address"), "the deposit address");
      const amount = (await p.getByTestId("pay-amount").innerText()).trim();
      if (amount !== "30.214 USDT") fail(`the coin amount reads "${amount}"`);
      const fiat = (await p.getByTestId("pay-fiat").innerText()).trim();
      if (!/\$\d/.test(fiat)) fail(`no fiat total beside the coin amount: "${fiat}"`);
      const warning = (await p.getByTestId("pay-warning").innerText()).trim();
      if (!warning.startsWith("Send only USDT on the TRON (TRC-20) network")) fail(`the network warning reads "${warning}"`);
      const text = await p.locator("main").innerText();
      if (/USDTTRC20/i.test(text)) fail("a raw provider code on the pay panel");
      const qr = p.getByRole("img", { name: /QR code/ });
      await expectVisible(qr, "the QR code");
      if (!(await qr.getAttribute("alt")).includes(address)) fail("the QR code is not of the address");
      const red = await p.getByTestId("countdown").evaluate((e) => e.classList.contains("danger"));
      if (!red) fail("the countdown is not red with 8 minutes left");
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) fail(`the pay panel is ${overflow}px wider than a 390px phone`);
      await shot(p, "phone-checkout-coin");
      await settleRecords();
      await ctx.close();
    }

    step = "sign out";
    await pc.getByRole("button", { name: "Sign out" }).first().click();
    await expectVisible(pc.getByRole("heading", { name: "Sign in" }), "the sign-in page after signing out");

    step = "console";
    const real = consoleErrors.filter((e) => !(e.resource && (e.provoked || expected.noRoute.has(e.resource))));
    if (real.length) fail(`console errors:\n  ${real.map((e) => `[${e.at}] ${e.text}`).join("\n  ")}`);
    if (expected.noRoute.size) log(`routes not on this server yet: ${[...expected.noRoute].sort().join(", ")}`);
  } finally {
    await settleRecords();
    if (contractFile) log(`contract: ${recorded} /api/ responses recorded in ${contractFile}${unrecorded ? ` (${unrecorded} whose body was gone left out)` : ""}`);
    await browser.close().catch(() => undefined);
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (!process.env.E2E_KEEP) rmSync(server.dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => {
    for (const r of results) log(r);
    for (const s of skipped) log(`SKIPPED (backend not there yet): ${s}`);
    log(`PASS (${results.length} screenshots, ${skipped.length} skipped steps)`);
  },
  (e) => {
    for (const r of results) log(r);
    console.error(`[e2e] FAIL ${e.message}`);
    process.exit(1);
  },
);
