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
