package dev.leakscope.kernel;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Writes the Jupyter kernelspec {@code leakscope}: kernel.json (argv starting this JVM's java on the built jars,
 * interrupts by message) and two logos. {@code --user} (default) installs into the Jupyter user data dir,
 * {@code --prefix DIR} into {@code DIR/share/jupyter/kernels} (point JUPYTER_PATH at {@code DIR/share/jupyter}).
 */
final class KernelSpec {

    private KernelSpec() {
    }

    static final String USAGE = """
            usage: leakscope kernel install [--user | --prefix DIR] [--name NAME]
              --user        into the Jupyter user data dir (the default; JUPYTER_DATA_DIR wins)
              --prefix DIR  into DIR/share/jupyter/kernels (point JUPYTER_PATH at DIR/share/jupyter)
              --name NAME   the kernelspec's name (default leakscope)""";

    static int install(String[] args) throws IOException {
        Path prefix = null;
        String name = "leakscope";
        String classPath = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> prefix = null;
                case "--prefix" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("leakscope kernel install: --prefix needs a directory");
                        return 2;
                    }
                    prefix = Path.of(args[++i]);
                }
                case "--name" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("[a-zA-Z0-9._-]+")) {
                        System.err.println("leakscope kernel install: --name needs a name of letters, digits, . _ -");
                        return 2;
                    }
                    name = args[++i];
                }
                case "--classpath" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("leakscope kernel install: --classpath needs a class path");
                        return 2;
                    }
                    classPath = args[++i];
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> {
                    System.err.println("leakscope kernel install: unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        Path kernels = prefix == null ? userDataDir().resolve("kernels")
                : prefix.toAbsolutePath().resolve("share/jupyter/kernels");
        Path dir = kernels.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), kernelJson(classPath), StandardCharsets.UTF_8);
        writeLogo(dir.resolve("logo-32x32.png"), 32);
        writeLogo(dir.resolve("logo-64x64.png"), 64);
        System.out.println("installed kernelspec " + name + " in " + dir);
        return 0;
    }

    /** Jupyter's user data dir on this OS (JUPYTER_DATA_DIR wins), as jupyter_core computes it. */
    static Path userDataDir() {
        String env = System.getenv("JUPYTER_DATA_DIR");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        Path home = Path.of(System.getProperty("user.home"));
        String os = System.getProperty("os.name").toLowerCase();
        if (os.contains("mac")) {
            return home.resolve("Library/Jupyter");
        }
        if (os.contains("win")) {
            String appdata = System.getenv("APPDATA");
            return appdata == null ? home.resolve("AppData/Roaming/jupyter") : Path.of(appdata, "jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg == null || xdg.isEmpty() ? home.resolve(".local/share") : Path.of(xdg)).resolve("jupyter");
    }

    /** kernel.json: starts this java on the kernel jar and its lib directory (or on {@code classPath}). */
    static String kernelJson(String classPath) {
        Path jar = kernelJar();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String home = System.getProperty("leakscope.home");
        if (home == null) {
            home = jar.getParent().getParent().getParent().toString(); // <repo>/kernel/target/x.jar
        }
        String cp = classPath != null ? classPath : jar + java.io.File.pathSeparator + jar.getParent().resolve("lib") + java.io.File.separator + "*";
        List<String> argv = new ArrayList<>(List.of(javaBin,
                "-XX:MaxRAMPercentage=" + System.getProperty("leakscope.kernelRamPercent", "50"),
                "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
                "-Dleakscope.home=" + home,
                "-cp", cp, KernelMain.class.getName(), "run", "{connection_file}"));
        if (Runtime.version().feature() >= 18) {
            argv.add(1, "-Djava.security.manager=allow"); // lets ExitGuard refuse System.exit in cells (JDK 18–23)
        }
        StringBuilder b = new StringBuilder("{\n  \"argv\": [");
        for (int i = 0; i < argv.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(argv.get(i)));
        }
        b.append("],\n");
        b.append("  \"display_name\": \"Java (leakscope)\",\n");
        b.append("  \"language\": \"java\",\n");
        b.append("  \"interrupt_mode\": \"message\",\n");
        b.append("  \"env\": {},\n");
        b.append("  \"metadata\": {\"debugger\": false}\n}\n");
        return b.toString();
    }

    private static Path kernelJar() {
        try {
            return Path.of(KernelSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A magnifying glass over a drop: the leak under the lens. */
    static void writeLogo(Path file, int size) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float s = size / 64f;
        g.setColor(new Color(0xE8, 0x6A, 0x17));
        g.fillOval(Math.round(14 * s), Math.round(14 * s), Math.round(26 * s), Math.round(26 * s));
        g.setColor(new Color(0x22, 0x3A, 0x5E));
        g.setStroke(new BasicStroke(6 * s, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawOval(Math.round(8 * s), Math.round(8 * s), Math.round(38 * s), Math.round(38 * s));
        g.drawLine(Math.round(41 * s), Math.round(41 * s), Math.round(58 * s), Math.round(58 * s));
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
