#!/usr/bin/env node
// The /api/docs page (dist/docs.html) under the Content-Security-Policy the server is to send
// (`script-src 'self'`, no eval, no inline script), served here by a bare static server with the
// checked-in OpenAPI document (web/openapi.json; DOCS_SPEC=<file> for another): Swagger UI must
// render it with no console error, no error or warning box (`.errors-wrapper`, e.g. for a
// jsonSchemaDialect it does not support, or an unsupported `$schema`) and no request leaving
// the origin (no CDN, no web fonts, no online validator). The journey checks the real server's
// /api/docs the same way.
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, "..", "dist");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CSP = "default-src 'self'; script-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; connect-src 'self'";
const spec = readFileSync(path.resolve(here, "..", process.env.DOCS_SPEC ?? "openapi.json"), "utf8");
const types = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml", ".png": "image/png" };

function fail(msg) {
  console.error(`[docs] FAIL ${msg}`);
  process.exit(1);
}

if (!existsSync(path.join(dist, "docs.html"))) fail("web/dist/docs.html is not built (npm run build)");
const server = http.createServer((req, res) => {
  const p = (req.url ?? "/").split("?")[0];
  if (p === "/api/openapi.json") {
    res.writeHead(200, { "Content-Type": "application/json" });
    return res.end(spec);
  }
  const file = path.join(dist, p === "/api/docs" ? "docs.html" : path.normalize(p).replace(/^(\.\.[/\\])+/, ""));
  if (!file.startsWith(dist) || !existsSync(file)) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream", "Content-Security-Policy": CSP });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith("data:")) problems.push(`request outside the origin: ${r.url()}`);
  });
  await page.goto(`${url}/api/docs`);
  await page.locator(".swagger-ui .info .title").waitFor({ timeout: 20000 }).catch(() => fail(`the API title never rendered${problems.length ? `: ${problems.join("; ")}` : ""}`));
  const title = await page.locator(".swagger-ui .info .title").innerText();
  if (!title.includes("hqadz API")) fail(`unexpected title ${title}`);
  await page.locator(".opblock-tag", { hasText: "system" }).waitFor({ timeout: 5000 }).catch(() => fail("the route groups did not render"));
  await page.waitForTimeout(300);
  for (const box of await page.locator(".swagger-ui .errors-wrapper, .swagger-ui .version-pragma__message").all()) {
    if (await box.isVisible()) problems.push(`Swagger UI shows an error box: ${(await box.innerText()).replace(/\s+/g, " ").trim().slice(0, 300)}`);
  }
  if (problems.length) fail(problems.join("\n  "));
  console.log("[docs] PASS: /api/docs renders the document under script-src 'self', no error box, nothing loaded from outside");
} finally {
  await browser.close();
  server.close();
}
