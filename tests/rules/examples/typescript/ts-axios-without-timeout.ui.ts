// prodready-path: ui/src/application/AppStore.ts
export async function refresh(url: string) {
  // A single-page app calling its own backend.
  // ok: ts-axios-without-timeout
  return axios.get(url);
}
