import requests
from flask import jsonify, request

from app import app

ALLOWED_HOSTS = {"hooks.example.com"}


@app.route("/preview", methods=["POST"])
def link_preview():
    url = request.json["url"]
    # ruleid: py-ssrf-from-request
    page = requests.get(url, timeout=5)
    user = request.args["user"]
    # ok: py-ssrf-from-request
    profile = requests.get(f"https://api.example.com/users/{user}", timeout=5)
    return jsonify(title=page.text[:100], profile=profile.json())


@app.route("/hooks/test", methods=["POST"])
def test_hook():
    target = request.form["target"]
    if target not in ALLOWED_HOSTS:
        return jsonify(error="unknown host"), 400
    # ok: py-ssrf-from-request
    requests.post("https://" + target + "/ping", timeout=5)
    return jsonify(ok=True)
