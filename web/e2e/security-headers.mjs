#!/usr/bin/env node
// Issue 20, the browser-facing fixes on a real `hqadz serve --demo --no-engine`, in Debian's
// Chromium (playwright-core, as docs-csp.mjs and journey.mjs):
//  - every page and API answer carries the Content-Security-Policy (frame-ancestors 'none'),
//    X-Content-Type-Options: nosniff, X-Frame-Options: DENY and Referrer-Policy: same-origin;
//  - the built UI and /api/docs render under that policy with no violation and no console error;
//  - a page of another origin cannot frame the UI;
//  - after a sign-in the refresh cookie is HttpOnly, SameSite=Strict, Path=/api/auth (not Secure
//    over plain http; Secure over https is held by tests/integration/security_test.cpp), and no
//    script can read it.
// env: HQADZ_BIN (default ../build/bin/hqadz), CHROMIUM (default /usr/bin/chromium).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, "..");
const bin = path.resolve(webDir, process.env.HQADZ_BIN ?? "../build/bin/hqadz");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const EXPECTED = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
};

const problems = [];
const log = (...a) => console.log(`[security] ${a.join(" ")}`);
function fail(msg) {
  console.error(`[security] FAIL ${msg}`);
  process.exitCode = 1;
  throw new Error(msg);
}

function checkHeaders(what, headers) {
  const csp = headers["content-security-policy"] ?? "";
  if (!csp.includes("frame-ancestors 'none'")) problems.push(`${what}: CSP without frame-ancestors 'none': "${csp}"`);
  if (!csp.includes("script-src 'self'")) problems.push(`${what}: CSP without script-src 'self': "${csp}"`);
  for (const [k, v] of Object.entries(EXPECTED)) {
    if (headers[k] !== v) problems.push(`${what}: ${k} is "${headers[k]}", not "${v}"`);
  }
}

async function startServer() {
  if (!existsSync(bin)) fail(`no hqadz binary at ${bin} (set HQADZ_BIN)`);
  if (!existsSync(path.join(webDir, "dist", "index.html"))) fail("web/dist is not built (npm run build)");
  const dataDir = mkdtempSync(path.join(tmpdir(), "hqadz-sec-"));
  const child = spawn(bin, ["serve", "--demo", "--no-engine", "--listen", "127.0.0.1:0", "--data-dir", dataDir], {
    env: { ...process.env, HQADZ_WEB_DIR: path.join(webDir, "dist") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr = [];
  child.stderr.on("data", (d) => stderr.push(d.toString()));
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
  return { child, url, dataDir, creds };
}

const { child, url, dataDir, creds } = await startServer();
// Another origin that tries to frame the UI.
const framer = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/html" });
  res.end(`<!doctype html><title>framer</title><iframe id="f" src="${url}/" width="800" height="600"></iframe>`);
});
await new Promise((r) => framer.listen(0, "127.0.0.1", r));
const framerUrl = `http://localhost:${framer.address().port}`;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(`page error: ${e.message}`));

  // The UI under its policy.
  const home = await page.goto(`${url}/`);
  checkHeaders("GET /", home.headers());
  await page.waitForFunction(() => document.querySelector("#root")?.children.length > 0, null, { timeout: 20000 })
    .catch(() => problems.push("the UI did not render under its CSP"));
  // /api/docs (Swagger UI, bundled) under the same policy.
  const docs = await page.goto(`${url}/api/docs`);
  checkHeaders("GET /api/docs", docs.headers());
  await page.locator(".swagger-ui .info .title").waitFor({ timeout: 20000 })
    .catch(() => problems.push("/api/docs did not render under its CSP"));
  // An API answer and an error carry them too.
  const health = await page.request.get(`${url}/api/health`);
  checkHeaders("GET /api/health", health.headers());
  const missing = await page.request.get(`${url}/api/no-such-route`);
  checkHeaders("404", missing.headers());
  const violations = consoleErrors.filter((t) => /Content Security Policy|Refused to/i.test(t));
  if (violations.length) problems.push(`CSP violations: ${violations.join(" | ")}`);
  else if (consoleErrors.length) problems.push(`console errors: ${consoleErrors.join(" | ")}`);

  // Cookie flags after a sign-in made by the page itself.
  await page.goto(`${url}/`);
  const status = await page.evaluate(async (who) => {
    const r = await fetch("/api/auth/verify-access-code", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: who.email, access_code: who.access_code }),
    });
    return r.status;
  }, creds.customer);
  if (status !== 200) problems.push(`sign-in answered ${status}`);
  const refresh = (await context.cookies(`${url}/api/auth/refresh`)).find((c) => c.name === "hqadz_refresh");
  if (!refresh) problems.push("no hqadz_refresh cookie after sign-in");
  else {
    if (!refresh.httpOnly) problems.push("hqadz_refresh is not HttpOnly");
    if (refresh.sameSite !== "Strict") problems.push(`hqadz_refresh SameSite=${refresh.sameSite}`);
    if (refresh.path !== "/api/auth") problems.push(`hqadz_refresh Path=${refresh.path}`);
    if (refresh.secure) problems.push("hqadz_refresh is Secure over plain http (the browser would drop it)");
  }
  const visible = await page.evaluate(() => document.cookie);
  if (/hqadz_(refresh|access)=/.test(visible)) problems.push(`a script can read the session cookies: ${visible}`);

  // Framing from another origin is refused.
  const outside = await context.newPage();
  const frameErrors = [];
  outside.on("console", (m) => frameErrors.push(m.text()));
  await outside.goto(framerUrl);
  await outside.waitForTimeout(1500);
  const framed = outside.frames().find((f) => f !== outside.mainFrame());
  const framedRendered = framed
    ? await framed.evaluate(() => !!document.querySelector("#root")).catch(() => false)
    : false;
  if (framedRendered) problems.push("another origin framed the UI");
  if (!frameErrors.some((t) => /frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(t))) {
    log(`(no framing refusal in the console: ${frameErrors.join(" | ") || "none"}; the frame stayed empty)`);
  }

  if (problems.length) fail(problems.join("\n  "));
  log("PASS: headers on every answer, UI and /api/docs render under the CSP, no framing, refresh cookie HttpOnly; SameSite=Strict; Path=/api/auth");
} finally {
  await browser.close();
  framer.close();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
