# ruff: noqa  (an annotated example for the rule test, not code that runs)
import random
import secrets
import string


def new_session(session, user):
    # ruleid: py-insecure-random-session-token
    session_id = "".join(random.choices(string.ascii_letters, k=32))
    session["sid"] = session_id


def reset_link(user):
    # ruleid: py-insecure-random-session-token
    user.reset_token = str(random.getrandbits(64))
    return f"/reset/{user.reset_token}"


def temporary_password():
    # ruleid: py-insecure-random-session-token
    return "".join(random.choice(string.ascii_letters) for _ in range(10))


def remember(response):
    # ruleid: py-insecure-random-session-token
    value = str(random.random())[2:]
    response.set_cookie("remember", value)


def new_session_secure(session):
    # ok: py-insecure-random-session-token
    session["sid"] = secrets.token_urlsafe(32)


def retry_delay(attempt):
    # ok: py-insecure-random-session-token
    return min(30, 2**attempt) + random.uniform(0, 1)


def sample_sessions(sessions):
    # ok: py-insecure-random-session-token
    return random.sample(sessions, 10)


def fake_workout_sessions(user, day):
    # A time of day for a workout `session`: made-up data, not a credential.
    # ok: py-insecure-random-session-token
    time_start = datetime.time(random.randint(8, 20), random.randint(0, 59))
    session = WorkoutSession.objects.create(user=user, date=day, time_start=time_start)
    return session
