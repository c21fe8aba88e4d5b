const crypto = require('crypto');

function hashPassword(password) {
  // ruleid: js-weak-password-hash
  return crypto.createHash('md5').update(password).digest('hex');
}

async function register(req) {
  // ruleid: js-weak-password-hash
  const passwordHash = crypto.createHash('sha1').update(req.body.pw + salt).digest('hex');
  await users.insert({ email: req.body.email, passwordHash });
}

function etagFor(body) {
  // ok: js-weak-password-hash
  return crypto.createHash('md5').update(body).digest('hex');
}

function avatar(email) {
  // ok: js-weak-password-hash
  const hash = crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex');
  return `https://www.gravatar.com/avatar/${hash}`;
}

function hashPasswordSafely(password) {
  // ok: js-weak-password-hash
  return crypto.createHash('sha256').update(password).digest('hex');
}

function passwordCacheKey(password) {
  // ok: js-weak-password-hash
  const cacheKey = crypto.createHash('md5').update(password).digest('hex');
  return cacheKey;
}
