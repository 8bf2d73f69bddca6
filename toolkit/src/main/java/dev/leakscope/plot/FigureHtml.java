package dev.leakscope.plot;

import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTML for figures: a fragment (static PNG shown first, replaced by the interactive plotly plot once plotly.js
 * has drawn it) and whole self-contained pages. Where scripts are stripped (untrusted notebooks, GitHub,
 * mail) the PNG stays; where plotly.js never arrives the script gives up after a few seconds and the PNG stays.
 */
public final class FigureHtml {

    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xffffff);

    private FigureHtml() {
    }

    /** The style shared by saved figures and reports. */
    public static final String CSS = """
            body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#222;margin:24px auto;max-width:1100px;padding:0 16px}
            .leakscope-figure{margin:12px 0}
            .leakscope-figure img{max-width:100%;height:auto;border:0}
            """;

    /**
     * One figure as an HTML fragment: a div holding the PNG fallback, a div plotly draws into, and a small
     * script that waits for {@code window.Plotly} (up to 10 s), draws, then hides the PNG.
     */
    public static String fragment(Chart c, byte[] png) {
        String id = "lsf-" + Long.toHexString(IDS.incrementAndGet()) + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
        String alt = escape(c.title().isEmpty() ? "figure" : c.title());
        StringBuilder b = new StringBuilder(png.length * 4 / 3 + 4096);
        b.append("<div class=\"leakscope-figure\" id=\"").append(id).append("\" style=\"max-width:").append(c.width()).append("px\">\n");
        b.append("<img class=\"lsf-static\" alt=\"").append(alt).append("\" width=\"").append(c.width()).append("\" height=\"")
                .append(c.height()).append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\"/>\n");
        b.append("<div class=\"lsf-plot\" style=\"display:none;width:100%;height:").append(c.height()).append("px\"></div>\n");
        b.append("<script type=\"text/javascript\">\n(function(){\n")
                .append("var root=document.getElementById('").append(id).append("');\n")
                .append("var spec=").append(PlotlyJson.of(c)).append(";\n")
                .append("""
                        var tries=0;
                        function draw(){
                          if(!root){return;}
                          if(!window.Plotly||!window.Plotly.newPlot){if(++tries<100){setTimeout(draw,100);}return;}
                          var div=root.querySelector('.lsf-plot'), img=root.querySelector('.lsf-static');
                          div.style.display='block';
                          Promise.resolve(window.Plotly.newPlot(div,spec.data,spec.layout,spec.config)).then(
                            function(){img.style.display='none';root.setAttribute('data-plotted','true');},
                            function(e){div.style.display='none';root.setAttribute('data-plot-error',String(e));});
                        }
                        draw();
                        })();
                        </script>
                        </div>
                        """);
        return b.toString();
    }

    /** A whole page: title, CSS, plotly.js inline once, then the body HTML. Opens with no network. */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title) + "</title>\n"
                + "<meta name=\"generator\" content=\"leakscope\">\n<style>\n" + CSS + "</style>\n"
                + PlotlyJs.scriptTag() + "</head>\n<body>\n" + body + "\n</body>\n</html>\n";
    }

    /** HTML-escapes text for element content and attribute values. */
    public static String escape(String s) {
        StringBuilder o = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '&' -> o.append("&amp;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> o.append(ch);
            }
        }
        return o.toString();
    }
}
