// prodready-path: app/routes/ingest.ts
const API_HOST = 'eu.i.example-analytics.com';
const ASSET_HOST = 'eu-assets.i.example-analytics.com';

export const proxy = async (request: Request) => {
  const url = new URL(request.url);
  const hostname = url.pathname.startsWith('/ingest/static/') ? ASSET_HOST : API_HOST;
  const upstream = new URL(url);
  upstream.protocol = 'https';
  upstream.hostname = hostname;
  upstream.pathname = upstream.pathname.replace(/^\/ingest/, '');
  // ok: ts-ssrf-from-request
  return fetch(upstream, { method: request.method, signal: AbortSignal.timeout(5000) });
};

export const relay = async (request: Request) => {
  const url = new URL(request.url);
  const upstream = new URL(url.searchParams.get('to') ?? '');
  upstream.hostname = url.searchParams.get('host') ?? '';
  // ruleid: ts-ssrf-from-request
  return fetch(upstream, { method: request.method, signal: AbortSignal.timeout(5000) });
};

export const forward = async (request: Request) => {
  const url = new URL(request.url);
  const upstream = new URL(url.searchParams.get('to') ?? '');
  upstream.pathname = '/v1';
  // ruleid: ts-ssrf-from-request
  return fetch(upstream, { method: request.method, signal: AbortSignal.timeout(5000) });
};
