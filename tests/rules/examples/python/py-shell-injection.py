import shlex
import subprocess

from flask import request
from app import app


@app.route("/thumbnails", methods=["POST"])
def make_thumbnail():
    name = request.form["name"]
    # ruleid: py-shell-injection
    subprocess.run(f"convert uploads/{name} -resize 200x200 thumbs/{name}", shell=True, check=True, timeout=60)
    argv = ["sh", "-c", "gzip " + name]
    # ruleid: py-shell-injection
    subprocess.run(argv, check=True, timeout=60)
    # ok: py-shell-injection
    subprocess.run(["convert", f"uploads/{name}", "-resize", "200x200", f"thumbs/{name}"], check=True, timeout=60)
    # ok: py-shell-injection
    subprocess.run(f"gzip {shlex.quote(name)}", shell=True, check=True, timeout=60)
    # ok: py-shell-injection
    subprocess.run("df -h /data", shell=True, check=True, timeout=10)
    return "ok"
