package dev.leakscope.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@link LogScanner} read from one or more files: primitive columns, one row per record. */
final class LogData {

    static final int KIND_INSPECT_BLOCK = 1, KIND_KEY_VALUE = 2, KIND_JSON_MEMORY = 3, KIND_JSON_EVENT_LOOP = 4,
            KIND_GC = 5, KIND_GC_NVP = 6, KIND_ERROR = 7, KIND_TIMESTAMP = 8, KIND_OTHER = 9;
    static final String[] KIND_NAMES = {"", "memoryUsage (inspect)", "memoryUsage (key: value lines)",
            "memoryUsage (JSON line)", "event loop (JSON line)", "--trace-gc", "--trace-gc-nvp", "error line",
            "timestamp line", "other"};
    static final int MIN = 0, MEAN = 1, P50 = 2, P90 = 3, P99 = 4, MAX = 5, DELAY_STATS = 6;

    final List<String> files = new ArrayList<>();
    final List<long[]> kindsPerFile = new ArrayList<>();
    long[] kinds = new long[10];

    final Growable.Ints memFile = new Growable.Ints();
    final Growable.Longs memLine = new Growable.Longs();
    final Growable.Longs memTime = new Growable.Longs();
    final Growable.Longs[] mem = {new Growable.Longs(), new Growable.Longs(), new Growable.Longs(),
            new Growable.Longs(), new Growable.Longs()};

    final Growable.Ints loopFile = new Growable.Ints();
    final Growable.Longs loopLine = new Growable.Longs();
    final Growable.Longs loopTime = new Growable.Longs();
    final Growable.Doubles loopElu = new Growable.Doubles();
    final Growable.Doubles[] loopDelay = new Growable.Doubles[DELAY_STATS];

    final Growable.Ints gcFile = new Growable.Ints();
    final Growable.Longs gcLine = new Growable.Longs();
    final Growable.Longs gcPid = new Growable.Longs();
    final Growable.Longs gcIsolate = new Growable.Longs();
    final Growable.Doubles gcUptime = new Growable.Doubles();
    final Growable.Ints gcType = new Growable.Ints();
    final Growable.Ints gcFull = new Growable.Ints();
    final Growable.Ints gcReduce = new Growable.Ints();
    final Growable.Doubles gcBefore = new Growable.Doubles();
    final Growable.Doubles gcCommittedBefore = new Growable.Doubles();
    final Growable.Doubles gcAfter = new Growable.Doubles();
    final Growable.Doubles gcCommittedAfter = new Growable.Doubles();
    final Growable.Doubles gcPause = new Growable.Doubles();
    final Growable.Doubles gcExternal = new Growable.Doubles();
    final Growable.Doubles gcIncremental = new Growable.Doubles();
    final Growable.Doubles gcMuAvg = new Growable.Doubles();
    final Growable.Doubles gcMuCur = new Growable.Doubles();
    final Growable.Ints gcReason = new Growable.Ints();
    final Growable.Ints gcCollectorReason = new Growable.Ints();
    /** Per row: the latest wall time seen before the line minus the uptime (a lower bound of process start). */
    final Growable.Longs gcWall = new Growable.Longs();

    final Growable.Ints errFile = new Growable.Ints();
    final Growable.Longs errLine = new Growable.Longs();
    final Growable.Longs errTime = new Growable.Longs();
    final List<String> errCode = new ArrayList<>();
    final List<String> errMessage = new ArrayList<>();

    final Growable.Ints warnFile = new Growable.Ints();
    final Growable.Longs warnLine = new Growable.Longs();
    final Growable.Longs warnOffset = new Growable.Longs();
    final List<String> warnMessage = new ArrayList<>();
    final List<String> warnText = new ArrayList<>();

    /** Lines that carried a wall-clock time (one entry per change of time): file, line, epoch ms. */
    final Growable.Ints timelineFile = new Growable.Ints();
    final Growable.Longs timelineLine = new Growable.Longs();
    final Growable.Longs timelineMs = new Growable.Longs();

    /** The largest heap size limit any line reported (v8.getHeapStatistics().heap_size_limit), or 0. */
    long heapLimit;

    final List<String> strings = new ArrayList<>();
    private final Map<String, Integer> stringIds = new HashMap<>();

    LogData() {
        for (int i = 0; i < DELAY_STATS; i++) {
            loopDelay[i] = new Growable.Doubles();
        }
    }

    int intern(String s) {
        Integer id = stringIds.get(s);
        if (id == null) {
            id = strings.size();
            strings.add(s);
            stringIds.put(s, id);
        }
        return id;
    }

    void addError(int file, long line, long time, String code, String message) {
        errFile.add(file);
        errLine.add(line);
        errTime.add(time);
        errCode.add(code);
        errMessage.add(message);
        kinds[KIND_ERROR]++;
    }

    private static final int MAX_WARNINGS = 10_000;
    long warningsDropped;

    void warn(int file, long line, long offset, String message, String text) {
        if (warnMessage.size() >= MAX_WARNINGS) {
            warningsDropped++;
            return;
        }
        warnFile.add(file);
        warnLine.add(line);
        warnOffset.add(offset);
        warnMessage.add(message);
        warnText.add(text);
    }

    long recognised(long[] k) {
        long n = 0;
        for (int i = KIND_INSPECT_BLOCK; i <= KIND_ERROR; i++) {
            n += k[i];
        }
        return n;
    }
}
