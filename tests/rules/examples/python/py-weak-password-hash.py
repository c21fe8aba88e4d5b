# ruff: noqa  (an annotated example for the rule test, not code that runs)
import hashlib


def hash_password(password):
    # ruleid: py-weak-password-hash
    return hashlib.md5(password.encode()).hexdigest()


def register(form):
    # ruleid: py-weak-password-hash
    digest = hashlib.sha1(form["password"].encode()).hexdigest()
    save(form["email"], digest)


def store(pw, users):
    h = hashlib.new("md5")
    # ruleid: py-weak-password-hash
    hasher = hashlib.new("sha1")
    hasher.update(pw.encode())
    users.password_hash = hasher.hexdigest()


def etag(body):
    # ok: py-weak-password-hash
    return hashlib.md5(body).hexdigest()


def file_checksum(path):
    # ok: py-weak-password-hash
    return hashlib.sha1(open(path, "rb").read()).hexdigest()


def gravatar_url(email):
    # ok: py-weak-password-hash
    digest = hashlib.md5(email.strip().lower().encode()).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}"


def legacy_lookup(password):
    # Not a security use, and the call says so.
    # ok: py-weak-password-hash
    return hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()


def password_cache_key(password):
    # ok: py-weak-password-hash
    cache_key = hashlib.md5(password.encode()).hexdigest()
    return cache_key
