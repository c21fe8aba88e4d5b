function loginAs(req, res) {
  // ruleid: js-session-from-request
  req.session.userId = req.body.userId;
  // ruleid: js-session-from-request
  req.session.role = req.query['role'];
  // ruleid: js-session-from-request
  req.session[req.body.key] = true;
}

async function login(req, res) {
  const user = await authenticate(req.body.email, req.body.password);
  // ok: js-session-from-request
  req.session.userId = user.id;
  // ok: js-session-from-request
  req.session.returnTo = safeReturnPath(req.query.next);
  // ok: js-session-from-request
  req.session.views = (req.session.views || 0) + 1;
}
