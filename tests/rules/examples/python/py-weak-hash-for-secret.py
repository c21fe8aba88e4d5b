# ruff: noqa  (an annotated example for the rule test, not code that runs)
import hashlib


def sign(params, secret):
    payload = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    # ruleid: py-weak-hash-for-secret
    return hashlib.md5((payload + secret).encode()).hexdigest()


def api_signature(body, api_key):
    # ruleid: py-weak-hash-for-secret
    signature = hashlib.sha1(body + api_key).hexdigest()
    return signature


def hash_otp(code):
    # ruleid: py-weak-hash-for-secret
    return {"otp": hashlib.md5(code.encode()).hexdigest()}


def cache_key(url):
    # ok: py-weak-hash-for-secret
    return hashlib.md5(url.encode()).hexdigest()


def dedup_key(message):
    # ok: py-weak-hash-for-secret
    return hashlib.sha1(message.body.encode()).hexdigest()


def token_digest(token):
    # A long random token under SHA-256 is fine; only the fast broken digests are flagged.
    # ok: py-weak-hash-for-secret
    return hashlib.sha256(token.encode()).hexdigest()
