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

class Diffs {
    List<ItemDiffs> compare(List<Namespace> namespaces) {
        List<ItemDiffs> result = new LinkedList<>();
        for (Namespace namespace : namespaces) {
            ItemDiffs diffs = new ItemDiffs(namespace);
            try {
                diffs.setDiffs(parse(namespace));
            // The failure is recorded in the result the caller shows.
            // ok: java-catch-swallows-error
            } catch (BadRequestException e) {
                diffs.setDiffs(new ChangeSets());
                diffs.setExtInfo("no namespace named " + namespace.getName());
            }
            result.add(diffs);
        }
        return result;
    }

    void clear(Cache cache) {
        try {
            cache.flush();
        // Clearing a field is not a fallback.
        // ruleid: java-catch-swallows-error
        } catch (IOException e) {
            cache.setDirty(null);
        }
    }
}
