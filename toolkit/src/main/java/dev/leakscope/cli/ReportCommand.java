package dev.leakscope.cli;

import dev.leakscope.Leak;
import dev.leakscope.LeakVerdict;
import dev.leakscope.LogFormatException;
import dev.leakscope.Logs;
import dev.leakscope.Metrics;
import dev.leakscope.Report;
import dev.leakscope.metrics.PrometheusError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code leakscope report}: the post-mortem memory report; the exit code tells LEAK apart. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"The post-mortem memory report from logs (memoryUsage, --trace-gc, pino…), metrics and spans.",
                "Exit code: 0 = NO LEAK, 3 = LEAK, 4 = INCONCLUSIVE, 1 = unreadable input, 2 = bad usage."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:NO LEAK", "3:LEAK", "4:INCONCLUSIVE", "1:an input could not be read", "2:bad usage"})
public final class ReportCommand implements Callable<Integer> {

    /** Exit code for LEAK. */
    public static final int LEAK = 3;
    /** Exit code for INCONCLUSIVE. */
    public static final int INCONCLUSIVE = 4;

    @Option(names = "--log", arity = "1..*", paramLabel = "FILE", description = "log files (stdout, stderr…; formats sniffed)")
    List<Path> logs = new ArrayList<>();

    @Option(names = "--gc", arity = "1..*", paramLabel = "FILE", description = "separate --trace-gc output")
    List<Path> gc = new ArrayList<>();

    @Option(names = "--metrics", arity = "1..*", paramLabel = "FILE",
            description = "prom-client scrapes, OpenMetrics, query_range JSON, Grafana CSV, OTLP/JSON spans")
    List<Path> metrics = new ArrayList<>();

    @Option(names = "--prometheus", paramLabel = "URL", description = "a live Prometheus, e.g. http://127.0.0.1:9090")
    String prometheus;

    @Option(names = "--query", arity = "1..*", paramLabel = "PROMQL",
            description = "PromQL for --prometheus (default: prom-client's memory and event-loop gauges)")
    List<String> queries = new ArrayList<>();

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "PT15M",
            description = "how far back to ask --prometheus (ISO-8601 duration or 15m/1h/30s; default 15m)")
    String since;

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "5s", description = "query_range step (default 5s)")
    String step;

    @Option(names = "--heap-limit", paramLabel = "MB", description = "the V8 heap limit (--max-old-space-size) for time-to-OOM")
    Double heapLimit;

    @Option(names = "--format", defaultValue = "text", description = "text, md or html (default text)")
    String format;

    @Option(names = "--no-redact", description = "html: keep secrets (passwords in URLs, tokens, API keys, cookies, e-mails) "
            + "instead of masking them")
    boolean noRedact;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the report here instead of stdout")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (logs.isEmpty() && gc.isEmpty() && metrics.isEmpty() && prometheus == null) {
            System.err.println("leakscope report: give --log FILE… (and/or --gc, --metrics, --prometheus)");
            return 2;
        }
        if (!List.of("text", "md", "markdown", "html").contains(format)) {
            System.err.println("leakscope report: --format must be text, md or html, not " + format);
            return 2;
        }
        if (heapLimit != null && heapLimit <= 0) {
            System.err.println("leakscope report: --heap-limit must be a positive number of MB, not " + heapLimit);
            return 2;
        }
        Report report;
        try {
            report = build();
        } catch (LogFormatException | PrometheusError e) {
            System.err.println("leakscope report: " + e.getMessage());
            return 1;
        }
        String out = format.equals("html") ? report.html(!noRedact) : report.render(format);
        if (output != null) {
            Files.writeString(output, out);
            System.err.println(report.leak().outcome().label() + " — report written to " + output);
        } else {
            System.out.print(out);
        }
        return exitCode(report.leak());
    }

    static int exitCode(LeakVerdict v) {
        return switch (v.outcome()) {
            case LEAK -> LEAK;
            case NO_LEAK -> 0;
            case INCONCLUSIVE -> INCONCLUSIVE;
        };
    }

    private Report build() {
        Report.Builder b = Report.builder();
        List<Path> all = new ArrayList<>(logs);
        all.addAll(gc);
        if (!all.isEmpty()) {
            b.logs(Logs.open(all));
        }
        if (!metrics.isEmpty()) {
            b.metrics(Metrics.open(metrics));
        }
        if (prometheus != null) {
            List<String> q = queries.isEmpty() ? List.of("process_resident_memory_bytes", "nodejs_heap_size_total_bytes",
                    "nodejs_heap_size_used_bytes", "nodejs_external_memory_bytes", "nodejs_eventloop_lag_p50_seconds",
                    "nodejs_eventloop_lag_max_seconds", "nodejs_eventloop_lag_min_seconds", "nodejs_eventloop_utilization") : queries;
            for (String promql : q) {
                b.metrics(Metrics.prometheus(prometheus).range(promql, duration(since), duration(step)));
            }
        }
        if (heapLimit != null) {
            b.criteria(Leak.criteria().heapLimitMB(heapLimit));
        }
        return b.build();
    }

    static Duration duration(String s) {
        String t = s.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            if (t.length() >= 2) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                switch (t.charAt(t.length() - 1)) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    default: break;
                }
            }
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            // said below
        }
        throw new IllegalArgumentException("not a duration: '" + s + "' (use 30s, 15m, 1h, 2d or ISO-8601 such as PT15M)");
    }
}
