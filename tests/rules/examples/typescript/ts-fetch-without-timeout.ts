// prodready-path: server/services/rates.ts
export async function rates(url: string) {
  // ruleid: ts-fetch-without-timeout
  const r = await fetch(url);
  // ruleid: ts-fetch-without-timeout
  await fetch(url, { method: "POST", body: "{}" });
  // ok: ts-fetch-without-timeout
  await fetch(url, { signal: AbortSignal.timeout(5000) });
  // Raced against a timer.
  // ok: ts-fetch-without-timeout
  await Promise.race([fetch(`${url}/me`), timeout(30_000)]);
  return r;
}

export class Telemetry {
  @Interval("telemetry", 24 * 60 * 60 * 1000)
  async report() {
    // A daily job: a slow upstream holds no user's request.
    // ok: ts-fetch-without-timeout
    await fetch("https://telemetry.example.com/v1", { method: "POST", body: JSON.stringify(this.stats()) });
  }
}
