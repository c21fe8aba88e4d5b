// prodready-path: server/env.js
// A fallback for a missing setting, and a default parameter: not the address the code is built to call.
// ok: js-localhost-url
export const api = process.env.API || "http://localhost:3000";
// ok: js-localhost-url
export const mail = ({ assetBaseUrl = "http://localhost:3002" }) => assetBaseUrl;
// ruleid: js-localhost-url
export const orders = () => fetch("http://localhost:8080/api/orders");
// ruleid: js-localhost-url
export const redis = new Redis("redis://127.0.0.1:6379");
// ok: js-localhost-url
export const remote = "https://api.example.com";
// ok: js-localhost-url
// see http://localhost:3000 when running locally

export function started(port: number) {
  // A log line telling the operator where the server listens.
  // ok: js-localhost-url
  console.log(`Listening on http://localhost:${port}`);
  // ok: js-localhost-url
  log.info(`open http://127.0.0.1:${port} in a browser`);
}

// A relative request path parsed against a placeholder base.
// ok: js-localhost-url
const parsed = new URL(request.url, "http://localhost");

export function oauthCallback(host, query) {
  if (process.env.NODE_ENV === "development" && !host.includes("localhost")) {
    // Only in development: the tunnel a developer's machine answers on.
    // ok: js-localhost-url
    return redirect(`http://localhost:8888/api/callback?${query}`);
  } else {
    // ruleid: js-localhost-url
    return redirect("http://localhost:9999/api/callback");
  }
}
