import { defineConfig } from "vite";

export default defineConfig({
  // The Firebase SDK (auth, firestore, functions) is most of the bundle.
  build: { outDir: "dist", target: "es2022", sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
