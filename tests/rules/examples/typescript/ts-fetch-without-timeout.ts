// prodready-path: server/services/rates.ts
export async function rates(url: string) {
  // ruleid: ts-fetch-without-timeout
  const r = await fetch(url);
  // ruleid: ts-fetch-without-timeout
  await fetch(url, { method: "POST", body: "{}" });
  // ok: ts-fetch-without-timeout
  await fetch(url, { signal: AbortSignal.timeout(5000) });
  // A relative URL: the page calls its own backend.
  // ok: ts-fetch-without-timeout
  await fetch("/api/v1/config");
  // Raced against a timer.
  // ok: ts-fetch-without-timeout
  await Promise.race([fetch(`${url}/me`), timeout(30_000)]);
  return r;
}
