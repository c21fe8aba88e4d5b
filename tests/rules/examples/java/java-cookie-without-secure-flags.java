class LoginController {
    void login(HttpServletResponse response, String token) {
        // ruleid: java-cookie-without-secure-flags
        Cookie cookie = new Cookie("SESSION_TOKEN", token);
        cookie.setHttpOnly(true);
        response.addCookie(cookie);
    }

    void remember(HttpServletResponse response, String token) {
        Cookie cookie = new Cookie("remember", token);
        // ruleid: java-cookie-without-secure-flags
        cookie.setSecure(false);
        cookie.setHttpOnly(true);
        response.addCookie(cookie);
    }

    void loginSafely(HttpServletResponse response, String token) {
        // ok: java-cookie-without-secure-flags
        Cookie cookie = new Cookie("SESSION_TOKEN", token);
        cookie.setSecure(true);
        cookie.setHttpOnly(true);
        response.addCookie(cookie);
    }

    void theme(HttpServletResponse response) {
        // ok: java-cookie-without-secure-flags
        response.addCookie(new Cookie("theme", "dark"));
    }

    ResponseCookie reactive(String token) {
        // ruleid: java-cookie-without-secure-flags
        return ResponseCookie.from("SESSION", token).path("/").build();
    }

    ResponseCookie reactiveSafely(String token) {
        // ok: java-cookie-without-secure-flags
        return ResponseCookie.from("SESSION", token).secure(true).httpOnly(true).path("/").build();
    }
}
