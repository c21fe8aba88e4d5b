from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def login_done(request):
    target = request.GET.get("next", "/")
    # ruleid: py-open-redirect
    return redirect(target)


def logout_done(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    # ok: py-open-redirect
    return redirect(target)


def order_done(request):
    # ok: py-open-redirect
    return redirect("/orders/" + request.GET["id"])


def slash_only(request):
    target = request.POST.get("next", "/")
    if target.startswith("/"):
        # ruleid: py-open-redirect
        return redirect(target)
    return redirect("/")


def under_app(request):
    target = request.POST.get("next", "/")
    if target.startswith("/app/"):
        # ok: py-open-redirect
        return redirect(target)
    return redirect("/")


def no_second_slash(request):
    target = request.POST.get("next", "/")
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        # ok: py-open-redirect
        return redirect(target)
    return redirect("/")


def second_char_checked(request):
    target = request.POST.get("next", "/")
    if target.startswith("/") and target[1:2] not in ("/", "\\"):
        # ok: py-open-redirect
        return redirect(target)
    return redirect("/")
