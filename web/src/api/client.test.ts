import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, buildQuery, errorMessage, isNotAvailable } from "./client";

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;
const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const session = (token: string) => ({ token, refresh_token: "r", expires_in: 900, user: { id: 1, email: "a@b.c", role: "USER" } });

function client(handler: Handler) {
  const calls: { url: string; auth: string | null; method: string }[] = [];
  const fetcher = vi.fn(async (url: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ url, auth: headers.Authorization ?? null, method: init.method ?? "GET" });
    return handler(url, init);
  });
  return { c: new ApiClient(fetcher), calls, fetcher };
}

describe("ApiClient", () => {
  it("sends the bearer token and parses JSON", async () => {
    const { c, calls } = client(() => json(200, { ok: 1 }));
    c.setSession(session("T1"));
    expect(await c.request("GET", "/api/x", { query: { a: 1, b: "", c: undefined } })).toEqual({ ok: 1 });
    expect(calls[0]).toMatchObject({ url: "/api/x?a=1", auth: "Bearer T1" });
  });

  it("renews once on token_expired and retries with the new token", async () => {
    let n = 0;
    const { c, calls } = client((url, init) => {
      if (url === "/api/auth/refresh") return json(200, session("T2"));
      const auth = (init.headers as Record<string, string>).Authorization;
      n += 1;
      return auth === "Bearer T2" ? json(200, { n }) : json(401, { error: { code: "token_expired", message: "the access token expired" } });
    });
    c.setSession(session("T1"));
    expect(await c.request("GET", "/api/y")).toEqual({ n: 2 });
    expect(calls.map((x) => x.url)).toEqual(["/api/y", "/api/auth/refresh", "/api/y"]);
    expect(c.accessToken).toBe("T2");
  });

  it("shares one refresh between concurrent requests", async () => {
    let refreshes = 0;
    const { c } = client(async (url, init) => {
      if (url === "/api/auth/refresh") {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 10));
        return json(200, session("NEW"));
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === "Bearer NEW" ? json(200, { url }) : json(401, { error: { code: "token_expired", message: "expired" } });
    });
    c.setSession(session("OLD"));
    const r = await Promise.all([c.request("GET", "/api/a"), c.request("GET", "/api/b"), c.request("GET", "/api/c")]);
    expect(r).toEqual([{ url: "/api/a" }, { url: "/api/b" }, { url: "/api/c" }]);
    expect(refreshes).toBe(1);
  });

  it("signs out when the refresh cookie is refused", async () => {
    const { c } = client((url) =>
      url === "/api/auth/refresh"
        ? json(401, { error: { code: "invalid_refresh_token", message: "no" } })
        : json(401, { error: { code: "token_expired", message: "expired" } }),
    );
    const seen: unknown[] = [];
    c.onSession((s) => seen.push(s));
    c.setSession(session("T1"));
    await expect(c.request("GET", "/api/z")).rejects.toMatchObject({ status: 401, code: "token_expired" });
    expect(c.accessToken).toBeNull();
    expect(seen.at(-1)).toBeNull();
  });

  it("does not refresh on other 401s or for auth routes", async () => {
    const { c, calls } = client(() => json(401, { error: { code: "invalid_credentials", message: "wrong email or access code" } }));
    await expect(c.request("POST", "/api/auth/verify-access-code", { body: {}, noRefresh: true })).rejects.toThrow("wrong email or access code");
    c.setSession(session("T"));
    await expect(c.request("GET", "/api/w")).rejects.toMatchObject({ code: "invalid_credentials" });
    expect(calls.some((x) => x.url === "/api/auth/refresh")).toBe(false);
  });

  it("tries the refresh cookie when no token is in memory yet", async () => {
    const { c, calls } = client((url, init) => {
      if (url === "/api/auth/refresh") return json(200, session("C"));
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth ? json(200, { ok: true }) : json(401, { error: { code: "unauthenticated", message: "sign in first" } });
    });
    expect(await c.request("GET", "/api/me")).toEqual({ ok: true });
    expect(calls.map((x) => x.url)).toEqual(["/api/me", "/api/auth/refresh", "/api/me"]);
  });

  it("keeps the server's error code and message", async () => {
    const { c } = client(() => json(409, { error: { code: "email_taken", message: "that email is already registered" } }));
    const e = await c.request("POST", "/api/admin/users", { body: { email: "x" } }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 409, code: "email_taken", message: "that email is already registered" });
    expect(errorMessage(e)).toBe("that email is already registered");
    expect(isNotAvailable(e)).toBe(false);
  });

  it("tells a missing route from a missing resource", async () => {
    const { c } = client((url) =>
      url.startsWith("/api/products")
        ? json(404, { error: { code: "not_found", message: "no route for GET /api/products" } })
        : json(404, { error: { code: "not_found", message: "adbot not found" } }),
    );
    c.setSession(session("T"));
    expect(isNotAvailable(await c.request("GET", "/api/products").catch((e) => e))).toBe(true);
    expect(isNotAvailable(await c.request("GET", "/api/adbots/9").catch((e) => e))).toBe(false);
  });

  it("reports network failures as status 0 with a readable message", async () => {
    const c = new ApiClient(() => Promise.reject(new TypeError("Failed to fetch")));
    const e = await c.request("GET", "/api/health").catch((x) => x);
    expect(e).toMatchObject({ status: 0, isNetwork: true });
    expect(errorMessage(e)).toMatch(/Cannot reach the server/);
  });

  it("answers undefined for 204", async () => {
    const { c } = client(() => new Response(null, { status: 204 }));
    expect(await c.request("POST", "/api/auth/logout", { body: {} })).toBeUndefined();
  });

  it("builds queries without empty values", () => {
    expect(buildQuery({ a: "x y", b: null, c: 0, d: false })).toBe("?a=x+y&c=0&d=false");
    expect(buildQuery({})).toBe("");
  });

  it("the typed client (openapi-fetch through exchange) renews on token_expired and keeps the body", async () => {
    const { typedClient, ok } = await import("./http");
    const bodies: (string | null)[] = [];
    const { c, calls } = client(async (url, init) => {
      if (url === "/api/auth/refresh") return json(200, session("T2"));
      bodies.push(typeof init.body === "string" ? init.body : null);
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === "Bearer T2" ? json(200, { ok: true }) : json(401, { error: { code: "token_expired", message: "expired" } });
    });
    c.setSession(session("T1"));
    const typed = typedClient(c);
    expect(await ok(typed.POST("/api/user/notifications/read-all"))).toEqual({ ok: true });
    expect(calls.map((x) => `${x.method} ${x.url}`)).toEqual(["POST /api/user/notifications/read-all", "POST /api/auth/refresh", "POST /api/user/notifications/read-all"]);
    await ok(typed.POST("/api/admin/blocklist", { body: { group: "@g", reason: "r" } }));
    expect(bodies.at(-1)).toBe(JSON.stringify({ group: "@g", reason: "r" }));
  });

  it("the typed client throws the server's error as an ApiError", async () => {
    const { typedClient, ok } = await import("./http");
    const { c } = client(() => json(400, { error: { code: "missing_field", message: "group is required" } }));
    const e = await ok(typedClient(c).POST("/api/admin/blocklist", { body: { group: "" } })).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: "missing_field", message: "group is required" });
  });

  it("the typed client sends query parameters and leaves out the empty ones", async () => {
    const { typedClient, ok } = await import("./http");
    const { c, calls } = client(() => json(200, { blocklist: [] }));
    await ok(typedClient(c).GET("/api/admin/blocklist", { params: { query: { status: "ACTIVE" } } }));
    await ok(typedClient(c).GET("/api/admin/blocklist", { params: { query: { status: undefined } } }));
    expect(calls.map((x) => x.url)).toEqual(["/api/admin/blocklist?status=ACTIVE", "/api/admin/blocklist"]);
  });
});
