class Example {
    void empty() {
        try {
            x();
        // ruleid: java-catch-swallows-error
        } catch (IOException e) {
        }
    }

    Order load(String id) {
        try {
            return repo.load(id);
        // ruleid: java-catch-swallows-error
        } catch (Exception e) {
            return null;
        }
    }

    void logged() {
        try {
            x();
        // ok: java-catch-swallows-error
        } catch (Exception e) {
            log.warn("x failed", e);
        }
    }

    void rethrown() {
        try {
            x();
        // ok: java-catch-swallows-error
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // A commented fallback to the original value.
    String asciiHost(String authority, String host) {
        try {
            return IDN.toASCII(host);
        // ok: java-catch-swallows-error
        } catch (IllegalArgumentException e) {
            // Not convertible: keep the authority as it was given.
            return authority;
        }
    }

    // A fallback value in place of the failed result.
    int port(String text) {
        try {
            return Integer.parseInt(text);
        // ok: java-catch-swallows-error
        } catch (NumberFormatException e) {
            return DEFAULT_PORT;
        }
    }
}

class Partial {
    List<String> report(Connection conn) {
        List<String> lines = new ArrayList<>();
        try (Statement st = conn.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT id FROM orders");
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        // ruleid: java-catch-swallows-error
        } catch (SQLException e) {
            return lines;
        }
        return lines;
    }
}
