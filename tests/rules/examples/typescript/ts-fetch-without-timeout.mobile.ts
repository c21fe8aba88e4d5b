// prodready-path: apps/mobile/store/session.ts
export async function me(instance: string) {
  // ok: ts-fetch-without-timeout
  return fetch(`${instance}/api/v1/users/me`);
}
