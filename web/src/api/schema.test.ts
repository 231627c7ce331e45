import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, schemaFile } from "../../scripts/gen-api.mjs";

describe("schema.d.ts", () => {
  it("is what openapi-typescript makes of the checked-in openapi.json", async () => {
    const fresh = await generate();
    const checkedIn = readFileSync(schemaFile, "utf8");
    // A difference means openapi.json changed without `npm run gen:api` (or schema.d.ts was edited by hand).
    expect(checkedIn === fresh, "src/api/schema.d.ts is stale: run `npm run gen:api` and commit it").toBe(true);
  }, 30000);
});
