package dev.leakscope.workbench;

import static dev.leakscope.workbench.WorkbenchArtifacts.q;
import static dev.leakscope.workbench.WorkbenchArtifacts.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export of a real session, read back and validated by Jupyter's own nbformat library. */
class NotebookExportTest {

    @TempDir
    Path tmp;

    /** A python script printing what nbformat reads: validity, kernelspec, then one line per cell. */
    private static final String READ = """
            import json, sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            print("kernel", nb.metadata.kernelspec.name, nb.metadata.kernelspec.language)
            for c in nb.cells:
                outs = [o.output_type + ":" + ",".join(sorted(o.get("data", {}).keys()) or [o.get("name", o.get("ename", ""))])
                        for o in c.get("outputs", [])]
                print(c.cell_type, c.get("execution_count"), json.dumps(c.source), " ".join(outs))
            """;

    @Test
    void cellsWithTheirLatestOutputsBecomeAValidNotebook() throws Exception {
        String doc = """
                // # Does the table sort?
                // A question first, as every notebook.

                var t = Table.create("t", IntColumn.create("n", 3, 1, 2));
                System.out.println("made " + t.rowCount());

                t.sortOn("n")

                Object o = null; o.hashCode();

                int notRun = 1;
                """;
        Session session = new Session();
        CellRunner runner = SharedRunner.get();
        {
            for (Cells.Cell c : Cells.split(doc)) {
                String src = Cells.runnable(c.source());
                if (!c.isComment() && !src.startsWith("int notRun")) {
                    session.add(src, runner.run(src));
                }
            }
            // an earlier, failed run of the sort cell is superseded by its latest run
            session.add("t.sortOn(\"n\")", runner.run("t.sortOn(\"n\")"));
        }
        assertThat(Cells.split(doc)).hasSize(5);
        Path nb = tmp.resolve("session.ipynb");
        NotebookExport.write(doc, session, nb);
        Path script = tmp.resolve("read.py");
        java.nio.file.Files.writeString(script, READ);
        String out = sh("/usr/bin/python3 " + q(script) + " " + q(nb));
        assertThat(out.lines().map(String::strip).toList()).containsExactly(
                "kernel leakscope java",
                "markdown None \"# Does the table sort?\\nA question first, as every notebook.\"",
                "code 1 \"var t = Table.create(\\\"t\\\", IntColumn.create(\\\"n\\\", 3, 1, 2));\\nSystem.out.println(\\\"made \\\" + t.rowCount());\" stream:stdout",
                "code 4 \"t.sortOn(\\\"n\\\")\" execute_result:text/html,text/plain",
                "code 3 \"Object o = null; o.hashCode();\" error:NullPointerException",
                "code None \"int notRun = 1;\"");
        String html = sh("jq -r '.cells[2].outputs[0].data[\"text/html\"] | join(\"\")' " + q(nb));
        assertThat(html).contains("<table").contains(">n<").containsSubsequence(">1<", ">2<", ">3<");
    }
}
