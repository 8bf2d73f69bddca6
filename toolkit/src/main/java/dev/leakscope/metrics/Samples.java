package dev.leakscope.metrics;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
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

    final LongArrayList timeMs = new LongArrayList();
    final IntArrayList scrape = new IntArrayList();
    final List<String> metric = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    final DoubleArrayList value = new DoubleArrayList();
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

    /** The number of samples. */
    public int size() {
        return value.size();
    }

    /** Appends all of another's samples. */
    public void addAll(Samples o) {
        for (int i = 0; i < o.size(); i++) {
            add(o.timeMs.getLong(i), o.scrape.getInt(i), o.metric.get(i), o.labels.get(i), o.value.getDouble(i), o.source.get(i));
        }
    }

    /** The samples as a table: source, time, scrape, metric, labels, value. */
    public Table table(String name) {
        InstantColumn t = InstantColumn.create("time");
        for (int i = 0; i < timeMs.size(); i++) {
            long ms = timeMs.getLong(i);
            if (ms == Long.MIN_VALUE) {
                t.appendMissing();
            } else {
                t.append(Instant.ofEpochMilli(ms));
            }
        }
        IntColumn sc = IntColumn.create("scrape", scrape.toIntArray());
        DoubleColumn v = DoubleColumn.create("value", value.toDoubleArray());
        return Table.create(name, StringColumn.create("source", source), t, sc, StringColumn.create("metric", metric),
                StringColumn.create("labels", labels), v);
    }
}
