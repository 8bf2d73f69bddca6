package dev.leakscope.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Resolves Maven coordinates (with their runtime dependencies) to jars by running the real Maven resolver:
 * {@code mvn dependency:build-classpath} on a throw-away pom. Downloads from Maven Central into the usual
 * local repository ({@code ~/.m2}), so a second notebook run is offline.
 */
final class MavenResolver {

    private static final Pattern COORDS = Pattern.compile("[\\w.\\-]+:[\\w.\\-]+(:[\\w.\\-]+){1,3}");
    private static final long TIMEOUT_SECONDS = Long.getLong("leakscope.mavenTimeoutSeconds", 300);

    /** Why resolution failed, with Maven's own error lines. */
    static final class ResolveException extends Exception {
        ResolveException(String message) {
            super(message);
        }
    }

    private MavenResolver() {
    }

    /** Jars of {@code coordinates} (group:artifact:version, or group:artifact:type:version, …) and dependencies. */
    static List<Path> resolve(List<String> coordinates) throws ResolveException {
        StringBuilder deps = new StringBuilder();
        for (String c : coordinates) {
            if (!COORDS.matcher(c).matches()) {
                throw new ResolveException("not Maven coordinates: " + c + " (expected group:artifact:version)");
            }
            String[] p = c.split(":");
            String version = p[p.length - 1];
            deps.append("<dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId><version>").append(version).append("</version>");
            if (p.length == 4) {
                deps.append("<type>").append(p[2]).append("</type>");
            } else if (p.length == 5) {
                deps.append("<type>").append(p[2]).append("</type><classifier>").append(p[3]).append("</classifier>");
            }
            deps.append("</dependency>");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("leakscope-maven");
            Files.writeString(dir.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">"
                    + "<modelVersion>4.0.0</modelVersion><groupId>leakscope.notebook</groupId>"
                    + "<artifactId>deps</artifactId><version>0</version><dependencies>" + deps
                    + "</dependencies></project>");
            Path cp = dir.resolve("cp.txt");
            Path log = dir.resolve("mvn.log");
            ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-q", "-f", dir.resolve("pom.xml").toString(),
                    "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                    "-Dmdep.outputFile=" + cp, "-Dmdep.includeScope=runtime", "-Dstyle.color=never")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new ResolveException("cannot run mvn (is Maven installed and on PATH?): " + e.getMessage());
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ResolveException("mvn did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || !Files.exists(cp)) {
                List<String> errors = new ArrayList<>();
                for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    String clean = l.replaceAll("\u001B\\[[0-9;]*m", "").replace("[ERROR]", "").strip();
                    if (l.contains("ERROR") && !clean.isEmpty() && !clean.startsWith("To see") && !clean.startsWith("Re-run")
                            && !clean.startsWith("For more") && !clean.startsWith("[Help") && errors.size() < 2) {
                        errors.add(clean.replace(" -> [Help 1]", ""));
                    }
                }
                throw new ResolveException("Maven could not resolve " + String.join(" ", coordinates) + ": "
                        + (errors.isEmpty() ? "mvn exit code " + p.exitValue() : String.join(" / ", errors)));
            }
            List<Path> jars = new ArrayList<>();
            for (String e : Files.readString(cp).strip().split(java.io.File.pathSeparator)) {
                if (!e.isBlank()) {
                    jars.add(Path.of(e));
                }
            }
            return jars;
        } catch (IOException e) {
            throw new ResolveException("resolving " + coordinates + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolveException("interrupted while resolving " + coordinates);
        } finally {
            if (dir != null) {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // temp dir
                }
            }
        }
    }
}
