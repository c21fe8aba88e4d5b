async function charge(order: Order): Promise<void> {
  try {
    await payments.charge(order);
  // ruleid: ts-catch-swallows-error
  } catch (e: unknown) {}
}

function loadProfile(id) {
  try {
    return store.read(id);
  // ruleid: ts-catch-swallows-error
  } catch (e) {
    return null;
  }
}

async function proxy(req, res) {
  try {
    res.json(await upstream.get(req.params.id));
  // ruleid: ts-catch-swallows-error
  } catch (e) {
    res.status(502).json({ error: 'down' });
  }
}

async function proxyReturning(req, res) {
  try {
    return res.json(await upstream.get(req.params.id));
  // ruleid: ts-catch-swallows-error
  } catch {
    return res.status(503).end();
  }
}

function logged() {
  try {
    a();
  // ok: ts-catch-swallows-error
  } catch (e) {
    logger.error({ err: e }, 'failed');
  }
}

function rethrown() {
  try {
    a();
  // ok: ts-catch-swallows-error
  } catch (e) {
    throw new AppError('x', { cause: e });
  }
}

function kept() {
  try {
    a();
  // ok: ts-catch-swallows-error
  } catch (e) {
    lastError = e;
  }
}

// A commented, deliberate fallback.
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  // ok: ts-catch-swallows-error
  } catch {
    // Older browsers refuse the Clipboard API: fall back to the textarea path below.
  }
  return legacyCopy(text);
}

// A fallback value in place of the failed result.
function currentBranch() {
  try {
    return readBranch();
  // ok: ts-catch-swallows-error
  } catch (e) {
    return '';
  }
}

function nextRoute(session) {
  try {
    return routeFor(session);
  // ok: ts-catch-swallows-error
  } catch {
    return '/home';
  }
}

// `null` is this function's "no result" everywhere, not only in the catch.
async function iconFor(url) {
  try {
    const r = await download(url);
    if (!r.ok) return null;
    return r.body;
  // ok: ts-catch-swallows-error
  } catch {
    return null;
  }
}

// Parsing input: the catch is the validation.
function handler(req, res) {
  let u;
  try {
    u = new URL(req.query.url);
  // ok: ts-catch-swallows-error
  } catch {
    return res.status(400).end();
  }
  return res.json({ host: u.host });
}

function checkVersion() {
  try {
    latest = fetchLatest();
  // ok: ts-catch-swallows-error
  } catch (_) {
    log.info("update-checker", "Failed to check for new versions");
  }
}

function endConnection(connection: Connection) {
  try {
    connection.end();
  // ok: ts-catch-swallows-error
  } catch (_) {
    connection.destroy();
  }
}

function describe(error: HttpError) {
  let msg = error.message;
  try {
    msg += " " + JSON.stringify(error.response.data);
  // ok: ts-catch-swallows-error
  } catch (e) {
    msg += " " + String(error.response.data);
  }
  return msg;
}

export function parseState(state: string) {
  try {
    return verifyOAuthState(state);
  // ok: ts-catch-swallows-error
  } catch {
    return undefined;
  }
}

async function refreshDomain(monitorID: number) {
  try {
    const domain = await lookupDomain(monitorID);
    io.emit("domainInfo", monitorID, domain.daysRemaining);
  // ruleid: ts-catch-swallows-error
  } catch (e) {}
}

// A rollback: the catch undoes the optimistic step taken just before the try.
async function like(post: Post, user: User) {
  post.toggleLike(user, true);
  try {
    await api.post("/posts.like", { id: post.id });
  // ok: ts-catch-swallows-error
  } catch {
    post.toggleLike(user, false);
  }
}

// The catch calls something else: nothing is undone, the failure is dropped.
async function likeAndForget(post: Post, user: User) {
  post.toggleLike(user, true);
  try {
    await api.post("/posts.like", { id: post.id });
  // ruleid: ts-catch-swallows-error
  } catch {
    post.refresh();
  }
}

// Probing for an optional local file: "not there" is the answer.
function optionalFile(name: string) {
  try {
    return fs.readFileSync(path.join(CONFIG_DIR, name), "utf8");
  // ok: ts-catch-swallows-error
  } catch (_err) {
    return undefined;
  }
}

// The read is followed by a write that can fail for other reasons.
function importFile(name: string) {
  try {
    const text = fs.readFileSync(name, "utf8");
    store.save(name, text);
  // ruleid: ts-catch-swallows-error
  } catch (_err) {
    return undefined;
  }
}

// The main path runs the same probe and reports its failure; the badge for the UI may stay quiet.
async function checkCertificate(host: Host) {
  try {
    const cert = await probeCertificate(host);
    await alertIfExpiring(cert);
  } catch (error) {
    log.warn("cert", `certificate check failed for ${host.name}`, error);
  }
}

async function sendCertificateBadge(host: Host, socket: Socket) {
  try {
    const cert = await probeCertificate(host);
    socket.emit("certInfo", host.id, cert.daysLeft);
  // ok: ts-catch-swallows-error
  } catch (e) {}
}

// The same probe, but this try also writes: its failure is lost.
async function storeCertificate(host: Host) {
  try {
    const cert = await probeCertificate(host);
    await certs.save(host.id, cert);
  // ruleid: ts-catch-swallows-error
  } catch (e) {}
}

export function onFrame(entry: Entry, data: Uint8Array) {
  let name: string;
  try {
    name = decodeFrame(data);
  // The connection is closed in answer: the error is acted on.
  // ok: ts-catch-swallows-error
  } catch (error) {
    entry.socket.close(4401, "Unauthorized");
    return;
  }
  route(name);
}

export function licenseType(key: string): string | null {
  try {
    const License = require("../../ee/licence/license.service");
    return new License.LicenseService().getLicenseType(key);
  // The enterprise module is absent from community builds: null is the answer.
  // ok: ts-catch-swallows-error
  } catch {
    return null;
  }
}

// The declared type makes every caller handle the null the catch returns.
export const decryptToken = (ciphertext: Uint8Array): string | null => {
  try {
    return decrypt(ciphertext);
    // ok: ts-catch-swallows-error
  } catch {
    return null;
  }
};

// No declared null: the caller cannot tell a failed charge from a missing one.
export async function chargeCard(id: string) {
  try {
    return await payments.charge(id);
    // ruleid: ts-catch-swallows-error
  } catch {
    return null;
  }
}

// A declared null does not excuse a failed capture that leaves no trace.
export async function capture(id: string): Promise<Payment | null> {
  try {
    await fetch(`${ACQUIRER_URL}/captures`, { method: "POST", body: id });
    return await payments.findOne(id);
    // ruleid: ts-catch-swallows-error
  } catch (e) {
    return null;
  }
}

export const getClickEvent = async (clickId: string) => {
  try {
    const cached = await redis.get<ClickEvent>(`clickIdCache:${clickId}`);
    if (cached) {
      return cached;
    }
    // ok: ts-catch-swallows-error
  } catch (_e) {}

  const { data } = await getClickEventFromWarehouse({ clickId });
  return data[0];
};

export const getAndRefresh = async (clickId: string) => {
  try {
    const cached = await redis.get<ClickEvent>(`clickIdCache:${clickId}`);
    await redis.set(`clickIdCache:${clickId}`, cached, { ex: 60 });
    // ruleid: ts-catch-swallows-error
  } catch (_e) {}

  return getClickEventFromWarehouse({ clickId });
};

export async function deleteEmailChangeRequest(token: string) {
  try {
    await Promise.allSettled([prisma.verificationToken.delete({ where: { token } }), redis.del(`t:${token}`)]);
    // ok: ts-catch-swallows-error
  } catch {}
}

export async function deleteAll(token: string) {
  try {
    await Promise.all([prisma.verificationToken.delete({ where: { token } }), redis.del(`t:${token}`)]);
    // ruleid: ts-catch-swallows-error
  } catch {}
}

export async function firstReadable(candidates: string[]) {
  for (const fn of candidates) {
    try {
      await fsp.access(fn, fs.constants.R_OK);
      // ok: ts-catch-swallows-error
    } catch (err) {
      continue;
    }
    return fn;
  }
  return undefined;
}
