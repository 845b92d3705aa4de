import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The SPA is served by the local stack (`eoffice dev`) beside the API at the same origin; `npm run dev`
// proxies the API to a running stack (EOFFICE_API, default http://127.0.0.1:8000).
const api = process.env.EOFFICE_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/v1": api, "/local": api, "/config.json": api } },
  build: {
    target: "es2022",
    sourcemap: false,
    // pdf.js is loaded only on a document's page: its own chunk, not in the first load.
    chunkSizeWarningLimit: 600,
  },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
