function createSession(user) {
  // ruleid: js-insecure-random-session-token
  const sessionId = Math.random().toString(36).slice(2);
  sessions.set(sessionId, user.id);
}

function requestReset(user) {
  // ruleid: js-insecure-random-session-token
  user.resetToken = Math.random().toString(36).substring(2, 12);
}

function temporaryPassword() {
  // ruleid: js-insecure-random-session-token
  return Math.random().toString(36).slice(-10);
}

function createSessionSafely(user) {
  // ok: js-insecure-random-session-token
  const sessionId = crypto.randomBytes(32).toString('base64url');
  sessions.set(sessionId, user.id);
}

function retryDelay(attempt) {
  // ok: js-insecure-random-session-token
  const delay = Math.min(30000, 2 ** attempt * 100) + Math.random() * 100;
  return delay;
}

function sampleSessions(list) {
  // ok: js-insecure-random-session-token
  return list.filter(() => Math.random() < 0.1);
}
