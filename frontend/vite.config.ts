import { defineConfig } from "vitest/config";

// One ES module, everything inlined, written where the integration serves it.
export default defineConfig({
  build: {
    lib: {
      entry: "src/index.ts",
      formats: ["es"],
      fileName: () => "pialert-card.js",
    },
    outDir: "../custom_components/pialert/frontend",
    emptyOutDir: false,
    target: "es2021",
    minify: "esbuild",
    sourcemap: false,
    reportCompressedSize: false,
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
