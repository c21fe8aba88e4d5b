# ruff: noqa  (an annotated example for the rule test, not code that runs)
import os
import shutil
from pathlib import Path


@app.delete("/exports/<name>")
def delete_export(name):
    path = os.path.join(EXPORT_DIR, name)
    if os.path.exists(path):
        # ruleid: py-file-check-then-use
        os.remove(path)
    return "", 204


def download(request, name):
    path = os.path.join(MEDIA_ROOT, name)
    if os.path.isfile(path):
        # A read of a file that vanished meanwhile: low.
        # ruleid: py-file-check-then-use
        with open(path, "rb") as fh:
            return HttpResponse(fh.read())
    raise Http404


@shared_task
def render_thumbnail(upload_id):
    target = Path(THUMBS) / str(upload_id)
    if not os.path.exists(THUMBS):
        # Two workers both see it missing; the second makedirs raises FileExistsError.
        # ruleid: py-file-check-then-use
        os.makedirs(THUMBS)
    if target.exists():
        # ruleid: py-file-check-then-use
        target.unlink()


@app.post("/cache/clear")
def clear_cache():
    if os.path.exists(CACHE_DIR):
        try:
            # ok: py-file-check-then-use
            shutil.rmtree(CACHE_DIR)
        except FileNotFoundError:
            pass
    if not os.path.exists(CACHE_DIR):
        # ok: py-file-check-then-use
        os.makedirs(CACHE_DIR, exist_ok=True)
    if not os.path.isdir(UPLOADS):
        # ruleid: py-file-check-then-use
        os.mkdir(UPLOADS)


@app.post("/logs/rotate")
def rotate(name):
    if os.path.exists(LOG_PATH):
        # A different path than the one checked.
        # ok: py-file-check-then-use
        os.remove(LOG_PATH + ".1")


def cleanup_own_temp_files(paths):
    # Not a request handler or a task: a script removing the files it made races with nobody.
    for p in paths:
        if os.path.exists(p):
            # ok: py-file-check-then-use
            os.remove(p)
