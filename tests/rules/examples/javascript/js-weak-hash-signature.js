const crypto = require('crypto');

function sign(payload, secret) {
  // ruleid: js-weak-hash-signature
  const signature = crypto.createHash('md5').update(secret + payload).digest('hex');
  return signature;
}

function signRequest(params, key) {
  // ruleid: js-weak-hash-signature
  return crypto.createHash('sha1').update(key + JSON.stringify(params)).digest('hex');
}

function storeToken(token) {
  // A digest of a long random token: MD5's preimage resistance still holds.
  // ok: js-weak-hash-signature
  return db.save({ tokenHash: crypto.createHash('md5').update(token).digest('hex') });
}

function checksum(file) {
  // ok: js-weak-hash-signature
  return crypto.createHash('md5').update(file).digest('hex');
}

function hmac(payload, secret) {
  // ok: js-weak-hash-signature
  const signature = crypto.createHmac('sha256', secret).update(payload).digest('hex');
  return signature;
}
