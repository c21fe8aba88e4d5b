function sendCode(user) {
  // ruleid: js-insecure-random-secret
  const verificationCode = Math.floor(100000 + Math.random() * 900000);
  sms.send(user.phone, `Your code: ${verificationCode}`);
}

function generateApiToken() {
  // ruleid: js-insecure-random-secret
  return Math.random().toString(36).substring(2);
}

function newClient() {
  // ruleid: js-insecure-random-secret
  return { name: 'client', apiKey: Math.random().toString(16).slice(2) };
}

function jitter(ms) {
  // ok: js-insecure-random-secret
  return ms + Math.random() * 50;
}

function randomColor() {
  // ok: js-insecure-random-secret
  return '#' + Math.floor(Math.random() * 0xffffff).toString(16);
}

function displayId() {
  // ok: js-insecure-random-secret
  const id = Math.random().toString(36).slice(2, 8);
  return id;
}

function generateSecureToken() {
  // ok: js-insecure-random-secret
  return crypto.randomBytes(32).toString('hex');
}

function generateInviteCode(length) {
  let out = '';
  for (let i = 0; i < length; i++) {
    // ruleid: js-insecure-random-secret
    out += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  }
  return out;
}

function aliyunParams(phone) {
  // A replay nonce of a request signed with the account's key: it must be unique, not secret.
  return {
    PhoneNumbers: phone,
    // ok: js-insecure-random-secret
    SignatureNonce: Math.random().toString(),
  };
}

function reload() {
  // Marks the latest request so a stale answer is dropped: not a credential.
  // ok: js-insecure-random-secret
  const fetchToken = Math.random().toString(36).substr(2);
  current = fetchToken;
}

function issue(user) {
  // ruleid: js-insecure-random-secret
  user.inviteToken = Math.random().toString(36).slice(2);
}
