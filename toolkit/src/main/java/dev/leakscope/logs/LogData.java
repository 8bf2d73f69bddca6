package dev.leakscope.logs;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link LogScanner} read from one or more files: primitive columns (fastutil lists, no object per value), one
 * row per record. A missing value is {@link Long#MIN_VALUE} in a long column, NaN in a double column.
 */
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

    final IntArrayList memFile = new IntArrayList();
    final LongArrayList memLine = new LongArrayList();
    final LongArrayList memTime = new LongArrayList();
    final LongArrayList[] mem = {new LongArrayList(), new LongArrayList(), new LongArrayList(),
            new LongArrayList(), new LongArrayList()};

    final IntArrayList loopFile = new IntArrayList();
    final LongArrayList loopLine = new LongArrayList();
    final LongArrayList loopTime = new LongArrayList();
    final DoubleArrayList loopElu = new DoubleArrayList();
    final DoubleArrayList[] loopDelay = new DoubleArrayList[DELAY_STATS];

    final IntArrayList gcFile = new IntArrayList();
    final LongArrayList gcLine = new LongArrayList();
    final LongArrayList gcPid = new LongArrayList();
    final LongArrayList gcIsolate = new LongArrayList();
    final DoubleArrayList gcUptime = new DoubleArrayList();
    final IntArrayList gcType = new IntArrayList();
    final IntArrayList gcFull = new IntArrayList();
    final IntArrayList gcReduce = new IntArrayList();
    final DoubleArrayList gcBefore = new DoubleArrayList();
    final DoubleArrayList gcCommittedBefore = new DoubleArrayList();
    final DoubleArrayList gcAfter = new DoubleArrayList();
    final DoubleArrayList gcCommittedAfter = new DoubleArrayList();
    final DoubleArrayList gcPause = new DoubleArrayList();
    final DoubleArrayList gcExternal = new DoubleArrayList();
    final DoubleArrayList gcIncremental = new DoubleArrayList();
    final DoubleArrayList gcMuAvg = new DoubleArrayList();
    final DoubleArrayList gcMuCur = new DoubleArrayList();
    final IntArrayList gcReason = new IntArrayList();
    final IntArrayList gcCollectorReason = new IntArrayList();
    /** Per row: the latest wall time seen before the line minus the uptime (a lower bound of process start). */
    final LongArrayList gcWall = new LongArrayList();

    final IntArrayList errFile = new IntArrayList();
    final LongArrayList errLine = new LongArrayList();
    final LongArrayList errTime = new LongArrayList();
    final List<String> errCode = new ArrayList<>();
    final List<String> errMessage = new ArrayList<>();

    final IntArrayList warnFile = new IntArrayList();
    final LongArrayList warnLine = new LongArrayList();
    final LongArrayList warnOffset = new LongArrayList();
    final List<String> warnMessage = new ArrayList<>();
    final List<String> warnText = new ArrayList<>();

    /** Lines that carried a wall-clock time (one entry per change of time): file, line, epoch ms. */
    final IntArrayList timelineFile = new IntArrayList();
    final LongArrayList timelineLine = new LongArrayList();
    final LongArrayList timelineMs = new LongArrayList();

    /** The largest heap size limit any line reported (v8.getHeapStatistics().heap_size_limit), or 0. */
    long heapLimit;

    final List<String> strings = new ArrayList<>();
    private final Map<String, Integer> stringIds = new HashMap<>();

    LogData() {
        for (int i = 0; i < DELAY_STATS; i++) {
            loopDelay[i] = new DoubleArrayList();
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
        addCopies(memFile, file, p.memLine.size());
        shifted(memLine, p.memLine, lineBase);
        memTime.addAll(p.memTime);
        for (int f = 0; f < mem.length; f++) {
            mem[f].addAll(p.mem[f]);
        }
        addCopies(loopFile, file, p.loopLine.size());
        shifted(loopLine, p.loopLine, lineBase);
        loopTime.addAll(p.loopTime);
        loopElu.addAll(p.loopElu);
        for (int k = 0; k < DELAY_STATS; k++) {
            loopDelay[k].addAll(p.loopDelay[k]);
        }
        addCopies(gcFile, file, p.gcLine.size());
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
        for (int i = 0; i < p.errLine.size(); i++) {
            errFile.add(file);
            errLine.add(p.errLine.getLong(i) + lineBase);
            errTime.add(p.errTime.getLong(i));
            errCode.add(p.errCode.get(i));
            errMessage.add(p.errMessage.get(i));
        }
        for (int i = 0; i < p.warnLine.size(); i++) {
            warn(file, p.warnLine.getLong(i) + lineBase, p.warnOffset.getLong(i) + offsetBase, p.warnMessage.get(i), p.warnText.get(i));
        }
        warningsDropped += p.warningsDropped;
        for (int i = 0; i < p.timelineLine.size(); i++) {
            timelineFile.add(file);
            timelineLine.add(p.timelineLine.getLong(i) + lineBase);
            timelineMs.add(p.timelineMs.getLong(i));
        }
        heapLimit = Math.max(heapLimit, p.heapLimit);
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] += p.kinds[i];
        }
    }

    private static void addCopies(IntArrayList to, int v, int m) {
        to.ensureCapacity(to.size() + m);
        for (int i = 0; i < m; i++) {
            to.add(v);
        }
    }

    private static void shifted(LongArrayList to, LongArrayList from, long delta) {
        to.ensureCapacity(to.size() + from.size());
        for (int i = 0; i < from.size(); i++) {
            to.add(from.getLong(i) + delta);
        }
    }

    private static void mapped(IntArrayList to, IntArrayList from, int[] ids) {
        to.ensureCapacity(to.size() + from.size());
        for (int i = 0; i < from.size(); i++) {
            to.add(ids[from.getInt(i)]);
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
