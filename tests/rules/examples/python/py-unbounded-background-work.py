# ruff: noqa  (an annotated example for the rule test, not code that runs)
import asyncio
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

POOL = ThreadPoolExecutor(max_workers=8)  # created once, at import


@app.post("/reports")
def create_report():
    # ruleid: py-unbounded-background-work
    threading.Thread(target=build_report, args=(request.json,)).start()
    return {"queued": True}


def export(request):
    # A Django view (the `request` parameter): a thread per request, kept in a name but never joined.
    worker = threading.Thread(target=write_export, args=(request.user.pk,), daemon=True)
    # ruleid: py-unbounded-background-work
    worker.start()
    return HttpResponse(status=202)


@router.post("/thumbnails")
def thumbnails(files: list[str]):
    # ruleid: py-unbounded-background-work
    executor = ThreadPoolExecutor(max_workers=4)
    for name in files:
        executor.submit(resize, name)
    return {"n": len(files)}


@app.route("/crunch", methods=["POST"])
def crunch():
    # ruleid: py-unbounded-background-work
    multiprocessing.Process(target=crunch_numbers, args=(request.json,)).start()
    return "", 202


@app.get("/prices")
def prices():
    # Joined when the block ends: bounded per request, still a pool per request (low).
    # ruleid: py-unbounded-background-work
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(fetch_price, SKUS))


async def handle(request):
    # ruleid: py-unbounded-background-work
    asyncio.create_task(notify(request))


@app.post("/sync")
def sync_now():
    # Started and waited for: the request does the work itself.
    worker = threading.Thread(target=sync)
    # ok: py-unbounded-background-work
    worker.start()
    worker.join(timeout=10)


@app.post("/queue")
def queue_job():
    # The shared pool made once at import bounds the threads.
    # ok: py-unbounded-background-work
    POOL.submit(build_report, request.json)


def nightly():
    # Not a request handler: a scheduler calls it once.
    # ok: py-unbounded-background-work
    threading.Thread(target=cleanup).start()
