async function charge(order) {
  try {
    await payments.charge(order);
  // ruleid: js-catch-swallows-error
  } catch (e) {}
}

function loadProfile(id) {
  try {
    return store.read(id);
  // ruleid: js-catch-swallows-error
  } catch (e) {
    return null;
  }
}

async function proxy(req, res) {
  try {
    res.json(await upstream.get(req.params.id));
  // ruleid: js-catch-swallows-error
  } catch (e) {
    res.status(502).json({ error: 'down' });
  }
}

async function proxyReturning(req, res) {
  try {
    return res.json(await upstream.get(req.params.id));
  // ruleid: js-catch-swallows-error
  } catch {
    return res.status(503).end();
  }
}

function logged() {
  try {
    a();
  // ok: js-catch-swallows-error
  } catch (e) {
    logger.error({ err: e }, 'failed');
  }
}

function rethrown() {
  try {
    a();
  // ok: js-catch-swallows-error
  } catch (e) {
    throw new AppError('x', { cause: e });
  }
}

function kept() {
  try {
    a();
  // ok: js-catch-swallows-error
  } catch (e) {
    lastError = e;
  }
}

// A commented, deliberate fallback.
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  // ok: js-catch-swallows-error
  } catch {
    // Older browsers refuse the Clipboard API: fall back to the textarea path below.
  }
  return legacyCopy(text);
}

// A fallback value in place of the failed result.
function currentBranch() {
  try {
    return readBranch();
  // ok: js-catch-swallows-error
  } catch (e) {
    return '';
  }
}

function nextRoute(session) {
  try {
    return routeFor(session);
  // ok: js-catch-swallows-error
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
  // ok: js-catch-swallows-error
  } catch {
    return null;
  }
}

// Parsing input: the catch is the validation.
function handler(req, res) {
  let u;
  try {
    u = new URL(req.query.url);
  // ok: js-catch-swallows-error
  } catch {
    return res.status(400).end();
  }
  return res.json({ host: u.host });
}

// The why sits above the try.
function scheduleJob(startDateTime) {
  // The start date is optional: toISOString() throws when it is unset, and the job then starts now.
  let startAt = undefined;
  try {
    startAt = startDateTime.toISOString();
  // ok: js-catch-swallows-error
  } catch (_) {}
  return startAt;
}

// A comment further up, past other code, does not explain this catch.
function reload(cache) {
  // Reload the cache.
  cache.clear();
  try {
    cache.fill();
  // ruleid: js-catch-swallows-error
  } catch (_) {}
}

// The try returns what it found; after it comes the "not found" answer.
async function pushExample(dir, callback) {
  try {
    for (const file of await fs.readdir(dir)) {
      if (file.startsWith("index.")) {
        callback({ ok: true, code: await fs.readFile(file, "utf8") });
        return;
      }
    }
  // ok: js-catch-swallows-error
  } catch (e) {}
  callback({ ok: false, msg: "Not found" });
}

// A return inside a callback is not the try's own answer.
async function saveAll(items) {
  try {
    await Promise.all(items.map((item) => { return save(item); }));
  // ruleid: js-catch-swallows-error
  } catch (e) {}
  done();
}

// Recovery that depends on what failed.
async function publishTo(relay, event) {
  let index = 0;
  try {
    await relay.publish(event);
    index = 1;
  // ok: js-catch-swallows-error
  } catch (error) {
    if (relay.challenge) {
      await relay.auth(sign);
    }
  }
  return index;
}

// A rollback: the catch undoes the optimistic step taken just before the try.
async function like(post, user) {
  post.toggleLike(user, true);
  try {
    await api.post("/posts.like", { id: post.id });
  // ok: js-catch-swallows-error
  } catch {
    post.toggleLike(user, false);
  }
}

// The catch calls something else: nothing is undone, the failure is dropped.
async function likeAndForget(post, user) {
  post.toggleLike(user, true);
  try {
    await api.post("/posts.like", { id: post.id });
  // ruleid: js-catch-swallows-error
  } catch {
    post.refresh();
  }
}

// Probing for an optional local file: "not there" is the answer.
function optionalFile(name) {
  try {
    return fs.readFileSync(path.join(CONFIG_DIR, name), "utf8");
  // ok: js-catch-swallows-error
  } catch (_err) {
    return undefined;
  }
}
