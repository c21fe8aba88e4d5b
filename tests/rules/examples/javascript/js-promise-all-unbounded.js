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
