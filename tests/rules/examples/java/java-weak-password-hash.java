class PasswordService {
    String hashPassword(String raw) throws Exception {
        // ruleid: java-weak-password-hash
        MessageDigest md = MessageDigest.getInstance("MD5");
        byte[] digest = md.digest(raw.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    void register(User user, String password) {
        // ruleid: java-weak-password-hash
        user.setPasswordHash(DigestUtils.md5Hex(password + user.getSalt()));
    }

    String etag(byte[] body) throws Exception {
        // ok: java-weak-password-hash
        MessageDigest md = MessageDigest.getInstance("MD5");
        return HexFormat.of().formatHex(md.digest(body));
    }

    String gravatar(String email) {
        // ok: java-weak-password-hash
        return "https://www.gravatar.com/avatar/" + DigestUtils.md5Hex(email.trim().toLowerCase());
    }

    String strongPassword(String password) throws Exception {
        // ok: java-weak-password-hash
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(md.digest(password.getBytes()));
    }
}
