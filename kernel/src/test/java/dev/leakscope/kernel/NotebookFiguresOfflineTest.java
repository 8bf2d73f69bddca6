package dev.leakscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Figures in a real notebook: executed through our kernel by {@code jupyter nbconvert --execute}, on a log the
 * example app writes at test time, then exported to HTML and opened in headless chromium with no network.
 * plotly.js is embedded once (in the first figure's output), every plot draws, and when the export is
 * sanitised the way an untrusted notebook is (scripts stripped), every figure still shows its PNG.
 */
class NotebookFiguresOfflineTest {

    static final Path WORK = InstalledKernel.KERNEL_MODULE.resolve("target/notebook-figures");
    static Path executed;

    @BeforeAll
    static void execute() throws Exception {
        Files.createDirectories(WORK);
        Path log = WORK.resolve("leak.log");
        if (!Files.exists(log)) {
            InstalledKernel.Run r = InstalledKernel.run(WORK, 300, Map.of(),
                    InstalledKernel.PROJECT.resolve("examples/make-artifacts.sh").toString(), "log", log.toString(),
                    "--seconds", "8", "--trace-gc");
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        String nb = """
                {"cells": [
                 {"cell_type": "code", "execution_count": null, "id": "a", "metadata": {}, "outputs": [],
                  "source": ["var logs = Logs.open(java.nio.file.Path.of(\\"leak.log\\"));\\n", "Plots.memory(logs.memory(), logs.gc())"]},
                 {"cell_type": "code", "execution_count": null, "id": "b", "metadata": {}, "outputs": [],
                  "source": ["display(Plots.gcPauses(logs.gc()));\\n", "Plots.eventLoop(logs.eventLoop())"]},
                 {"cell_type": "code", "execution_count": null, "id": "c", "metadata": {}, "outputs": [],
                  "source": ["Report.of(logs)"]}
                ],
                 "metadata": {"kernelspec": {"display_name": "Java (leakscope)", "language": "java", "name": "leakscope"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """;
        Files.writeString(WORK.resolve("figures.ipynb"), nb);
        executed = WORK.resolve("figures-executed.ipynb");
        Files.deleteIfExists(executed);
        InstalledKernel.Run run = InstalledKernel.run(WORK, 600, Map.of(), "/usr/bin/jupyter", "nbconvert", "--to", "notebook",
                "--execute", "--ExecutePreprocessor.kernel_name=leakscope", "--ExecutePreprocessor.timeout=300",
                "figures.ipynb", "--output", executed.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void plotlyIsEmbeddedOnceAndEveryFigureCarriesAPng() throws Exception {
        String ipynb = Files.readString(executed);
        assertThat(count(ipynb, "window.Plotly = Plotly")).as("plotly.js inlined once per kernel session").isEqualTo(1);
        assertThat(count(ipynb, "\"image/png\"")).as("three figures, each with a PNG").isEqualTo(3);
        assertThat(count(ipynb, "class=\\\"leakscope-figure\\\"")).as("3 figures + the report's memory, GC and event-loop figures")
                .isEqualTo(6);
        assertThat(count(ipynb, "\"output_type\": \"error\"")).isZero();
    }

    @Test
    void theExportedNotebookDrawsEveryPlotOffline() throws Exception {
        InstalledKernel.Run html = InstalledKernel.run(WORK, 300, Map.of(), "/usr/bin/jupyter", "nbconvert", "--to", "html",
                executed.toString(), "--output", WORK.resolve("figures.html").toString());
        assertThat(html.exitCode()).as(html.output()).isZero();
        String dom = chromiumDom(WORK.resolve("figures.html"));
        assertThat(count(dom, "data-plotted=\"true\"")).as("plots drawn by the inlined plotly.js, the report's too").isEqualTo(6);
        assertThat(count(dom, "class=\"main-svg\"")).isGreaterThanOrEqualTo(6);
    }

    @Test
    void withScriptsStrippedThePngsStillShow() throws Exception {
        InstalledKernel.Run html = InstalledKernel.run(WORK, 300, Map.of(), "/usr/bin/jupyter", "nbconvert", "--to", "html",
                "--HTMLExporter.sanitize_html=True", executed.toString(), "--output", WORK.resolve("figures-sanitized.html").toString());
        assertThat(html.exitCode()).as(html.output()).isZero();
        String page = Files.readString(WORK.resolve("figures-sanitized.html"));
        assertThat(count(page, "window.Plotly = Plotly")).as("scripts stripped").isZero();
        String dom = chromiumDom(WORK.resolve("figures-sanitized.html"));
        assertThat(count(dom, "data-plotted=\"true\"")).isZero();
        Matcher img = Pattern.compile("<img[^>]+src=\"data:image/png;base64,").matcher(dom);
        int pngs = 0;
        while (img.find()) {
            pngs++;
        }
        assertThat(pngs).as("a PNG per figure where scripts do not run").isGreaterThanOrEqualTo(6);
    }

    static String chromiumDom(Path html) throws Exception {
        Path profile = Files.createTempDirectory("leakscope-chromium");
        Path out = Files.createTempFile("chromium", ".dom");
        try {
            List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=15000", "--dump-dom",
                    html.toUri().toString()));
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish in 120 s");
            }
            assertThat(p.exitValue()).isZero();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            try (var s = Files.walk(profile)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
