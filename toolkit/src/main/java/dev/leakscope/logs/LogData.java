package dev.leakscope.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@link LogScanner} read from one or more files: primitive columns, one row per record. */
final class LogData {

    static final int KIND_INSPECT_BLOCK = 1, KIND_KEY_VALUE = 2, KIND_JSON_MEMORY = 3, KIND_JSON_EVENT_LOOP = 4,
            KIND_GC = 5, KIND_GC_NVP = 6, KIND_ERROR = 7, KIND_TIMESTAMP = 8, KIND_OTHER = 9, KIND_EMPTY = 10;
    static final String[] KIND_NAMES = {"", "memoryUsage (inspect)", "memoryUsage (key: value lines)",
            "memoryUsage (JSON line)", "event loop (JSON line)", "--trace-gc", "--trace-gc-nvp", "error line",
            "timestamp line", "other", "(empty file)"};
    static final int MIN = 0, MEAN = 1, P50 = 2, P90 = 3, P99 = 4, MAX = 5, DELAY_STATS = 6;

    final List<String> files = new ArrayList<>();
    final List<long[]> kindsPerFile = new ArrayList<>();
    long[] kinds = new long[11];

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

    // byte-slice interning: open addressing over ids of {@link #strings}, without a String per lookup
    private int[] slots = new int[1024];
    private byte[][] slotBytes = new byte[1024][];
    private int used;

    {
        java.util.Arrays.fill(slots, -1);
    }

    /** The id of the ISO-8859-1 text {@code b[s..e)} trimmed of spaces, added on first sight. */
    int intern(byte[] b, int s, int e) {
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        int h = 1;
        for (int i = s; i < e; i++) {
            h = 31 * h + b[i];
        }
        int mask = slots.length - 1;
        int i = (h ^ (h >>> 16)) & mask;
        while (slots[i] >= 0) {
            byte[] k = slotBytes[i];
            if (k.length == e - s && java.util.Arrays.equals(k, 0, k.length, b, s, e)) {
                return slots[i];
            }
            i = (i + 1) & mask;
        }
        byte[] key = java.util.Arrays.copyOfRange(b, s, e);
        int id = intern(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1));
        slots[i] = id;
        slotBytes[i] = key;
        if (++used * 2 > slots.length) {
            int[] os = slots;
            byte[][] ob = slotBytes;
            slots = new int[os.length * 2];
            slotBytes = new byte[os.length * 2][];
            java.util.Arrays.fill(slots, -1);
            int m2 = slots.length - 1;
            for (int k = 0; k < os.length; k++) {
                if (os[k] >= 0) {
                    int hh = 1;
                    for (byte x : ob[k]) {
                        hh = 31 * hh + x;
                    }
                    int j = (hh ^ (hh >>> 16)) & m2;
                    while (slots[j] >= 0) {
                        j = (j + 1) & m2;
                    }
                    slots[j] = os[k];
                    slotBytes[j] = ob[k];
                }
            }
        }
        return id;
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

    /** Appends everything {@code p} (one chunk of file {@code file}, scanned alone) read; its lines and offsets shift. */
    void append(LogData p, int file, long lineBase, long offsetBase) {
        int[] ids = new int[p.strings.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = intern(p.strings.get(i));
        }
        memFile.fill(file, p.memLine.n);
        shifted(memLine, p.memLine, lineBase);
        memTime.addAll(p.memTime);
        for (int f = 0; f < mem.length; f++) {
            mem[f].addAll(p.mem[f]);
        }
        loopFile.fill(file, p.loopLine.n);
        shifted(loopLine, p.loopLine, lineBase);
        loopTime.addAll(p.loopTime);
        loopElu.addAll(p.loopElu);
        for (int k = 0; k < DELAY_STATS; k++) {
            loopDelay[k].addAll(p.loopDelay[k]);
        }
        gcFile.fill(file, p.gcLine.n);
        shifted(gcLine, p.gcLine, lineBase);
        gcPid.addAll(p.gcPid);
        gcIsolate.addAll(p.gcIsolate);
        gcUptime.addAll(p.gcUptime);
        mapped(gcType, p.gcType, ids);
        gcFull.addAll(p.gcFull);
        gcReduce.addAll(p.gcReduce);
        gcBefore.addAll(p.gcBefore);
        gcCommittedBefore.addAll(p.gcCommittedBefore);
        gcAfter.addAll(p.gcAfter);
        gcCommittedAfter.addAll(p.gcCommittedAfter);
        gcPause.addAll(p.gcPause);
        gcExternal.addAll(p.gcExternal);
        gcIncremental.addAll(p.gcIncremental);
        gcMuAvg.addAll(p.gcMuAvg);
        gcMuCur.addAll(p.gcMuCur);
        mapped(gcReason, p.gcReason, ids);
        mapped(gcCollectorReason, p.gcCollectorReason, ids);
        gcWall.addAll(p.gcWall);
        for (int i = 0; i < p.errLine.n; i++) {
            errFile.add(file);
            errLine.add(p.errLine.a[i] + lineBase);
            errTime.add(p.errTime.a[i]);
            errCode.add(p.errCode.get(i));
            errMessage.add(p.errMessage.get(i));
        }
        for (int i = 0; i < p.warnLine.n; i++) {
            warn(file, p.warnLine.a[i] + lineBase, p.warnOffset.a[i] + offsetBase, p.warnMessage.get(i), p.warnText.get(i));
        }
        warningsDropped += p.warningsDropped;
        for (int i = 0; i < p.timelineLine.n; i++) {
            timelineFile.add(file);
            timelineLine.add(p.timelineLine.a[i] + lineBase);
            timelineMs.add(p.timelineMs.a[i]);
        }
        heapLimit = Math.max(heapLimit, p.heapLimit);
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] += p.kinds[i];
        }
    }

    private static void shifted(Growable.Longs to, Growable.Longs from, long delta) {
        int base = to.n;
        to.addAll(from);
        for (int i = base; i < to.n; i++) {
            to.a[i] += delta;
        }
    }

    private static void mapped(Growable.Ints to, Growable.Ints from, int[] ids) {
        int base = to.n;
        to.addAll(from);
        for (int i = base; i < to.n; i++) {
            to.a[i] = ids[to.a[i]];
        }
    }

    long recognised(long[] k) {
        long n = 0;
        for (int i = KIND_INSPECT_BLOCK; i <= KIND_ERROR; i++) {
            n += k[i];
        }
        return n;
    }
}
