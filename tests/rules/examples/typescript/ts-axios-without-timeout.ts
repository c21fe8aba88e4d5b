// prodready-path: server/clients/crm.ts
export async function crm(url: string, body: object) {
  // ruleid: ts-axios-without-timeout
  await axios.get(url);
  // ruleid: ts-axios-without-timeout
  await axios.post(url, body);
  // ok: ts-axios-without-timeout
  await axios.post(url, body, { timeout: 3000 });
}
