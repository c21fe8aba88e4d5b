package com.acme.files;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

public final class Sandbox {
    private Sandbox() {
    }

    public static void requireInside(Path root, Path candidate) {
        // ruleid: java-path-check-without-normalize
        if (!candidate.startsWith(root.normalize())) {
            throw new SecurityException("outside " + root);
        }
    }

    public static Path resolveUpload(Path root, String name) {
        Path target = root.resolve(name);
        // ruleid: java-path-check-without-normalize
        if (!target.startsWith(root)) {
            throw new SecurityException("outside " + root);
        }
        return target;
    }

    public static boolean insideLegacy(File dir, File file) throws IOException {
        String where = file.getAbsolutePath();
        // ruleid: java-path-check-without-normalize
        return where.startsWith(dir.getCanonicalPath());
    }

    public static void requireInsideNormalised(Path root, Path candidate) {
        // ok: java-path-check-without-normalize
        if (!candidate.normalize().startsWith(root.normalize())) {
            throw new SecurityException("outside " + root);
        }
    }

    public static Path resolveNormalised(Path root, String name) {
        Path target = root.resolve(name).normalize();
        // ok: java-path-check-without-normalize
        if (!target.startsWith(root.normalize())) {
            throw new SecurityException("outside " + root);
        }
        return target;
    }

    public static boolean insideCanonical(File dir, File file) throws IOException {
        String where = file.getCanonicalPath();
        // ok: java-path-check-without-normalize
        return where.startsWith(dir.getCanonicalPath() + File.separator);
    }

    public static boolean isAbsoluteUrl(String url) {
        // ok: java-path-check-without-normalize
        return url.startsWith("https://") || url.startsWith("http://");
    }

    public static boolean isConfigDir(String dir) {
        Path config = Paths.get("/etc/acme");
        // ok: java-path-check-without-normalize
        return dir.startsWith(config.toString());
    }
}
