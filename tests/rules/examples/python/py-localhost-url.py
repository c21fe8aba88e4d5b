# ruff: noqa  (an annotated example for the rule test, not code that runs)
import requests
from pydantic_settings import BaseSettings

# ruleid: py-localhost-url
PAYMENTS_API = "http://localhost:8081/v1"


def charge(order):
    # ruleid: py-localhost-url
    return requests.post("http://127.0.0.1:8081/charge", json=order, timeout=5)


class AppSettings(BaseSettings):
    # The environment fills it; a settings class's default is where a local default belongs.
    # ok: py-localhost-url
    BASE_URL: str = "http://localhost:8080"


def cors_origins(settings):
    if not settings.PRODUCTION:
        # A development-only branch.
        # ok: py-localhost-url
        return ["http://localhost:3000"]
    return [settings.BASE_URL]


def is_default_base_url(settings):
    # Compared with, to tell that the setting was never changed.
    # ok: py-localhost-url
    return settings.BASE_URL == "http://localhost:8080"
