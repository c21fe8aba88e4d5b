class Codes {
    void sendCode(User user) {
        // ruleid: java-insecure-random-secret
        String verifyCode = RandomUtil.randomNumbers(6);
        sms.send(user.getPhone(), verifyCode);
    }

    String apiKey() {
        // ruleid: java-insecure-random-secret
        String apiKey = RandomStringUtils.randomAlphanumeric(40);
        return apiKey;
    }

    String pickColor(List<String> colors) {
        // ok: java-insecure-random-secret
        return colors.get(new Random().nextInt(colors.size()));
    }

    int shardFor() {
        // ok: java-insecure-random-secret
        int shard = ThreadLocalRandom.current().nextInt(16);
        return shard;
    }

    String secureCode(SecureRandom secureRandom) {
        // ok: java-insecure-random-secret
        String verifyCode = String.format("%06d", secureRandom.nextInt(1000000));
        return verifyCode;
    }

    public String generateAuthCode(String telephone) {
        StringBuilder sb = new StringBuilder();
        Random random = new Random();
        for (int i = 0; i < 6; i++) {
            // ruleid: java-insecure-random-secret
            sb.append(random.nextInt(10));
        }
        cache.setAuthCode(telephone, sb.toString());
        return sb.toString();
    }

    public List<Item> generateSample(List<Item> items) {
        // ok: java-insecure-random-secret
        return items.subList(0, new Random().nextInt(items.size()));
    }
}
