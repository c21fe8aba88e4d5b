# ruff: noqa  (an annotated example for the rule test, not code that runs)
from collections import deque

from flask import Flask, request

app = Flask(__name__)

# ruleid: py-unbounded-module-cache
_price_cache = {}
RECENT_SEARCHES = []
SEEN_IPS = set()
VOTES = {}
LAST = {}
TRIMMED = []
CAPPED = {}
HANDED_OUT = []
HISTORY = deque(maxlen=500)


def price(sku):
    if sku not in _price_cache:
        _price_cache[sku] = fetch_price(sku)
    return _price_cache[sku]


@app.route("/search")
def search():
    # ruleid: py-unbounded-module-cache
    RECENT_SEARCHES.append(request.args["q"])
    # ruleid: py-unbounded-module-cache
    SEEN_IPS.add(request.remote_addr)
    return run_search(request.args["q"])


def vote(request, poll_id):
    # A Django view: the `request` parameter says so.
    # ruleid: py-unbounded-module-cache
    VOTES[(poll_id, request.user.pk)] = request.POST["choice"]


@app.post("/last")
def remember_last():
    # One constant key: overwritten, never grows.
    # ok: py-unbounded-module-cache
    LAST["query"] = request.args["q"]


@app.post("/events")
def record_event():
    # ok: py-unbounded-module-cache
    TRIMMED.append(request.json)
    # ok: py-unbounded-module-cache
    CAPPED[request.json["id"]] = request.json
    # ok: py-unbounded-module-cache
    HANDED_OUT.append(request.json)
    # A deque with maxlen drops the oldest entries itself.
    # ok: py-unbounded-module-cache
    HISTORY.append(request.json)


def trim():
    TRIMMED[:] = TRIMMED[-1000:]


def cap():
    if len(CAPPED) > 10_000:
        CAPPED.pop(next(iter(CAPPED)))


def drain():
    # Handed to code we cannot see, which may empty it.
    flush_to_disk(HANDED_OUT)


def load_plugins():
    # Not a request handler: filled once at start-up.
    # ok: py-unbounded-module-cache
    RECENT_SEARCHES.append("warmup")
