package dev.leakscope.workbench;

import com.fasterxml.jackson.core.JsonFactory;
import dev.leakscope.Figure;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a workbench session as a Jupyter notebook (nbformat 4.5) for the {@code leakscope} kernel: one cell per
 * cell of the document, in document order; a cell of only {@code //} comments becomes Markdown; a code cell
 * carries the outputs of its latest run (stdout, stderr, the value as {@code text/plain} + {@code text/html}
 * for tables, text/html + image/png for figures, or the error), so the notebook reads as the same post-mortem and
 * re-executes top to bottom.
 */
public final class NotebookExport {

    /** The kernelspec name the notebook asks for: the leakscope Jupyter kernel. */
    public static final String KERNEL_NAME = "leakscope";
    /** The kernelspec's display name. */
    public static final String KERNEL_DISPLAY_NAME = "leakscope (Java)";

    private NotebookExport() {
    }

    /** Writes {@code document}'s cells with their outputs from {@code session} to {@code out}. */
    public static void write(String document, Session session, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            write(document, session, w);
        }
    }

    /** Writes the notebook JSON to {@code w}. */
    public static void write(String document, Session session, Writer w) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter(" ", "\n")));
            g.writeStartObject();
            g.writeNumberField("nbformat", 4);
            g.writeNumberField("nbformat_minor", 5);
            metadata(g);
            g.writeArrayFieldStart("cells");
            int i = 0;
            boolean[] firstFigure = {true};
            for (Cells.Cell cell : Cells.split(document)) {
                String id = "cell-" + (++i);
                if (cell.isComment()) {
                    markdown(g, id, cell.source());
                } else {
                    String source = Cells.runnable(cell.source());
                    code(g, id, source, session.lastRunOf(source), firstFigure);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void metadata(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("metadata");
        g.writeObjectFieldStart("kernelspec");
        g.writeStringField("name", KERNEL_NAME);
        g.writeStringField("display_name", KERNEL_DISPLAY_NAME);
        g.writeStringField("language", "java");
        g.writeEndObject();
        g.writeObjectFieldStart("language_info");
        g.writeStringField("name", "java");
        g.writeStringField("version", Runtime.version().feature() + "");
        g.writeStringField("mimetype", "text/x-java-source");
        g.writeStringField("file_extension", ".jshell");
        g.writeEndObject();
        g.writeStringField("generator", "leakscope workbench");
        g.writeEndObject();
    }

    private static void markdown(JsonGenerator g, String id, String source) throws IOException {
        StringBuilder md = new StringBuilder();
        for (String line : source.split("\\R", -1)) {
            String s = line.strip();
            s = s.startsWith("//") ? s.substring(2) : s;
            md.append(s.startsWith(" ") ? s.substring(1) : s).append('\n');
        }
        g.writeStartObject();
        g.writeStringField("cell_type", "markdown");
        g.writeStringField("id", id);
        g.writeObjectFieldStart("metadata");
        g.writeEndObject();
        lines(g, "source", md.toString().strip());
        g.writeEndObject();
    }

    private static void code(JsonGenerator g, String id, String source, Optional<Session.Run> run, boolean[] firstFigure)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("cell_type", "code");
        g.writeStringField("id", id);
        if (run.isPresent()) {
            g.writeNumberField("execution_count", run.get().count());
        } else {
            g.writeNullField("execution_count");
        }
        g.writeObjectFieldStart("metadata");
        g.writeEndObject();
        lines(g, "source", source);
        g.writeArrayFieldStart("outputs");
        if (run.isPresent()) {
            CellResult r = run.get().result();
            stream(g, "stdout", r.stdout());
            stream(g, "stderr", r.stderr());
            for (Map<String, String> shown : r.displays()) {
                g.writeStartObject();
                g.writeStringField("output_type", "display_data");
                data(g, shown);
                g.writeObjectFieldStart("metadata");
                g.writeEndObject();
                g.writeEndObject();
            }
            if (r.failed()) {
                g.writeStartObject();
                g.writeStringField("output_type", "error");
                g.writeStringField("ename", r.error().kind());
                g.writeStringField("evalue", r.error().message() == null ? "" : r.error().message());
                g.writeArrayFieldStart("traceback");
                for (String line : r.error().traceback().isEmpty() ? List.of(r.error().text()) : r.error().traceback()) {
                    g.writeString(line);
                }
                g.writeEndArray();
                g.writeEndObject();
            } else if (r.hasValue()) {
                g.writeStartObject();
                g.writeStringField("output_type", "execute_result");
                g.writeNumberField("execution_count", run.get().count());
                Map<String, String> bundle = r.bundle();
                if (r.value() instanceof Figure f) {
                    // the notebook's first figure carries plotly.js inline (as in a kernel session); the rest use it
                    if (firstFigure[0]) {
                        Figure.embedPlotlyAgain();
                        firstFigure[0] = false;
                    }
                    bundle = f.mimeBundle();
                }
                data(g, bundle);
                g.writeObjectFieldStart("metadata");
                g.writeEndObject();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void data(JsonGenerator g, Map<String, String> bundle) throws IOException {
        g.writeObjectFieldStart("data");
        for (Map.Entry<String, String> e : bundle.entrySet()) {
            if (e.getKey().startsWith("text/") || e.getKey().endsWith("+xml")) {
                lines(g, e.getKey(), e.getValue());
            } else {
                g.writeStringField(e.getKey(), e.getValue());
            }
        }
        g.writeEndObject();
    }

    private static void stream(JsonGenerator g, String name, String text) throws IOException {
        if (text == null || text.isEmpty()) {
            return;
        }
        g.writeStartObject();
        g.writeStringField("output_type", "stream");
        g.writeStringField("name", name);
        lines(g, "text", text);
        g.writeEndObject();
    }

    /** A multiline string the way Jupyter writes it: a list of lines, each but the last ending in \n. */
    private static void lines(JsonGenerator g, String field, String text) throws IOException {
        g.writeArrayFieldStart(field);
        for (String line : splitKeepingNewlines(text)) {
            g.writeString(line);
        }
        g.writeEndArray();
    }

    static List<String> splitKeepingNewlines(String text) {
        List<String> out = new ArrayList<>();
        int s = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(s, i + 1));
                s = i + 1;
            }
        }
        if (s < text.length()) {
            out.add(text.substring(s));
        }
        return out;
    }
}
