class Sessions {
    private final Random random = new Random();

    String newSession(User user) {
        // ruleid: java-insecure-random-session-token
        String sessionId = Long.toHexString(random.nextLong());
        store.put(sessionId, user.getId());
        return sessionId;
    }

    void requestReset(User user) {
        // ruleid: java-insecure-random-session-token
        user.setResetToken(RandomStringUtils.randomAlphanumeric(32));
    }

    String temporaryPassword() {
        // ruleid: java-insecure-random-session-token
        return Integer.toString(ThreadLocalRandom.current().nextInt(100000, 999999));
    }

    long backoff(int attempt) {
        // ok: java-insecure-random-session-token
        long delay = (1L << attempt) * 100 + random.nextInt(100);
        return delay;
    }

    String secureSession(SecureRandom secureRandom) {
        byte[] bytes = new byte[32];
        // ok: java-insecure-random-session-token
        secureRandom.nextBytes(bytes);
        String sessionId = Base64.getUrlEncoder().encodeToString(bytes);
        return sessionId;
    }
}
