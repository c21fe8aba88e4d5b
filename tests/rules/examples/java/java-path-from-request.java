package com.acme.reports;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.commons.io.FilenameUtils;
import org.springframework.web.bind.annotation.*;

@RestController
public class ReportController {
    private static final Path ROOT = Paths.get("/srv/reports");

    @GetMapping("/reports")
    public byte[] report(@RequestParam String name) throws Exception {
        // ruleid: java-path-from-request
        byte[] raw = Files.readAllBytes(ROOT.resolve(name));
        // ruleid: java-path-from-request
        File file = new File("/srv/reports/" + name);
        String safe = FilenameUtils.getName(name);
        // ok: java-path-from-request
        byte[] clean = Files.readAllBytes(Paths.get("/srv/reports", safe));
        return raw.length > 0 && file.exists() ? raw : clean;
    }
}
