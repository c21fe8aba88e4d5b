function login(req, res, token) {
  // ruleid: ts-cookie-without-secure-flags
  res.cookie('session', token);
  // ruleid: ts-cookie-without-secure-flags
  res.cookie('auth_token', token, { httpOnly: true, maxAge: 3600000 });
  // ruleid: ts-cookie-without-secure-flags
  res.cookie('theme', 'dark', { secure: false });
  // ok: ts-cookie-without-secure-flags
  res.cookie('session', token, { secure: true, httpOnly: true, sameSite: 'lax' });
  // ok: ts-cookie-without-secure-flags
  res.cookie('theme', 'dark');
  // Page scripts read the CSRF token by design.
  // ok: ts-cookie-without-secure-flags
  res.cookie('XSRF-TOKEN', req.csrfToken(), { secure: true });
  // ok: ts-cookie-without-secure-flags
  res.cookie('session', token, cookieOptions);
  // ok: ts-cookie-without-secure-flags
  res.cookie('session', token, { ...cookieOptions, maxAge: 1000 });
  // ok: ts-cookie-without-secure-flags
  res.cookie('sid', token, { secure: config.secureCookies, httpOnly: true });
}

export function rememberWorkspaces(res: Reply, ids: string[], https: boolean) {
  // Not a credential: page scripts read it by design, and secure follows the deployment.
  // ok: ts-cookie-without-secure-flags
  res.setCookie("joinedWorkspaces", JSON.stringify(ids), { httpOnly: false, secure: https, path: "/" });
}

export function setSession(res: Reply, token: string) {
  // ruleid: ts-cookie-without-secure-flags
  res.setCookie("session", token, { httpOnly: false, secure: true });
}
