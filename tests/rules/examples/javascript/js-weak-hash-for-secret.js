const crypto = require('crypto');

function sign(payload, secret) {
  // ruleid: js-weak-hash-for-secret
  const signature = crypto.createHash('md5').update(payload + secret).digest('hex');
  return signature;
}

function storeToken(token) {
  // ruleid: js-weak-hash-for-secret
  return db.save({ tokenHash: crypto.createHash('sha1').update(token).digest('hex') });
}

function checksum(file) {
  // ok: js-weak-hash-for-secret
  return crypto.createHash('md5').update(file).digest('hex');
}

function hmac(payload, secret) {
  // ok: js-weak-hash-for-secret
  const signature = crypto.createHmac('sha256', secret).update(payload).digest('hex');
  return signature;
}
