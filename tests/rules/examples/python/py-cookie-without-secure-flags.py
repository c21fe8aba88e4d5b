# ruff: noqa  (an annotated example for the rule test, not code that runs)
def login(response, token):
    # ruleid: py-cookie-without-secure-flags
    response.set_cookie("session_token", token)
    # ruleid: py-cookie-without-secure-flags
    response.set_cookie("auth", token, httponly=True)
    # ruleid: py-cookie-without-secure-flags
    response.set_cookie("theme", "dark", secure=False)
    # ok: py-cookie-without-secure-flags
    response.set_cookie("sessionid", token, secure=True, httponly=True, samesite="Lax")
    # ok: py-cookie-without-secure-flags
    response.set_cookie("theme", "dark")
    # Page scripts read the CSRF token by design.
    # ok: py-cookie-without-secure-flags
    response.set_cookie("csrftoken", token, secure=True)
    # ok: py-cookie-without-secure-flags
    response.set_cookie(settings.SESSION_COOKIE_NAME, token, **cookie_options)
    # ok: py-cookie-without-secure-flags
    response.set_cookie("sid", token, secure=settings.SECURE, httponly=True)
