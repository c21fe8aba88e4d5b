// prodready-path: apps/web/lib/loadConfig.ts
"use client";

export async function loadConfig(instance: string) {
  // Browser code: a stalled call holds a screen, not a server's workers.
  // ok: ts-fetch-without-timeout
  return fetch(`${instance}/api/v1/config`);
}
