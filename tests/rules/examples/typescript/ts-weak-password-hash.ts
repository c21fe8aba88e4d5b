import crypto from 'crypto';

function hashPassword(password: string) {
  // ruleid: ts-weak-password-hash
  return crypto.createHash('md5').update(password).digest('hex');
}

async function register(req) {
  // ruleid: ts-weak-password-hash
  const passwordHash = crypto.createHash('sha1').update(req.body.pw + salt).digest('hex');
  await users.insert({ email: req.body.email, passwordHash });
}

function etagFor(body) {
  // ok: ts-weak-password-hash
  return crypto.createHash('md5').update(body).digest('hex');
}

function avatar(email) {
  // ok: ts-weak-password-hash
  const hash = crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex');
  return `https://www.gravatar.com/avatar/${hash}`;
}

function hashPasswordSafely(password) {
  // ok: ts-weak-password-hash
  return crypto.createHash('sha256').update(password).digest('hex');
}

function passwordCacheKey(password) {
  // ok: ts-weak-password-hash
  const cacheKey = crypto.createHash('md5').update(password).digest('hex');
  return cacheKey;
}
