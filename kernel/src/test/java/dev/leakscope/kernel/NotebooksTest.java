package dev.leakscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Executes every {@code notebooks/*.ipynb} the way CI and users do — {@code jupyter nbconvert --to notebook
 * --execute} through the installed leakscope kernelspec — on data made by
 * {@code examples/make-artifacts.sh notebook-data <repo>/target/artifacts} (passed as LEAKSCOPE_ARTIFACTS), and
 * fails on any error output or unexecuted cell. One dynamic test per notebook; nothing here knows which
 * notebooks exist.
 */
class NotebooksTest {

    static final Path NOTEBOOKS = InstalledKernel.PROJECT.resolve("notebooks");
    static final Path ARTIFACTS = InstalledKernel.PROJECT.resolve("target/artifacts");
    private static boolean dataMade;

    @TestFactory
    Stream<DynamicTest> everyNotebookExecutesWithoutErrors() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertThat(notebooks).as("notebooks in %s", NOTEBOOKS).isNotEmpty();
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
    }

    private static synchronized void makeData() throws Exception {
        if (dataMade) {
            return;
        }
        Path script = InstalledKernel.PROJECT.resolve("examples/make-artifacts.sh");
        if (Files.readString(script).contains("notebook-data)")) {
            Files.createDirectories(ARTIFACTS);
            InstalledKernel.Run r = InstalledKernel.run(InstalledKernel.PROJECT, 1200, Map.of(),
                    script.toString(), "notebook-data", ARTIFACTS.toString());
            assertThat(r.exitCode()).as("make-artifacts.sh notebook-data:%n%s", r.output()).isZero();
        }
        dataMade = true;
    }

    private static void execute(Path notebook) throws Exception {
        makeData();
        Path out = InstalledKernel.KERNEL_MODULE.resolve("target/executed-notebooks");
        Files.createDirectories(out);
        Path executed = out.resolve(notebook.getFileName());
        Files.deleteIfExists(executed);
        InstalledKernel.Run run = InstalledKernel.run(NOTEBOOKS, 1800,
                Map.of("LEAKSCOPE_ARTIFACTS", ARTIFACTS.toString()),
                "/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=leakscope", "--ExecutePreprocessor.timeout=900",
                notebook.getFileName().toString(), "--output", executed.toString());
        assertThat(run.exitCode()).as("nbconvert --execute %s:%n%s", notebook.getFileName(), run.output()).isZero();
        assertThat(executed).exists();
        InstalledKernel.Run check = InstalledKernel.run(NOTEBOOKS, 120, Map.of(),
                "/usr/bin/python3", KernelProtocolTest.PYTHON_TESTS.resolve("check_notebook.py").toString(),
                executed.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
    }
}
