export async function notifyPhones(notification: { phones: string }, msg: string) {
  const recipients = notification.phones.split(",").map((p) => p.trim());
  // A few numbers typed into one setting.
  // ok: ts-promise-all-unbounded
  await Promise.all(recipients.map((to) => sendSms(to, msg)));
}

export async function notifyWatchers(productId: string, msg: string) {
  const watchers = await db("watchers").where({ product_id: productId });
  // Every watcher the query found, all at once.
  // ruleid: ts-promise-all-unbounded
  await Promise.all(watchers.map((w) => sendMail(w.email, msg)));
}

export async function notifyGiven(watchers: Watcher[], msg: string) {
  // As many as the callers pass, which this code does not show.
  // ok: ts-promise-all-unbounded
  await Promise.all(watchers.map((w) => sendMail(w.email, msg)));
}

export async function getFriends(req: Request, res: Response) {
  const { friends: ids } = await (await fetch(`${IDENTITY}/users/${req.params.id}/friends`)).json();
  // As many friends as the identity service lists.
  // ruleid: ts-promise-all-unbounded
  const friends = await Promise.all(ids.map((id: string) => fetch(`${IDENTITY}/users/${id}`)));
  res.json(friends);
}


export async function notifyMembers(groupId: string) {
  await GroupUser.findAllInBatches({ where: { groupId }, batchLimit: 10 }, async (members: GroupUser[]) => {
    // One batch of ten at a time.
    // ok: ts-promise-all-unbounded
    await Promise.all(members.map((m) => sendMail(m.email, "mentioned")));
  });
}

export async function transformAll(nodes: Node[]) {
  // An async callback that awaits nothing: no call waits on anything.
  // ok: ts-promise-all-unbounded
  return Promise.all(
    nodes.map(async (node) => {
      const copy = node.copy();
      copy.attrs = { ...copy.attrs, id: update(copy.attrs.id) };
      return copy;
    })
  );
}

export async function saveAll(feedUrl: string) {
  const items = await (await fetch(feedUrl)).json();
  // ruleid: ts-promise-all-unbounded
  await Promise.all(
    items.map(async (item) => {
      await db.save(item);
    })
  );
}

export async function setRecipients(envelopeId: string, recipients) {
  return prisma.$transaction(async (tx) => {
    // Inside an interactive transaction: one connection, one query at a time.
    // ok: ts-promise-all-unbounded
    await Promise.all(recipients.map((r) => tx.recipient.create({ data: { envelopeId, ...r } })));
  });
}

export async function copyItems(envelope: Envelope) {
  // The children of one record: as many as one envelope holds.
  // ok: ts-promise-all-unbounded
  await Promise.all(envelope.items.map((item) => db.item.create({ data: item })));
  // A constant list.
  // ok: ts-promise-all-unbounded
  await Promise.all(INTERNAL_GROUPS.map((g) => db.group.create({ data: g })));
}

export async function signAll(input) {
  // Tokens from the request, as many as the caller sends.
  // ruleid: ts-promise-all-unbounded
  await Promise.all(input.tokens.map((t) => sendSignature(t)));
}

export const POST = async ({ req }: { req: Request }) => {
  let links: Link[] = [];
  links = await req.json();
  // As many links as the body holds.
  // ruleid: ts-promise-all-unbounded
  return Promise.all(links.map((link) => prisma.link.findUnique({ where: { key: link.key } })));
};

export async function remindOwners(programId: string) {
  const owners = await loadOwners(programId);
  // What a helper returns is as long as the helper makes it, which this code does not show.
  // ok: ts-promise-all-unbounded
  await Promise.all(owners.map((o) => sendMail(o.email, "reminder")));
}

export async function pendingPayoutReminders() {
  const programs = await prisma.program.findMany({ include: { workspace: { select: { users: true } } } });
  // Reshapes rows already loaded: nothing waits on a connection.
  // ok: ts-promise-all-unbounded
  const reminders = await Promise.all(
    programs.map(async (program) => {
      const details = pending.find((p) => p.programId === program.id);
      const workspace = program.workspace;
      return workspace.users.map(({ user }) => ({ email: user.email, amount: details?.amount ?? 0 }));
    }),
  ).then((all) => all.flat());
  return reminders;
}

export async function remindAll() {
  const programs = await prisma.program.findMany({ include: { workspace: { select: { users: true } } } });
  // Each callback starts one send per user of every program at once.
  // ruleid: ts-promise-all-unbounded
  const sent = await Promise.all(
    programs.map(async (program) => {
      return program.workspace.users.map(async ({ user }) => sendEmail(user.email));
    }),
  ).then((all) => all.flat());
  return sent;
}
