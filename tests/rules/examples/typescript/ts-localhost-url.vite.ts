// prodready-path: ui/vite.config.ts
export default defineConfig({
  server: {
    // The dev server's proxy: never part of the production build.
    // ok: ts-localhost-url
    proxy: { "/api": "http://localhost:8080" },
  },
});
