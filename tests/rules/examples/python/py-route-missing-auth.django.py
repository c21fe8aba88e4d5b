# ruff: noqa  (an annotated example for the rule test, not code that runs)
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
def dashboard(request):
    return render(request, "dashboard.html", {"checks": request.user.checks.all()[:50]})


@permission_required("billing.view_invoice")
def invoices(request):
    return render(request, "invoices.html", {"invoices": request.user.invoices.all()[:50]})


@login_required
def settings_page(request):
    return render(request, "settings.html")


# Public by name: the login page of the same views file.
# ok: py-route-missing-auth
def login(request):
    return render(request, "login.html")


# Checks the caller itself.
# ok: py-route-missing-auth
def api_keys(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return render(request, "keys.html")


# A helper the views call with an object they loaded under their own login: not a route.
# ok: py-route-missing-auth
def channel_form(request, channel):
    return render(request, "channel.html", {"channel": channel})


@login_required
def add_channel(request):
    return channel_form(request, Channel(owner=request.user))


# ruleid: py-route-missing-auth
def export_checks(request):
    return render(request, "export.html", {"checks": Check.objects.filter(owner=request.user)[:1000]})
