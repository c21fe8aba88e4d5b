# ruff: noqa  (an annotated example for the rule test, not code that runs)
import random
from random import randint


def send_code(user):
    # ruleid: py-insecure-random-secret
    verification_code = randint(100000, 999999)
    sms.send(user.phone, f"Your code is {verification_code}")


def make_nonce():
    # ruleid: py-insecure-random-secret
    return random.getrandbits(128)


def new_key(client):
    # ruleid: py-insecure-random-secret
    client.api_key = "".join(random.choice("abcdef0123456789") for _ in range(40))


def jitter():
    # ok: py-insecure-random-secret
    return random.random() * 0.1


def pick_color(colors):
    # ok: py-insecure-random-secret
    return random.choice(colors)


def shuffled_fixtures(items):
    # ok: py-insecure-random-secret
    order = random.sample(items, len(items))
    return order


def display_id():
    # ok: py-insecure-random-secret
    request_id = random.randint(0, 1 << 31)
    return request_id


class ApiCredential:
    @staticmethod
    def generate(length=40):
        # The alphabet is named for the value it makes.
        # ruleid: py-insecure-random-secret
        return "".join(random.choice(TOKEN_ALPHABET) for _ in range(length))


def sample_word(length=8):
    # ok: py-insecure-random-secret
    return "".join(random.choice(LETTERS) for _ in range(length))
