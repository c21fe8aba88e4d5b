"""The aiohttp edge: app factory, POST /webhook, GET /healthz, GET /metrics, and `prodready serve`."""

from bot.server.app import create_app

__all__ = ["create_app"]
