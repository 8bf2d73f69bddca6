package dev.leakscope.kernel;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import jdk.jshell.SourceCodeAnalysis;

/**
 * Lets JShell's inspection show the toolkit's javadoc. JShell reads javadoc only from the JDK's {@code src.zip};
 * this adds the toolkit sources ({@code $LEAKSCOPE_HOME/toolkit/src/main/java}, and any {@code *-sources.jar}
 * next to the jars on the class path) through JShell's source-location override. That is a private field,
 * reachable with {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED} (kernel.json passes it); without it,
 * inspection still shows signatures.
 */
final class JavadocSources {

    private static final Logger LOG = Logger.getLogger(JavadocSources.class.getName());

    private JavadocSources() {
    }

    static void install(SourceCodeAnalysis analysis) {
        List<Path> sources = new ArrayList<>();
        String home = System.getProperty("leakscope.home", System.getenv("LEAKSCOPE_HOME"));
        if (home == null) {
            home = System.getProperty("leakscope.projectDir"); // tests
        }
        if (home != null) {
            Path p = Path.of(home, "toolkit", "src", "main", "java");
            if (Files.isDirectory(p)) {
                sources.add(p);
            }
        }
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                Path src = Path.of(entry.substring(0, entry.length() - 4) + "-sources.jar");
                if (Files.isRegularFile(src)) {
                    sources.add(src);
                }
            }
        }
        if (sources.isEmpty()) {
            return;
        }
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        try {
            Class<?> impl = analysis.getClass();
            Field override = impl.getDeclaredField("availableSourcesOverride");
            override.setAccessible(true);
            // keep the JDK's own sources (what findSources() would have found) in front of ours
            Field available = impl.getDeclaredField("availableSources");
            available.setAccessible(true);
            java.lang.reflect.Method find = impl.getDeclaredMethod("findSources");
            find.setAccessible(true);
            @SuppressWarnings("unchecked")
            List<Path> jdk = (List<Path>) find.invoke(analysis);
            List<Path> all = new ArrayList<>(jdk);
            all.addAll(sources);
            available.set(analysis, all);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.fine("toolkit javadoc not available to inspection (" + e + "); JDK sources: " + Files.isReadable(srcZip));
        }
    }
}
