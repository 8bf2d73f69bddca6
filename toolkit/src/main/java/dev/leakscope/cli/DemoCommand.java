package dev.leakscope.cli;

import dev.leakscope.HtmlReport;
import dev.leakscope.Logs;
import dev.leakscope.Metrics;
import dev.leakscope.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code leakscope demo}: runs the example app leaking and healthy (in parallel) and prints both reports. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs examples/apps/orders-service.js in leak and healthy mode with --trace-gc (in parallel) and prints "
                + "both reports, then writes them as one HTML file (plots, tables, verdicts; secrets masked) and prints its path; "
                + "without node, reports on small logs bundled from such runs.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "60", description = "how long each run lasts (default 60)")
    int seconds;

    @Option(names = "--format", defaultValue = "text", description = "text, md or html")
    String format;

    @Option(names = "--html", paramLabel = "FILE", description = "where the HTML report goes (default: leakscope-demo-report.html in the temp dir)")
    Path html = Path.of(System.getProperty("java.io.tmpdir"), "leakscope-demo-report.html");

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("leakscope-demo");
        try {
            Path app = findApp();
            boolean node = app != null && hasNode();
            if (node) {
                System.err.println("leakscope demo: running the example app leaking and healthy for " + seconds
                        + " s each (in parallel, with --trace-gc)…");
                Process leak = run(app, "leak", dir, true);
                Process healthy = run(app, "healthy", dir, false);
                for (Process p : List.of(leak, healthy)) {
                    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new IllegalStateException("the example app did not finish");
                    }
                }
            } else {
                System.err.println("leakscope demo: node or examples/ not found — using the small logs bundled from real runs");
                for (String m : List.of("leak", "healthy")) {
                    copy("demo/" + m + ".log.gz", dir.resolve(m + ".log"));
                    copy("demo/" + m + ".log.err.gz", dir.resolve(m + ".log.err"));
                }
                copy("demo/leak-spans.json.gz", dir.resolve("leak-spans.json"));
            }
            List<Report> reports = new java.util.ArrayList<>();
            for (String m : List.of("leak", "healthy")) {
                Logs logs = Logs.open(dir.resolve(m + ".log"), dir.resolve(m + ".log.err"));
                Path spans = dir.resolve(m + "-spans.json");
                Report.Builder b = Report.builder().logs(logs).title("Memory Analysis Report — orders-service --mode " + m);
                if (Files.exists(spans)) {
                    b.metrics(Metrics.open(spans));
                }
                Report r = b.build();
                reports.add(r);
                System.out.println(r.render(format));
            }
            Path page = HtmlReport.of("leakscope demo: orders-service leaking and healthy", reports.toArray(Report[]::new))
                    .save(html.toAbsolutePath());
            System.out.println("HTML report (plots, tables and verdicts in one file; secrets masked): " + page);
            return 0;
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void copy(String resource, Path to) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/leakscope/" + resource)) {
            if (in == null) {
                throw new IOException("bundled demo log missing: " + resource);
            }
            Files.copy(new java.util.zip.GZIPInputStream(in), to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Process run(Path app, String mode, Path dir, boolean blocks) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("node", "--trace-gc", app.toString(), "--mode", mode,
                "--duration", String.valueOf(seconds), "--spans", dir.resolve(mode + "-spans.json").toString(),
                // 16 KiB per request: within a minute the leak outgrows what a busy machine's GC timing hides
                "--payload", "16384"));
        if (blocks) {
            cmd.addAll(List.of("--block-every", "7", "--block-ms", "150"));
        }
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(mode + ".log").toFile())
                .redirectError(dir.resolve(mode + ".log.err").toFile()).start();
    }

    private static boolean hasNode() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** examples/apps/orders-service.js next to the jar's checkout (toolkit/target/…jar → repo root), or under the cwd. */
    static Path findApp() {
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = jar; d != null; d = d.getParent()) {
                Path a = d.resolve("examples/apps/orders-service.js");
                if (Files.isRegularFile(a)) {
                    return a;
                }
            }
        } catch (Exception ignored) {
            // fall through
        }
        Path a = Path.of("examples/apps/orders-service.js").toAbsolutePath();
        return Files.isRegularFile(a) ? a : null;
    }
}
