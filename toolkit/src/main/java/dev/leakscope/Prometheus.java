package dev.leakscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakscope.metrics.JsonMetrics;
import dev.leakscope.metrics.PrometheusError;
import dev.leakscope.metrics.Samples;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A live Prometheus server, asked over its HTTP API ({@code /api/v1/query_range}, {@code /api/v1/query}).
 * Unreachable servers and error answers raise {@link PrometheusError} with the URL and Prometheus' own error text.
 * <pre>{@code
 * Metrics.prometheus("http://127.0.0.1:9090").range("nodejs_heap_size_used_bytes", Duration.ofMinutes(10), Duration.ofSeconds(5))
 * }</pre>
 */
public final class Prometheus {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String base;
    private final HttpClient http;

    Prometheus(String url) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The series of {@code promql} from {@code from} to {@code to} at {@code step}, as {@link Metrics}. */
    public Metrics range(String promql, Instant from, Instant to, Duration step) {
        String url = base + "/api/v1/query_range?query=" + enc(promql) + "&start=" + seconds(from) + "&end=" + seconds(to)
                + "&step=" + (step.toMillis() / 1000.0);
        return new Metrics(ask(url, promql), List.of(), List.of(base + " " + promql));
    }

    /** The last {@code lookback} of {@code promql} at {@code step}. */
    public Metrics range(String promql, Duration lookback, Duration step) {
        Instant now = Instant.now();
        return range(promql, now.minus(lookback), now, step);
    }

    /** The instant value of {@code promql} now. */
    public Metrics query(String promql) {
        return new Metrics(ask(base + "/api/v1/query?query=" + enc(promql), promql), List.of(), List.of(base + " " + promql));
    }

    private Samples ask(String url, String promql) {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PrometheusError(base, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusError(base, "interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new PrometheusError(base, "bad URL: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(r.body());
        } catch (IOException e) {
            String body = r.body().length() > 200 ? r.body().substring(0, 200) + "…" : r.body();
            throw new PrometheusError(url, "http " + r.statusCode(), "not a Prometheus API answer: " + body.strip());
        }
        return JsonMetrics.prometheusAnswer(root, "prometheus", url, promql);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    @Override
    public String toString() {
        return "Prometheus[" + base + "]";
    }
}
