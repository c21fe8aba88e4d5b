// prodready-path: server/env.ts
// A fallback for a missing setting, and a default parameter: not the address the code is built to call.
// ok: ts-localhost-url
export const api = process.env.API || "http://localhost:3000";
// ok: ts-localhost-url
export const mail = ({ assetBaseUrl = "http://localhost:3002" }) => assetBaseUrl;
// ruleid: ts-localhost-url
export const orders = () => fetch("http://localhost:8080/api/orders");
// ruleid: ts-localhost-url
export const redis = new Redis("redis://127.0.0.1:6379");
// ok: ts-localhost-url
export const remote = "https://api.example.com";
// ok: ts-localhost-url
// see http://localhost:3000 when running locally

export function started(port: number) {
  // A log line telling the operator where the server listens.
  // ok: ts-localhost-url
  console.log(`Listening on http://localhost:${port}`);
  // ok: ts-localhost-url
  log.info(`open http://127.0.0.1:${port} in a browser`);
}

// A relative request path parsed against a placeholder base.
// ok: ts-localhost-url
const parsed = new URL(request.url, "http://localhost");

// A validation message's example.
// ok: ts-localhost-url
const hint = "CLICKHOUSE_URL must be a valid URL, e.g. http://localhost:8123";

export function oauthCallback(host, query) {
  if (process.env.NODE_ENV === "development" && !host.includes("localhost")) {
    // Only in development: the tunnel a developer's machine answers on.
    // ok: ts-localhost-url
    return redirect(`http://localhost:8888/api/callback?${query}`);
  } else {
    // ruleid: ts-localhost-url
    return redirect("http://localhost:9999/api/callback");
  }
}
