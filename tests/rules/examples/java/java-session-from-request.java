class AccountController {
    void switchUser(HttpServletRequest request) {
        // ruleid: java-session-from-request
        request.getSession().setAttribute("userId", request.getParameter("userId"));
        String role = request.getParameter("role");
        HttpSession session = request.getSession();
        // ruleid: java-session-from-request
        session.setAttribute("role", role);
    }

    void login(HttpServletRequest request) {
        User user = users.authenticate(request.getParameter("name"), request.getParameter("password"));
        // ok: java-session-from-request
        request.getSession().setAttribute("user", user);
        // ok: java-session-from-request
        request.setAttribute("name", request.getParameter("name"));
    }
}
