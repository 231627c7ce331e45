// The HTTP core every API module uses: JSON in and out, the access token kept in memory only,
// silent renewal through the HttpOnly refresh cookie, and typed errors.

export interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** An error answered by the server (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The route itself does not exist on this server yet (not a missing resource). */
  get notAvailable(): boolean {
    return (
      (this.status === 404 && this.code === "not_found" && /^no route for /i.test(this.message)) ||
      (this.status === 405 && this.code === "method_not_allowed")
    );
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export function isNotAvailable(e: unknown): boolean {
  return e instanceof ApiError && e.notAvailable;
}

/** A user-facing message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.isNetwork) return "Cannot reach the server. Check your connection and try again.";
    return e.message || `Request failed (${e.status})`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

export type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

export interface SessionPayload {
  token: string;
  refresh_token?: string;
  expires_in: number;
  user: unknown;
}

type Listener = (session: SessionPayload | null) => void;

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
  /** A FormData body is sent as multipart; otherwise JSON. */
  form?: FormData;
  /** A body already serialized (the typed client's), sent with `contentType`. */
  raw?: string;
  contentType?: string;
  /** Do not try to renew the token on 401 (used by the auth routes themselves). */
  noRefresh?: boolean;
}

export function buildQuery(query?: RequestOptions["query"]): string {
  if (!query) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

export async function parseError(res: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  return errorFrom(res.status, body, res.statusText);
}

/** The ApiError of an error answer whose body was already read (JSON or not). */
export function errorFrom(status: number, body: unknown, statusText = ""): ApiError {
  const e = typeof body === "object" && body !== null ? (body as ErrorBody).error : undefined;
  const code = e?.code ?? (status === 404 ? "not_found" : "http_" + status);
  const message = e?.message ?? (statusText || `HTTP ${status}`);
  return new ApiError(status, code, message, body);
}

/**
 * One client per page. Holds the access token in memory; a 401 `token_expired` (or a
 * missing token) triggers one refresh through the cookie, shared by every request in flight.
 */
export class ApiClient {
  private token: string | null = null;
  private refreshing: Promise<SessionPayload | null> | null = null;
  private listeners = new Set<Listener>();
  private readonly fetcher: Fetcher;
  private readonly base: string;

  constructor(fetcher?: Fetcher, base = "") {
    this.fetcher = fetcher ?? ((input, init) => globalThis.fetch(input, init));
    this.base = base;
  }

  get accessToken(): string | null {
    return this.token;
  }

  setSession(s: SessionPayload | null): void {
    this.token = s?.token ?? null;
    for (const l of this.listeners) l(s);
  }

  /** Called with the new session after every sign-in or refresh, with null on sign-out. */
  onSession(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Renews the access token with the refresh cookie; concurrent callers share one call. */
  refresh(): Promise<SessionPayload | null> {
    if (!this.refreshing) {
      this.refreshing = (async () => {
        try {
          const res = await this.fetcher(this.base + "/api/auth/refresh", {
            method: "POST",
            credentials: "same-origin",
          });
          if (!res.ok) {
            if (res.status === 401 || res.status === 403) {
              this.setSession(null);
              return null;
            }
            throw await parseError(res);
          }
          const s = (await res.json()) as SessionPayload;
          this.setSession(s);
          return s;
        } catch (e) {
          if (e instanceof ApiError) throw e;
          throw new ApiError(0, "network", errorMessage(e));
        } finally {
          this.refreshing = null;
        }
      })();
    }
    return this.refreshing;
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    let body: BodyInit | undefined;
    if (opts.form) {
      body = opts.form;
    } else if (opts.raw !== undefined) {
      if (opts.contentType) headers["Content-Type"] = opts.contentType;
      body = opts.raw;
    } else if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.body);
    }
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    try {
      return await this.fetcher(this.base + path + buildQuery(opts.query), {
        method,
        headers,
        body,
        signal: opts.signal,
        credentials: "same-origin",
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") throw e;
      throw new ApiError(0, "network", errorMessage(e));
    }
  }

  /**
   * Sends once; on a 401 that a new token can cure (`token_expired`, or no token in memory
   * yet) renews through the cookie and sends again. Answers the last response, whatever its
   * status; a refused token signs the user out.
   */
  private async sendRenewing(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const res = await this.send(method, path, opts);
    if (res.status !== 401 || opts.noRefresh) return res;
    const err = await parseError(res.clone());
    const retryable = err.code === "token_expired" || (err.code === "unauthenticated" && this.token === null);
    if (!retryable) {
      if (err.code === "invalid_token" || err.code === "token_expired") this.setSession(null);
      return res;
    }
    const s = await this.refresh();
    if (!s) return res;
    return this.send(method, path, opts);
  }

  /**
   * The `fetch` of the typed client (openapi-fetch, see `http.ts`): the same token, renewal
   * and network errors as `request`, for a Request it built.
   */
  async exchange(req: Request, opts: { noRefresh?: boolean } = {}): Promise<Response> {
    const u = new URL(req.url);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const raw = hasBody ? await req.text() : "";
    return this.sendRenewing(req.method, u.pathname + u.search, {
      raw: raw === "" ? undefined : raw,
      contentType: req.headers.get("Content-Type") ?? undefined,
      signal: req.signal,
      noRefresh: opts.noRefresh,
    });
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.sendRenewing(method, path, opts);
    if (!res.ok) throw await parseError(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, "bad_json", "The server sent an unreadable answer.");
    }
  }

  /**
   * Multipart upload with progress (fetch has no upload progress): XMLHttpRequest, same
   * token and one renewal on 401 like `request`.
   */
  async upload<T>(path: string, form: FormData, onProgress?: (fraction: number) => void): Promise<T> {
    const attempt = () =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", this.base + path);
        xhr.setRequestHeader("Accept", "application/json");
        if (this.token) xhr.setRequestHeader("Authorization", `Bearer ${this.token}`);
        xhr.upload.onprogress = (ev) => {
          if (ev.lengthComputable && onProgress) onProgress(ev.loaded / ev.total);
        };
        xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
        xhr.onerror = () => reject(new ApiError(0, "network", "Upload failed: the server could not be reached."));
        xhr.send(form);
      });
    const toError = (r: { status: number; text: string }) => {
      let body: ErrorBody | undefined;
      try {
        body = JSON.parse(r.text) as ErrorBody;
      } catch {
        body = undefined;
      }
      return new ApiError(
        r.status,
        body?.error?.code ?? (r.status === 404 ? "not_found" : "http_" + r.status),
        body?.error?.message ?? `Upload failed (HTTP ${r.status})`,
        body,
      );
    };
    let r = await attempt();
    if (r.status === 401) {
      const err = toError(r);
      if (err.code === "token_expired" && (await this.refresh())) r = await attempt();
    }
    if (r.status < 200 || r.status >= 300) throw toError(r);
    onProgress?.(1);
    return (r.text ? JSON.parse(r.text) : undefined) as T;
  }
}

/** The page's client. */
export const api = new ApiClient();
