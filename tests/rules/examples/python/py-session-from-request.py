# ruff: noqa  (an annotated example for the rule test, not code that runs)
from flask import request, session


@app.post("/login-as")
def login_as():
    # ruleid: py-session-from-request
    session["user_id"] = request.form["user_id"]


@app.get("/prefs")
def prefs():
    key = request.args.get("name")
    # ruleid: py-session-from-request
    session[key] = "1"


def django_view(request):
    role = request.GET.get("role", "viewer")
    if not role:
        role = "viewer"
    # ruleid: py-session-from-request
    request.session["role"] = role


@app.post("/login")
def login():
    user = authenticate(request.form["email"], request.form["password"])
    # ok: py-session-from-request
    session["user_id"] = user.id


def choose(request):
    theme = request.GET.get("theme")
    theme = "dark" if theme == "dark" else "light"
    # ok: py-session-from-request
    request.session["theme"] = "light"


def clear(request):
    # ok: py-session-from-request
    request.session["cart"] = []
