function sendCode(user) {
  // ruleid: ts-insecure-random-secret
  const verificationCode = Math.floor(100000 + Math.random() * 900000);
  sms.send(user.phone, `Your code: ${verificationCode}`);
}

function generateToken() {
  // ruleid: ts-insecure-random-secret
  return Math.random().toString(36).substring(2);
}

function newClient() {
  // ruleid: ts-insecure-random-secret
  return { name: 'client', apiKey: Math.random().toString(16).slice(2) };
}

function jitter(ms) {
  // ok: ts-insecure-random-secret
  return ms + Math.random() * 50;
}

function randomColor() {
  // ok: ts-insecure-random-secret
  return '#' + Math.floor(Math.random() * 0xffffff).toString(16);
}

function displayId() {
  // ok: ts-insecure-random-secret
  const id = Math.random().toString(36).slice(2, 8);
  return id;
}

function generateSecureToken() {
  // ok: ts-insecure-random-secret
  return crypto.randomBytes(32).toString('hex');
}
