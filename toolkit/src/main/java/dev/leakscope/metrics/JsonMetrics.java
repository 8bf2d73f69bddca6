package dev.leakscope.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakscope.LogFormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON metric documents: Prometheus API answers ({@code query_range} matrices, instant vectors) and OTLP/JSON spans. */
public final class JsonMetrics {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonMetrics() {
    }

    /** A Prometheus API answer as samples; an error answer throws with Prometheus' own errorType and error text. */
    public static Samples prometheusAnswer(JsonNode root, String source, String where, String defaultName) {
        String status = root.path("status").asText("");
        if (!status.equals("success")) {
            throw new PrometheusError(where, root.path("errorType").asText("?"), root.path("error").asText(root.toString()));
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText("");
        Samples out = new Samples();
        int series = 0;
        for (JsonNode r : data.path("result")) {
            Map<String, String> labels = new TreeMap<>();
            String name = defaultName;
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("metric").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__name__")) {
                    name = e.getValue().asText();
                } else {
                    labels.put(e.getKey(), e.getValue().asText());
                }
            }
            StringBuilder lb = new StringBuilder();
            labels.forEach((k, v) -> lb.append(lb.length() == 0 ? "" : ",").append(k).append("=\"").append(v).append('"'));
            if (type.equals("matrix")) {
                for (JsonNode pt : r.path("values")) {
                    out.add(Math.round(pt.get(0).asDouble() * 1000), series, name, lb.toString(),
                            PromText.parseValue(pt.get(1).asText()), source);
                }
            } else if (type.equals("vector")) {
                JsonNode pt = r.path("value");
                out.add(Math.round(pt.get(0).asDouble() * 1000), series, name, lb.toString(),
                        PromText.parseValue(pt.get(1).asText()), source);
            }
            series++;
        }
        if (type.equals("scalar")) {
            JsonNode pt = data.path("result");
            out.add(Math.round(pt.get(0).asDouble() * 1000), 0, defaultName, "", PromText.parseValue(pt.get(1).asText()), source);
        }
        return out;
    }

    /** An "event-loop-blocked" (or any) span of an OTLP/JSON export. */
    public record Span(String name, long startNanos, long endNanos, Map<String, String> attributes, String service) {
        public double durationMs() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    /** Every span of an OTLP/JSON traces export (one document, or one document per line). */
    public static List<Span> otlpSpans(Path path, List<JsonNode> docs) {
        List<Span> spans = new ArrayList<>();
        for (JsonNode doc : docs) {
            for (JsonNode rs : doc.path("resourceSpans")) {
                String service = "";
                for (JsonNode a : rs.path("resource").path("attributes")) {
                    if (a.path("key").asText().equals("service.name")) {
                        service = attr(a.path("value"));
                    }
                }
                JsonNode scopes = rs.has("scopeSpans") ? rs.path("scopeSpans") : rs.path("instrumentationLibrarySpans");
                for (JsonNode ss : scopes) {
                    for (JsonNode s : ss.path("spans")) {
                        Map<String, String> attrs = new TreeMap<>();
                        for (JsonNode a : s.path("attributes")) {
                            attrs.put(a.path("key").asText(), attr(a.path("value")));
                        }
                        long start = nanos(s.path("startTimeUnixNano"));
                        long end = nanos(s.path("endTimeUnixNano"));
                        if (start == Long.MIN_VALUE || end == Long.MIN_VALUE) {
                            throw new LogFormatException(path, -1, "span '" + s.path("name").asText() + "' lacks startTimeUnixNano/endTimeUnixNano");
                        }
                        spans.add(new Span(s.path("name").asText(), start, end, attrs, service));
                    }
                }
            }
        }
        return spans;
    }

    private static long nanos(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return Long.MIN_VALUE;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String attr(JsonNode v) {
        for (String k : new String[]{"stringValue", "intValue", "doubleValue", "boolValue"}) {
            if (v.has(k)) {
                return v.get(k).asText();
            }
        }
        return v.toString();
    }
}
