// A small Server-Sent Events reader over fetch: it sends the Authorization header (the server
// also accepts the access cookie), reports HTTP errors precisely (no console noise from
// EventSource's MIME checks), and lets the caller decide when to fall back to polling.

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Incremental parser: feed chunks, get complete messages. */
export class SseParser {
  private buf = "";
  private event = "";
  private data: string[] = [];
  private id: string | undefined;

  feed(chunk: string): SseMessage[] {
    this.buf += chunk;
    const out: SseMessage[] = [];
    let nl: number;
    while ((nl = this.buf.search(/\r\n|\n|\r/)) >= 0) {
      const line = this.buf.slice(0, nl);
      const sepLen = this.buf.startsWith("\r\n", nl) ? 2 : 1;
      this.buf = this.buf.slice(nl + sepLen);
      if (line === "") {
        if (this.data.length) out.push({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
        this.event = "";
        this.data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") this.data.push(value);
      else if (field === "event") this.event = value;
      else if (field === "id") this.id = value;
    }
    return out;
  }
}

export interface StreamOptions {
  headers?: Record<string, string>;
  signal: AbortSignal;
  onOpen?: () => void;
  onMessage: (m: SseMessage) => void;
}

/** Reads the stream until it ends; throws `{status}` on a non-stream answer. */
export async function readEventStream(url: string, o: StreamOptions): Promise<void> {
  const res = await fetch(url, {
    headers: { Accept: "text/event-stream", ...o.headers },
    credentials: "same-origin",
    signal: o.signal,
    cache: "no-store",
  });
  const type = res.headers.get("Content-Type") ?? "";
  if (!res.ok || !type.includes("text/event-stream") || !res.body) {
    const err = new Error(`event stream unavailable (HTTP ${res.status})`) as Error & { status: number; body?: string };
    err.status = res.status;
    try {
      err.body = await res.text();
    } catch {
      /* ignore */
    }
    throw err;
  }
  o.onOpen?.();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    for (const m of parser.feed(value)) o.onMessage(m);
  }
}
