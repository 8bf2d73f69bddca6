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
                text.append("\n").append(inlineTags(d.javadoc().strip(), false));
                html.append("<div>").append(inlineTags(d.javadoc().strip(), true)).append("</div>");
            }
        }
        html.append("</div>");
        Map<String, String> b = new LinkedHashMap<>();
        b.put(Displayable.TEXT, text.toString());
        b.put(Displayable.HTML, html.toString());
        return b;
    }

    /**
     * Javadoc's inline tags as a reader sees them: {@code {@code x}} as x ({@code <code>x</code>} in HTML, escaped),
     * {@code {@link A#b(int) label}} as its label or {@code A.b(int)}; in text, HTML markup dropped ({@code <p>} as a
     * line break).
     */
    static String inlineTags(String doc, boolean html) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < doc.length()) {
            int at = doc.indexOf("{@", i);
            if (at < 0) {
                out.append(markup(doc.substring(i), html));
                break;
            }
            out.append(markup(doc.substring(i, at), html));
            int depth = 0, end = at;
            for (; end < doc.length(); end++) {
                char c = doc.charAt(end);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            if (end >= doc.length()) { // unbalanced: leave the rest as written
                out.append(markup(doc.substring(at), html));
                break;
            }
            String body = doc.substring(at + 2, end);
            int sp = body.indexOf(' ');
            String tag = sp < 0 ? body : body.substring(0, sp);
            String arg = sp < 0 ? "" : body.substring(sp + 1).strip();
            String shown;
            boolean code;
            switch (tag) {
                case "link", "linkplain" -> {
                    int label = labelStart(arg);
                    shown = label >= 0 ? arg.substring(label).strip() : reference(arg);
                    code = label < 0 && tag.equals("link");
                }
                case "value" -> {
                    shown = reference(arg);
                    code = true;
                }
                case "code", "literal" -> {
                    shown = arg;
                    code = tag.equals("code");
                }
                default -> {
                    shown = arg.isEmpty() ? tag : arg;
                    code = false;
                }
            }
            if (html) {
                out.append(code ? "<code>" : "").append(TableHtml.escape(shown)).append(code ? "</code>" : "");
            } else {
                out.append(shown);
            }
            i = end + 1;
        }
        return out.toString();
    }

    /** Where a link's label starts: after the reference and its parenthesized parameters, or -1 when it has none. */
    private static int labelStart(String arg) {
        int paren = 0;
        for (int k = 0; k < arg.length(); k++) {
            char c = arg.charAt(k);
            if (c == '(') {
                paren++;
            } else if (c == ')') {
                paren--;
            } else if (Character.isWhitespace(c) && paren == 0) {
                return arg.substring(k).isBlank() ? -1 : k + 1;
            }
        }
        return -1;
    }

    private static String reference(String ref) {
        String r = ref.strip();
        if (r.startsWith("#")) {
            r = r.substring(1);
        }
        return r.replace('#', '.');
    }

    private static String markup(String s, boolean html) {
        if (html) {
            return s;
        }
        // only HTML's own tags: a List<String> written bare in the javadoc stays
        return s.replaceAll("(?i)\\s*<p>\\s*", "\n")
                .replaceAll("(?i)</?(p|b|i|em|strong|code|tt|pre|ul|ol|li|br|a|dl|dt|dd|table|tr|td|th)(\\s[^>]*)?/?>", "");
    }
}
