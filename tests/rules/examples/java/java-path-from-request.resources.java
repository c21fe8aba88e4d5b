package com.acme.themes;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.web.bind.annotation.*;

@RestController
public class AssetController {
    private static final String ASSETS = "static/assets";
    private static final String UPLOADS = "/var/uploads/";

    private final DefaultResourceLoader resourceLoader = new DefaultResourceLoader();

    @GetMapping("/assets")
    public Resource asset(@RequestParam String file) {
        // ruleid: java-path-from-request
        return new ClassPathResource(ASSETS + "/" + file);
    }

    @GetMapping("/uploads")
    public Resource upload(@RequestParam String name) {
        String path = "/var/uploads/" + name;
        if (path.startsWith("/var/uploads/")) {
            // ruleid: java-path-from-request
            return new FileSystemResource(path);
        }
        return null;
    }

    public Resource bundle(String bundleName) {
        // ruleid: java-path-from-request
        return resourceLoader.getResource(UPLOADS + bundleName);
    }

    public Resource checkedBundle(String bundleName) {
        PathChecks.checkDirectoryTraversal(UPLOADS, bundleName);
        // ok: java-path-from-request
        return resourceLoader.getResource(UPLOADS + bundleName);
    }

    public byte[] read(String fileName) throws Exception {
        // ruleid: java-path-from-request
        File file = new File(UPLOADS + fileName);
        return Files.readAllBytes(file.toPath());
    }

    public byte[] readFrom(Path dir, String fileName) throws Exception {
        Path file = dir.resolve(fileName);
        // ok: java-path-from-request
        return Files.readAllBytes(file);
    }

    public File open(String path) {
        // ok: java-path-from-request
        return new File(path);
    }
}
