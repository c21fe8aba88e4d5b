# ruff: noqa  (an annotated example for the rule test, not code that runs)
import hashlib
import hmac


def sign(params, secret):
    payload = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    # ruleid: py-weak-hash-signature
    return hashlib.md5((secret + payload).encode()).hexdigest()


def webhook_headers(body, api_key):
    # ruleid: py-weak-hash-signature
    signature = hashlib.sha1(api_key + body).hexdigest()
    return {"X-Signature": signature}


def cache_key(url):
    # ok: py-weak-hash-signature
    return hashlib.md5(url.encode()).hexdigest()


def token_digest(token):
    # A digest of a long random token: MD5's preimage resistance still holds.
    # ok: py-weak-hash-signature
    return hashlib.md5(token.encode()).hexdigest()


def sign_safely(body, key):
    # ok: py-weak-hash-signature
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def dedup_signature(message):
    # ok: py-weak-hash-signature
    return hashlib.sha1(message.body.encode(), usedforsecurity=False).hexdigest()
