package dev.leakscope.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.leakscope.Displayable;

/** Documentation found by {@link Evaluator#inspect} as a MIME bundle: signatures, then their javadoc. */
final class Inspection {

    private Inspection() {
    }

    static Map<String, String> bundle(List<Evaluator.Documentation> docs) {
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<div class=\"leakscope-doc\">");
        for (Evaluator.Documentation d : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(d.signature());
            html.append("<pre><code>").append(TableHtml.escape(d.signature())).append("</code></pre>");
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append("\n").append(d.javadoc().strip());
                html.append("<div>").append(d.javadoc().strip()).append("</div>");
            }
        }
        html.append("</div>");
        Map<String, String> b = new LinkedHashMap<>();
        b.put(Displayable.TEXT, text.toString());
        b.put(Displayable.HTML, html.toString());
        return b;
    }
}
