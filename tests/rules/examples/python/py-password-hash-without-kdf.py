# ruff: noqa  (an annotated example for the rule test, not code that runs)
import hashlib


def hash_password(password):
    # ruleid: py-password-hash-without-kdf
    return hashlib.sha256(password.encode()).hexdigest()


def set_password(user, raw_password):
    # ruleid: py-password-hash-without-kdf
    user.password = hashlib.sha512(raw_password.encode()).hexdigest()


def hash_password_kdf(password, salt):
    # ok: py-password-hash-without-kdf
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)


def content_hash(data):
    # ok: py-password-hash-without-kdf
    return hashlib.sha256(data).hexdigest()


def token_digest(reset_token):
    # ok: py-password-hash-without-kdf
    return hashlib.sha256(reset_token.encode()).hexdigest()


class LegacyHasher(PBKDF2PasswordHasher):
    def encode(self, password, salt, iterations=None):
        # A migrated scheme whose digest is fed into PBKDF2.
        # ok: py-password-hash-without-kdf
        digest = hashlib.sha512(password.encode()).digest()
        return self.pbkdf2_round(base64.b64encode(digest).decode(), salt, iterations)
