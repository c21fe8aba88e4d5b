class Signer {
    String sign(String payload, String secret) {
        // ruleid: java-weak-hash-signature
        String signature = DigestUtils.md5Hex(secret + payload);
        return signature;
    }

    String tokenDigest(String token) throws Exception {
        // A digest of a long random token: SHA-1's preimage resistance still holds.
        // ok: java-weak-hash-signature
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        return HexFormat.of().formatHex(sha1.digest(token.getBytes()));
    }

    String fileChecksum(byte[] data) {
        // ok: java-weak-hash-signature
        String checksum = DigestUtils.md5Hex(data);
        return checksum;
    }
}
