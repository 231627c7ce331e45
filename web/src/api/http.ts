// The typed client: openapi-fetch over the paths generated from web/openapi.json
// (schema.d.ts), sending through ApiClient.exchange so it keeps the token in memory, the
// silent renewal and the network errors of client.ts. A field renamed on the server renames
// it in schema.d.ts, and every page that reads the old name fails `tsc`.
import createClient from "openapi-fetch";
import { api, ApiClient, errorFrom } from "./client";
import type { components, paths } from "./schema";

/** The resources of the document: `Schemas["Adbot"]`. */
export type Schemas = components["schemas"];

const origin = () => globalThis.location?.origin ?? "http://localhost";

export function typedClient(c: ApiClient = api, opts: { noRefresh?: boolean } = {}) {
  return createClient<paths>({ baseUrl: origin(), fetch: (r: Request) => c.exchange(r, opts) });
}

/** The page's typed client, and one for the auth routes (no renewal on their own 401). */
export const http = typedClient();
export const httpNoRefresh = typedClient(api, { noRefresh: true });

/**
 * The answer's data, or its error thrown as an ApiError (the `{error: {code, message}}` body).
 * openapi-fetch answers `{data, error, response}`; pages want a value or a throw.
 */
export async function ok<R extends { data?: unknown; error?: unknown; response: Response }>(
  call: Promise<R>,
): Promise<Exclude<R["data"], undefined>> {
  const r = await call;
  if (!r.response.ok) throw errorFrom(r.response.status, r.error, r.response.statusText);
  return r.data as Exclude<R["data"], undefined>;
}
