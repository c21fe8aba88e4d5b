class Payments {
    String checkout(Request request) {
        String page = null;
        try {
            page = gateway.render(request);
        } catch (GatewayException e) {
            // ruleid: java-print-stack-trace
            e.printStackTrace();
        }
        return page;
    }

    // Only the message reaches the log: the stack trace goes to stderr alone.
    void refund(Refund refund) {
        try {
            gateway.refund(refund);
        } catch (GatewayException e) {
            // ruleid: java-print-stack-trace
            e.printStackTrace();
            log.info("refund failed: {}", e.getMessage());
        }
    }

    // The exception itself is logged: the stderr copy is redundant, not lost.
    boolean verify(Map<String, String> callback) {
        boolean valid = false;
        try {
            valid = signer.verify(callback);
        } catch (GatewayException e) {
            log.error("callback signature check failed", e);
            // ok: java-print-stack-trace
            e.printStackTrace();
        }
        return valid;
    }
}
