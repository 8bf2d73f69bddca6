package dev.leakscope.plot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

/**
 * The plotly.js bundled in the toolkit jar ({@code plotly.js-dist-min} from npm, stored gzipped; refreshed by
 * {@code toolkit/update-plotly.sh}), so figures draw with no network. Figures inline it: once per HTML file,
 * and once per kernel session in a notebook.
 */
public final class PlotlyJs {

    private static final String RESOURCE = "/dev/leakscope/plot/plotly.min.js.gz";
    private static SoftReference<String> cached = new SoftReference<>(null);
    private static final AtomicBoolean EMBEDDED_IN_SESSION = new AtomicBoolean();

    private PlotlyJs() {
    }

    /** The bundled plotly.js version, e.g. {@code 4.1.2}. */
    public static String version() {
        try (InputStream in = PlotlyJs.class.getResourceAsStream("/dev/leakscope/plot/plotly.version")) {
            if (in == null) {
                throw new IllegalStateException("plotly.version missing from the toolkit jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The minified plotly.js source (about 4.8 MB of text; cached softly). */
    public static synchronized String source() {
        String s = cached.get();
        if (s != null) {
            return s;
        }
        try (InputStream raw = PlotlyJs.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("plotly.js missing from the toolkit jar (" + RESOURCE + ")");
            }
            s = new String(new GZIPInputStream(raw, 1 << 16).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled plotly.js " + RESOURCE, e);
        }
        if (s.toLowerCase(Locale.ROOT).contains("</script")) {
            throw new IllegalStateException("the bundled plotly.js contains '</script': it cannot be inlined");
        }
        cached = new SoftReference<>(s);
        return s;
    }

    /** A {@code <script>} element defining {@code window.Plotly}, inline. */
    public static String scriptTag() {
        return "<script type=\"text/javascript\">/* plotly.js " + version() + " (MIT), bundled by leakscope */\n"
                + source() + "\n</script>\n";
    }

    /**
     * True the first time it is called in this JVM (a kernel session): the caller then inlines plotly.js in
     * its output; later figures of the session rely on it being in the page.
     */
    public static boolean claimSessionEmbed() {
        return EMBEDDED_IN_SESSION.compareAndSet(false, true);
    }

    /** Forgets that plotly.js was embedded in this session (the next figure embeds it again). */
    public static void resetSessionEmbed() {
        EMBEDDED_IN_SESSION.set(false);
    }
}
