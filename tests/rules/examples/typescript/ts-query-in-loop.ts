export async function names(ids: string[]) {
  const out = [];
  for (const id of ids) {
    // ruleid: ts-query-in-loop
    out.push(await db.query<Row>("SELECT name FROM users WHERE id = $1", [id]));
  }
  return out;
}

export async function poll() {
  while (running) {
    // One query per polling round, with a wait between rounds.
    // ok: ts-query-in-loop
    const feeds = await prisma.feed.findMany({ where: { due: true }, take: 50 });
    await handle(feeds);
    await sleep(60_000);
  }
}
