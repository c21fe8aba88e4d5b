export async function everyUser() {
  // ruleid: ts-unbounded-query
  return User.findAll();
}

export async function sortedUsers() {
  // ruleid: ts-unbounded-query
  return prisma.user.findMany({ orderBy: { id: "asc" } });
}

export async function digestUsers() {
  // A filter on a literal can match the whole table.
  // ruleid: ts-unbounded-query
  return User.findAll({ where: { digest: true } });
}

export async function merchantPayments(merchantId: string) {
  // Per owner, but payments grow with every event.
  // ruleid: ts-unbounded-query
  return this.payments.find({ where: { merchantId } });
}

export async function pendingJobs(db: Db) {
  // ruleid: ts-unbounded-query
  return db.query("SELECT * FROM jobs WHERE done IS NULL");
}

export async function pagedUsers(offset: number) {
  // ok: ts-unbounded-query
  return User.findAll({ limit: 50, offset });
}

export async function userSections(userId: number) {
  // Scoped to one user: a handful of rows.
  // ok: ts-unbounded-query
  return prisma.dashboardSection.findMany({ where: { userId } });
}

export async function groupMembers(groupId: string, affected: Item[]) {
  // Bounded by a known list of keys.
  // ok: ts-unbounded-query
  return GroupUser.findAll({
    attributes: ["userId"],
    where: { groupId, userId: uniq(affected.map((a) => a.userId)) },
  });
}

export async function teamClients(teamId: string) {
  // ok: ts-unbounded-query
  return OAuthClient.findAll({ attributes: ["id"], where: { teamId, createdById: null } });
}

export async function appliedMigrations() {
  // The application's own small lookup table.
  // ok: ts-unbounded-query
  return prisma.appMigration.findMany();
}

export function hasDraft(decorations: DecorationSet) {
  // ProseMirror's DecorationSet.find is not a database query.
  // ok: ts-unbounded-query
  return decorations.find().length > 0;
}

export async function countOpen(db: Db) {
  // ok: ts-unbounded-query
  return db.query("SELECT count(*) FROM jobs WHERE done IS NULL");
}

export async function feeds(db: Db, conditions: string, args: unknown[]) {
  // The caller's conditions are put in.
  // ok: ts-unbounded-query
  return db.query(`SELECT f.id, f.title FROM feeds f WHERE ${conditions}`, args);
}

export async function revoke(user: User, oauthClientId: string) {
  const where = { userId: user.id, oauthClientId };
  // A filter the code built in a variable.
  // ok: ts-unbounded-query
  return OAuthAuthentication.findAll({ where, transaction });
}

export async function allSettings() {
  // A settings table holds a row per option, not per user or event.
  // ok: ts-unbounded-query
  return Setting.findAll();
}

export async function notificationChannels() {
  // Channels the operator configured: a handful.
  // ok: ts-unbounded-query
  return R.findAll("notification_channel_config");
}

export async function everyOrder() {
  // Orders grow with every sale.
  // ruleid: ts-unbounded-query
  return R.findAll("order");
}

export async function distinctTags(db: Db) {
  // ok: ts-unbounded-query
  return db.query("SELECT DISTINCT tag FROM posts");
}

export async function starredDocuments(stars: Star[]) {
  // Bounded by a list of keys the code holds, even behind a cast.
  // ok: ts-unbounded-query
  return Document.findAll({ where: { id: stars.map((s) => s.documentId).filter(Boolean) as string[] } });
}

export async function pendingReactionNotices(event: ReactionEvent) {
  // Pinned on actor, comment and kind: the few notices of one reaction.
  // ok: ts-unbounded-query
  return Notification.findAll({ where: { actorId: event.actorId, commentId: event.commentId, event: Kind.Reaction } });
}

export async function actorNotices(event: ReactionEvent) {
  // One actor's notices grow with every event.
  // ruleid: ts-unbounded-query
  return Notification.findAll({ where: { actorId: event.actorId } });
}

export async function getWebsiteEvents(websiteId: string, filters: QueryFilters) {
  // The pager appends LIMIT and OFFSET.
  return pagedRawQuery(
    // ok: ts-unbounded-query
    `select event_id, url_path from website_event where website_id = {{websiteId::uuid}} order by created_at desc`,
    { websiteId },
    filters,
  );
}
