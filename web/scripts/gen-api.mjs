#!/usr/bin/env node
// src/api/schema.d.ts from openapi.json (the document `hqadz openapi` prints), with
// openapi-typescript. `npm run gen:api` writes it (developers, after openapi.json changed);
// `--check` (`npm run check:api`, the first step of `npm run build`) only compares and exits 1
// when the checked-in file differs from a fresh generation, so a stale one fails the build and
// `make test` instead of being rewritten in place.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const specFile = path.join(webDir, "openapi.json");
export const schemaFile = path.join(webDir, "src", "api", "schema.d.ts");

const HEADER = `// Generated from web/openapi.json by scripts/gen-api.mjs (openapi-typescript): do not edit.
// \`npm run gen:api\` rewrites it; a test fails when it differs from a fresh generation.

`;

/** The text schema.d.ts must hold for the current openapi.json. */
export async function generate() {
  const spec = JSON.parse(readFileSync(specFile, "utf8"));
  const ast = await openapiTS(spec, { alphabetize: false });
  return HEADER + astToString(ast);
}

async function main() {
  const want = await generate();
  if (process.argv.includes("--check")) {
    let have = "";
    try {
      have = readFileSync(schemaFile, "utf8");
    } catch {
      /* missing */
    }
    if (have !== want) {
      console.error(
        "gen-api: src/api/schema.d.ts is stale: it differs from a fresh generation from openapi.json. " +
          "Run `npm run gen:api` (in web/) and commit src/api/schema.d.ts with openapi.json.",
      );
      process.exit(1);
    }
    console.log("gen-api: src/api/schema.d.ts matches openapi.json");
    return;
  }
  writeFileSync(schemaFile, want);
  console.log(`gen-api: wrote ${path.relative(webDir, schemaFile)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`gen-api: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
