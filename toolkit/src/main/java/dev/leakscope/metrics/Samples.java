package dev.leakscope.metrics;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Metric samples in long form, as every metrics reader produces them: time, scrape, metric, labels, value. */
public final class Samples {

    final List<Long> timeMs = new ArrayList<>();
    final List<Integer> scrape = new ArrayList<>();
    final List<String> metric = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    final List<Double> value = new ArrayList<>();
    final List<String> source = new ArrayList<>();

    /** Adds one sample; {@code timeMs} is epoch ms or {@link Long#MIN_VALUE} when unknown. */
    public void add(long timeMs, int scrape, String metric, String labels, double value, String source) {
        this.timeMs.add(timeMs);
        this.scrape.add(scrape);
        this.metric.add(metric);
        this.labels.add(labels);
        this.value.add(value);
        this.source.add(source);
    }

    public int size() {
        return value.size();
    }

    /** Appends all of another's samples. */
    public void addAll(Samples o) {
        for (int i = 0; i < o.size(); i++) {
            add(o.timeMs.get(i), o.scrape.get(i), o.metric.get(i), o.labels.get(i), o.value.get(i), o.source.get(i));
        }
    }

    /** The samples as a table: source, time, scrape, metric, labels, value. */
    public Table table(String name) {
        InstantColumn t = InstantColumn.create("time");
        for (long ms : timeMs) {
            if (ms == Long.MIN_VALUE) {
                t.appendMissing();
            } else {
                t.append(Instant.ofEpochMilli(ms));
            }
        }
        IntColumn sc = IntColumn.create("scrape");
        scrape.forEach(sc::append);
        DoubleColumn v = DoubleColumn.create("value");
        value.forEach(v::append);
        return Table.create(name, StringColumn.create("source", source), t, sc, StringColumn.create("metric", metric),
                StringColumn.create("labels", labels), v);
    }
}
