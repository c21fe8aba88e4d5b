"""The aiohttp application: POST /webhook, GET /healthz, GET /metrics, and the job runner's lifetime."""

from __future__ import annotations

import inspect
import logging
from typing import Any

from aiohttp import web
from gidgethub.routing import Router

from bot import metrics
from bot.events import router as default_router
from bot.jobs.model import JobQueue
from bot.server.webhook import MAX_PAYLOAD_BYTES, WebhookHandler
from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

QUEUE_KEY = web.AppKey("queue", object)
# Bursts of deliveries (a push to many pull requests, a redelivery of a backlog) arrive at once; a short
# listen backlog drops connection attempts and costs each a 1 s SYN retransmit.
BACKLOG = 1024
# How long a stopping server lets running reviews finish before they are put back in the store.
DEFAULT_GRACE_SECONDS = 20.0


async def _call_if_present(target: object, name: str, *args: Any) -> None:
    """Call `target.name(*args)` when the queue offers that lifecycle hook, awaiting it if needed."""
    method = getattr(target, name, None)
    if callable(method):
        result = method(*args)
        if inspect.isawaitable(result):
            await result


async def healthz(request: web.Request) -> web.Response:
    """Tell a load balancer the process is up and answering."""
    return web.json_response({"status": "ok"})


async def metrics_endpoint(request: web.Request) -> web.Response:
    """Serve every metric in Prometheus text format."""
    response = web.Response(body=metrics.render())
    response.headers["Content-Type"] = metrics.CONTENT_TYPE
    return response


def create_app(
    settings: Settings,
    *,
    queue: JobQueue,
    router: Router | None = None,
    grace_seconds: float = DEFAULT_GRACE_SECONDS,
) -> web.Application:
    """Build the app; starts `queue` with the app and stops it, within `grace_seconds`, on shutdown."""
    secret = settings.github.webhook_secret
    if not secret:
        raise SettingsError(
            "GITHUB_WEBHOOK_SECRET is not set: the server cannot tell GitHub's deliveries from forged ones"
        )
    # aiohttp refuses bodies strictly larger than this while reading, without buffering the rest.
    app = web.Application(client_max_size=MAX_PAYLOAD_BYTES)
    app[QUEUE_KEY] = queue
    handler = WebhookHandler(secret=secret, router=router or default_router, queue=queue)
    app.router.add_post("/webhook", handler.handle)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_endpoint)

    async def start_queue(app: web.Application) -> None:
        await _call_if_present(queue, "start")

    async def stop_queue(app: web.Application) -> None:
        log.info("stopping: letting running jobs finish for up to %.0f s", grace_seconds)
        await _call_if_present(queue, "stop", grace_seconds)

    app.on_startup.append(start_queue)
    # on_shutdown runs after the listening socket is closed, so no new delivery arrives meanwhile.
    app.on_shutdown.append(stop_queue)
    return app
