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

export async function setSettings(type: string, data: Record<string, string>) {
  const keyList = Object.keys(data);
  for (const key of keyList) {
    // A settings form's keys: a handful of lookups.
    // ok: ts-query-in-loop
    const bean = await db.findOne("setting", { key });
    await bean.update({ value: data[key], type });
  }
  for (const name of ["primary", "secondary"]) {
    // ok: ts-query-in-loop
    await db.findOne("theme", { name });
  }
}

export async function notifyGroup(groupId: string) {
  const members = await GroupUser.findAll({ where: { groupId } });
  for (const member of members) {
    // ruleid: ts-query-in-loop
    const user = await User.findByPk(member.userId);
    await notify(user);
  }
}

export async function fairBatch(maxBatch: number) {
  const users = await prisma.user.findMany({ orderBy: { lastPickedAt: "asc" }, take: maxBatch });
  for (const { id } of users) {
    // The loop runs over one capped page of users.
    // ok: ts-query-in-loop
    await prisma.link.findMany({ where: { createdById: id }, take: maxBatch });
  }
}

export class TrashCleanup {
  @Interval("trash-cleanup", 24 * 60 * 60 * 1000) // every 24 hours
  async cleanup() {
    const workspaces = await this.db.selectFrom("workspaces").select("id").execute();
    for (const w of workspaces) {
      // A daily job, off the request path.
      // ok: ts-query-in-loop
      await this.db.deleteFrom("pages").where("workspaceId", "=", w.id).where("deletedAt", "<", cutoff).execute();
    }
  }
}
