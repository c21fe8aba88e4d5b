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

class Sessions {
    // The helper logs its own failure and returns null for a bad ticket.
    private Ticket decode(String raw) {
        Ticket ticket = null;
        try {
            ticket = codec.decode(raw);
        } catch (Exception e) {
            log.info("unreadable ticket {}", raw);
        }
        return ticket;
    }

    private Ticket decodeQuietly(String raw) {
        return codec.decode(raw);
    }

    // Already logged where it failed: the null the helper returned is the answer.
    String owner(String raw) {
        String owner;
        try {
            Ticket ticket = decode(raw);
            owner = ticket.getOwner();
        // ok: java-catch-swallows-error
        } catch (Exception e) {
            owner = null;
        }
        return owner;
    }

    // The helper does not log: the failure vanishes here.
    String ownerQuietly(String raw) {
        String owner;
        try {
            Ticket ticket = decodeQuietly(raw);
            owner = ticket.getOwner();
        // ruleid: java-catch-swallows-error
        } catch (Exception e) {
            owner = null;
        }
        return owner;
    }

    // Another call in the try can fail without a log line.
    String ownerName(String raw) {
        String owner;
        try {
            Ticket ticket = decode(raw);
            owner = directory.lookup(ticket.getOwner());
        // ruleid: java-catch-swallows-error
        } catch (Exception e) {
            owner = null;
        }
        return owner;
    }
}

class Reflection {
    // A lookup miss is an answer: null says "no such method".
    Method handler(Class<?> type, String name) {
        try {
            return type.getDeclaredMethod(name, Event.class);
        // ok: java-catch-swallows-error
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    // Invoking it can fail for real.
    Object fire(Method handler, Event event) {
        try {
            return handler.invoke(listener, event);
        // ruleid: java-catch-swallows-error
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}

class Strict {
    // Logs, then rethrows: the rethrown error reaches the caller's catch unlogged.
    private Ticket decode(String raw) {
        try {
            return codec.decode(raw);
        } catch (Exception e) {
            log.info("unreadable ticket {}", raw);
            throw new IllegalArgumentException(e);
        }
    }

    String owner(String raw) {
        String owner;
        try {
            owner = decode(raw).getOwner();
        // ruleid: java-catch-swallows-error
        } catch (Exception e) {
            owner = null;
        }
        return owner;
    }
}

class Fallbacks {
    // Text that does not parse is this helper's answer.
    Date parseOrNull(String text) {
        try {
            return format.parse(text);
        // ok: java-catch-swallows-error
        } catch (ParseException e) {
            return null;
        }
    }

    // null is the method's "no result" on its other paths too.
    byte[] address(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return decode(text);
        // ok: java-catch-swallows-error
        } catch (IllegalStateException e) {
            return null;
        }
    }

    // The only null is the catch's: the caller cannot tell a failure from an absent row.
    Order find(String id) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id");
        }
        try {
            return repo.load(id);
        // ruleid: java-catch-swallows-error
        } catch (SQLException e) {
            return null;
        }
    }

    // An empty catch right before the fixed answer the method falls back to.
    String hostIp() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        // ok: java-catch-swallows-error
        } catch (UnknownHostException e) {
        }
        return "127.0.0.1";
    }

    // Empty, then the partial result: nothing says the work failed.
    String digest(String text) {
        String out = text;
        try {
            out = hex(md.digest(text.getBytes()));
        // ruleid: java-catch-swallows-error
        } catch (Exception e) {
        }
        return out;
    }

    // A marker written into the text being built.
    String describe() {
        StringBuilder builder = new StringBuilder();
        try {
            builder.append(fields());
        // ok: java-catch-swallows-error
        } catch (Exception e) {
            builder.append("could not read the fields");
        }
        return builder.toString();
    }

    // A parse failure inside a wider catch type is still swallowed.
    void importRows(List<String> rows) {
        for (String row : rows) {
            try {
                save(Integer.parseInt(row));
            // ruleid: java-catch-swallows-error
            } catch (RuntimeException e) {
            }
        }
    }
}
