export async function setRecipients(envelopeId, recipients) {
  return prisma.$transaction(async (tx) => {
    // Inside an interactive transaction: one connection, one query at a time.
    // ok: js-promise-all-unbounded
    await Promise.all(recipients.map((r) => tx.recipient.create({ data: { envelopeId, ...r } })));
  });
}

export async function copyItems(envelope) {
  // The children of one record: as many as one envelope holds.
  // ok: js-promise-all-unbounded
  await Promise.all(envelope.items.map((item) => db.item.create({ data: item })));
  // A constant list.
  // ok: js-promise-all-unbounded
  await Promise.all(INTERNAL_GROUPS.map((g) => db.group.create({ data: g })));
}

export async function signAll(input) {
  // Tokens from the request, as many as the caller sends.
  // ruleid: js-promise-all-unbounded
  await Promise.all(input.tokens.map((t) => sendSignature(t)));
}

export async function sendDigests() {
  const users = await User.findAll({ where: { digest: true } });
  // Every subscribed user at once.
  // ruleid: js-promise-all-unbounded
  await Promise.all(users.map((user) => transport.sendMail({ to: user.email })));
}

export async function kick(uids) {
  // As many as the callers pass, which this code does not show.
  // ok: js-promise-all-unbounded
  await Promise.all(uids.map((uid) => sockets.kick(uid)));
}

SocketNotifs.get = async function (socket, data) {
  // A socket event's payload: as many ids as the client sends.
  // ruleid: js-promise-all-unbounded
  return Promise.all(data.nids.map((nid) => notifications.get(nid)));
};
