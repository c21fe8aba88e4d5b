// prodready-path: apps/web/app/(ee)/api/cron/import/route.ts
// A platform's cron route: the scheduler starts it, no user's request waits on it.
export async function GET() {
  // ok: ts-fetch-without-timeout
  const res = await fetch("https://api-ssl.bitly.com/v4/groups");
  return Response.json(await res.json());
}
