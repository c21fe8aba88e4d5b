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


def invites_again(request):
    # ok: py-open-redirect
    return redirect("{:s}?{:s}".format(reverse("invite-requests"), urlencode(request.GET.dict())))


def format_from_request(request):
    # ruleid: py-open-redirect
    return redirect("{:s}?sent=1".format(request.GET["next"]))


def canonical_path(request, model):
    new_path = model.local_path
    if len(request.GET) > 0:
        new_path = f"{model.local_path}?{request.GET.urlencode()}"
    # ok: py-open-redirect
    return redirect(new_path)


def next_in_a_branch(request, model):
    new_path = "/"
    if len(request.GET) > 0:
        new_path = f"{request.GET['next']}?{request.GET.urlencode()}"
    # ruleid: py-open-redirect
    return redirect(new_path)


def fixed_then_replaced(request):
    target = "/home"
    if request.GET.get("next"):
        target = request.GET["next"]
    # ruleid: py-open-redirect
    return redirect(target)
