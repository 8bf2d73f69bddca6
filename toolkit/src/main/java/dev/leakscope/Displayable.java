package dev.leakscope;

import java.util.Map;

/**
 * An object that renders itself in the front ends: the Jupyter kernel, the desktop workbench and jshell.
 * A cell whose value is a {@code Displayable}, or {@code display(x)} on one, shows {@link #mimeBundle()}.
 *
 * <p>The bundle maps a MIME type to its data, for example {@code text/plain}, {@code text/html},
 * {@code text/markdown}, {@code image/svg+xml}, or {@code image/png} (base64, no {@code data:} prefix).
 * Rules: always include {@code text/plain} (jshell and untrusted notebooks show only that); HTML must work
 * offline (no CDN scripts) and should carry a static fallback where scripts are stripped; building the
 * bundle must be cheap and must not open a browser or window.
 */
public interface Displayable {

    /** MIME type of plain text, the one representation every front end can show. */
    String TEXT = "text/plain";
    /** MIME type of HTML. */
    String HTML = "text/html";
    /** MIME type of Markdown. */
    String MARKDOWN = "text/markdown";
    /** MIME type of SVG images. */
    String SVG = "image/svg+xml";
    /** MIME type of PNG images; the data is base64. */
    String PNG = "image/png";

    /** The representations of this object, MIME type → data; always contains {@link #TEXT}. */
    Map<String, String> mimeBundle();
}
