/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` proxies /api to a running `hqadz serve` (HQADZ_API, default 127.0.0.1:8080).
const api = process.env.HQADZ_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": { target: api, changeOrigin: false } } },
  // Two pages: the app (index.html) and the API reference served at /api/docs (docs.html).
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { main: "index.html", docs: "docs.html" } },
  },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
