package dev.leakscope.workbench;

import static dev.leakscope.workbench.WorkbenchArtifacts.q;
import static dev.leakscope.workbench.WorkbenchArtifacts.sh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leakscope.kernel.InstalledKernel;
import dev.leakscope.testing.Artifacts;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real window on a real X server (Xvfb): {@link WindowDriver} runs in a JVM of its own with {@code DISPLAY}
 * set, drops a real core, runs a cell against it, cancels a long one, exports the notebook and saves a
 * screenshot to {@code kernel/target/workbench.png}. Numbers are checked against readelf.
 */
class WorkbenchWindowTest {

    private static Process xvfb;
    private static int display;
    private static Map<String, String> said;
    private static Path core;
    private static Path out;

    @BeforeAll
    static void runTheWindow() throws Exception {
        core = WorkbenchArtifacts.core();
        out = Artifacts.root().resolve("kernel/target");
        // Xvfb picks a free display itself and writes its number on stdout (-displayfd): no race with other X servers
        xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x960x24", "-nolisten", "tcp")
                .redirectError(out.resolve("xvfb.log").toFile()).start();
        CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
            try {
                return new java.io.BufferedReader(new java.io.InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String displayLine = number.get(30, TimeUnit.SECONDS);
        assertThat(displayLine).as("Xvfb's display number (log: %s)", Files.readString(out.resolve("xvfb.log"))).matches("\\d+");
        display = Integer.parseInt(displayLine);
        Path socket = Path.of("/tmp/.X11-unix/X" + display);
        assertThat(socket).as("Xvfb socket").exists();

        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
                "-Dleakscope.home=" + Artifacts.root(), "-cp", cp, WindowDriver.class.getName(), core.toString(), out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(out.resolve("workbench-driver.err").toFile())
                .redirectOutput(out.resolve("workbench-driver.out").toFile());
        pb.environment().put("DISPLAY", ":" + display);
        Process driver = pb.start();
        if (!driver.waitFor(5, TimeUnit.MINUTES)) {
            driver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String stdout = Files.readString(out.resolve("workbench-driver.out"), StandardCharsets.UTF_8);
        said = new LinkedHashMap<>();
        for (String line : stdout.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                said.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(said).as("driver said (stderr in %s):\n%s%s", out.resolve("workbench-driver.err"), stdout,
                Files.readString(out.resolve("workbench-driver.err"))).containsEntry("done", "true");
    }

    @AfterAll
    static void stopXvfb() throws InterruptedException {
        if (xvfb != null) {
            xvfb.destroy();
            if (!xvfb.waitFor(5, TimeUnit.SECONDS)) {
                xvfb.destroyForcibly();
            }
        }
    }

    @Test
    void droppingTheCoreInsertsItsOpenLine() {
        assertThat(said.get("dropped")).isEqualTo("true");
        assertThat(said.get("openLine")).isEqualTo("var core = Core.open(" + DroppedFile.javaString(core.toString()) + ");");
    }

    @Test
    void cellsAgainstTheCoreShowItsRegionsAndStringsInGrids() {
        assertThat(said).containsEntry("cell1", "ok").containsEntry("cell2", "ok").containsEntry("cell3", "ok")
                .containsEntry("cell4", "ok");
        List<String> loads = sh("readelf -lW " + q(core) + " | awk '$1 == \"LOAD\"'").lines().toList();
        assertThat(Integer.parseInt(said.get("gridRows"))).isEqualTo(loads.size());
        long largest = loads.stream().mapToLong(l -> Long.decode(l.trim().split("\\s+")[5])).max().orElseThrow();
        assertThat(Long.parseLong(said.get("largestSize"))).isEqualTo(largest);
        long writable = loads.stream().filter(l -> l.trim().split("\\s+")[6].startsWith("RW")).count();
        assertThat(Integer.parseInt(said.get("rwRows"))).isEqualTo((int) writable);
        long gnu = Long.parseLong(sh("strings -a " + q(core) + " | grep -cE 'EMFILE|ENOMEM' || true").strip());
        assertThat(gnu).isPositive();
        assertThat(Long.parseLong(said.get("errnoStrings"))).isEqualTo(gnu);
    }

    @Test
    void aFigureShowsItsImageAndOpensAsOneSelfContainedPage() throws IOException {
        assertThat(said).containsEntry("figureImage", "true").containsEntry("figureButton", "true");
        Path page = Path.of(said.get("figureOpened"));
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("Plotly.newPlot").contains("EMFILE");
        assertThat(html).as("works offline: no script from the network").doesNotContainPattern("<script[^>]+src=\"http");
        assertThat(html.length()).as("plotly.js inline").isGreaterThan(1_000_000);
        Files.deleteIfExists(page);
    }

    @Test
    void aFailingCellDropsTheCellsQueuedAfterIt() {
        assertThat(said.get("afterFailure")).startsWith("[ ] int after = 2;").endsWith("not run: [7] failed");
        assertThat(said.get("runsAfterFailure")).isEqualTo("7");
    }

    @Test
    void ctrlSpaceOffersTheDslInThePopup() {
        assertThat(said.get("completions")).startsWith("[").contains("strings()");
        assertThat(said.get("completionDoc")).as("signature and javadoc from Core.java")
                .contains("Strings Core.strings()").contains("Printable strings of the core");
    }

    @Test
    void aLongCellShowsProgressKeepsTheWindowResponsiveAndCancels() {
        assertThat(said.get("progressBar")).startsWith("scanning the core: ").contains("of 600");
        assertThat(said.get("liveOutput")).as("printed while the cell still runs").isEqualTo("scan started");
        assertThat(Long.parseLong(said.get("edtRoundTripMs"))).isLessThan(2000);
        assertThat(said.get("cancelled")).startsWith("Interrupted: ");
    }

    @Test
    void theSessionExportsAsANotebookJupyterReads() {
        Path nb = Path.of(said.get("notebook"));
        String cells = sh("/usr/bin/python3 -c " + q("""
                import sys, nbformat
                nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb)
                for c in nb.cells:
                    print(c.cell_type, [o.output_type for o in c.get('outputs', [])])
                """) + " " + q(nb));
        assertThat(cells.lines().toList()).containsExactly(
                "markdown []", "code []", "code ['execute_result']", "code ['execute_result']", "code ['execute_result']");
    }

    @Test
    void theExportedNotebookRunsInJupyterWithTheLeakscopeKernel() throws Exception {
        Path nb = Path.of(said.get("notebook"));
        Path executed = nb.resolveSibling("workbench-session.executed.ipynb");
        InstalledKernel.Run r = InstalledKernel.run(nb.getParent(), 600, Map.of(), InstalledKernel.python("-m", "nbconvert",
                "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300", "--output", executed.toString(),
                nb.toString()).toArray(String[]::new));
        assertThat(r.exitCode()).as(r.output()).isZero();
        String cells = sh("/usr/bin/python3 -c " + q("""
                import sys, nbformat
                nb = nbformat.read(sys.argv[1], as_version=4)
                for c in nb.cells:
                    outs = c.get('outputs', [])
                    print(c.cell_type, [o.output_type for o in outs],
                          max([o['data']['text/html'].count('<tr') for o in outs if 'text/html' in o.get('data', {})] or [0]))
                """) + " " + q(executed));
        List<String> lines = cells.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(2)).as("no stderr (no SLF4J noise)").startsWith("code ['execute_result']");
        assertThat(lines.get(3)).startsWith("code [").contains("'execute_result']");
        assertThat(lines.get(4)).startsWith("code [").contains("'execute_result']");
        assertThat(sh("jq -r '.cells[4].outputs[-1].data | keys | join(\",\")' " + q(executed)).strip())
                .isEqualTo("image/png,text/html,text/plain");
        assertThat(sh("jq -r '.cells[4].outputs[0].data | keys | join(\",\")' " + q(nb)).strip())
                .as("exported figure").isEqualTo("image/png,text/html,text/plain");
        String exported = sh("jq -r '.cells[2].outputs[0].data[\"text/plain\"] | join(\"\")' " + q(nb));
        String rerun = sh("jq -r '.cells[2].outputs[0].data[\"text/plain\"] | join(\"\")' " + q(executed));
        assertThat(rerun).as("the regions table, re-computed by the Jupyter kernel").isEqualTo(exported);
    }

    @Test
    void theScreenshotShowsTheWindow() throws IOException {
        BufferedImage img = ImageIO.read(Path.of(said.get("screenshot")).toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        assertThat(img.getHeight()).isEqualTo(900);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours: a painted window, not a blank frame").isGreaterThan(20);
    }
}
