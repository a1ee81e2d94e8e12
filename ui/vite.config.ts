/// <reference types="vitest/config" />
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

// The Tauri shell embeds ui/dist (tauri.conf.json `build.frontendDist`).
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Tests mount components in jsdom: resolve Svelte's browser build there.
  resolve: mode === "test" ? { conditions: ["browser"] } : {},
  build: {
    // The Linux webview is WebKitGTK; Safari 15 is a safe baseline.
    target: ["es2022", "safari15"],
    outDir: "dist",
    emptyOutDir: true,
  },
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
}));
