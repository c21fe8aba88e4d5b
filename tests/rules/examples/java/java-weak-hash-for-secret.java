class Signer {
    String sign(String payload, String secret) {
        // ruleid: java-weak-hash-for-secret
        String signature = DigestUtils.md5Hex(payload + secret);
        return signature;
    }

    String tokenDigest(String token) throws Exception {
        // ruleid: java-weak-hash-for-secret
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        return HexFormat.of().formatHex(sha1.digest(token.getBytes()));
    }

    String fileChecksum(byte[] data) {
        // ok: java-weak-hash-for-secret
        String checksum = DigestUtils.md5Hex(data);
        return checksum;
    }
}
