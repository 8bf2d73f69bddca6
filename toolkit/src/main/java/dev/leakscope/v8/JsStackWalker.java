package dev.leakscope.v8;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the JavaScript frames of a thread's stack by the frame-pointer chain, with V8's frame layout from
 * the postmortem metadata: a slot below the frame pointer holds either a frame-type marker (entry, exit,
 * builtin and other typed frames) or the context of a JavaScript frame, whose function sits at
 * {@code off_fp_function}. Interpreted frames also hold their BytecodeArray and bytecode offset, which
 * the bytecode's source position table turns into a script offset and so a line. When the thread stopped
 * in native code whose frame pointer is not a chain, the walk starts from the first slot of the stack that
 * looks like a JavaScript frame.
 */
public final class JsStackWalker {

    /** One frame: function name, script, 1-based line (0 when unknown), how the line was found. */
    public record Frame(int index, String kind, String function, String script, int line, int column, String lineKind,
                        long fp, long pc) {
    }

    private static final int MAX_FRAMES = 1024;
    private static final long MAX_STACK = 64L << 20;

    private final V8Reader r;
    private final ProcessMemory mem;
    private final int offFunction;
    private final int offContext;
    private final int offBytecodeArray;
    private final int offBytecodeOffset;
    private final Map<Integer, String> frameTypes = new HashMap<>();

    public JsStackWalker(V8Reader r) {
        this.r = r;
        this.mem = r.memory();
        V8Metadata md = r.metadata();
        offFunction = (int) md.get("v8dbg_off_fp_function");
        offContext = (int) md.get("v8dbg_off_fp_context_or_frame_type", md.get("v8dbg_off_fp_context", -8));
        offBytecodeArray = (int) md.get("v8dbg_off_fp_bytecode_array", 0);
        offBytecodeOffset = (int) md.get("v8dbg_off_fp_bytecode_offset", 0);
        for (V8Metadata.Constant c : md.all()) {
            if (c.name().startsWith("v8dbg_frametype_")) {
                frameTypes.put((int) c.value(), c.name().substring("v8dbg_frametype_".length()));
            }
        }
    }

    /**
     * The frames of thread {@code t}, innermost first: JavaScript frames and the V8 frames around them (entry,
     * exit, internal…). Native C++ frames are walked through but not listed (gdb shows those).
     */
    public List<Frame> walk(ProcessMemory.ThreadRegisters t) {
        long sp = t.sp();
        long top = stackEnd(sp);
        List<Frame> frames = chain(t.fp(), t.pc(), sp, top);
        if (frames.stream().noneMatch(f -> f.kind().equals("js"))) {
            long start = firstJsFrame(sp, top);
            if (start != 0) {
                frames = chain(start, 0, sp, top);
            }
        }
        return keepV8Frames(frames);
    }

    /**
     * Drops native frames and frame-type markers that are only C++ data: a typed frame counts when it follows
     * a JavaScript or typed frame that is not an entry frame (where C++ begins), or when it is an exit frame
     * whose caller is JavaScript.
     */
    private List<Frame> keepV8Frames(List<Frame> all) {
        List<Frame> out = new ArrayList<>();
        boolean inV8 = false;
        for (int i = 0; i < all.size(); i++) {
            Frame f = all.get(i);
            boolean js = f.kind().equals("js");
            boolean typed = !js && !f.kind().equals("native");
            boolean exitToJs = typed && f.kind().contains("Exit") && i + 1 < all.size() && all.get(i + 1).kind().equals("js");
            boolean keep = js || exitToJs || (typed && inV8);
            if (keep) {
                out.add(new Frame(out.size(), f.kind(), f.function(), f.script(), f.line(), f.column(), f.lineKind(),
                        f.fp(), f.pc()));
                inV8 = !f.kind().endsWith("EntryFrame");
            } else {
                inV8 = false;
            }
        }
        return out;
    }

    private long stackEnd(long sp) {
        for (ProcessMemory.Region g : mem.regions()) {
            if (sp >= g.start() && sp < g.end()) {
                return Math.min(g.end(), sp + MAX_STACK);
            }
        }
        return sp;
    }

    private List<Frame> chain(long fp, long pc, long sp, long top) {
        List<Frame> out = new ArrayList<>();
        long prev = sp - 1;
        while (out.size() < MAX_FRAMES && fp > prev && fp >= sp && fp + 16 <= top && (fp & 7) == 0) {
            Frame f = frame(out.size(), fp, pc);
            if (f != null) {
                out.add(f);
            }
            prev = fp;
            pc = mem.word(fp + 8);
            fp = mem.word(fp);
        }
        return out;
    }

    private long firstJsFrame(long sp, long top) {
        for (long a = sp & ~7L; a + 16 <= top; a += 8) {
            long saved = mem.word(a);
            if (saved > a && saved < top && isJsFrame(a) && isJsFrame(saved) | mem.word(saved) > saved) {
                return a;
            }
        }
        return 0;
    }

    private boolean isJsFrame(long fp) {
        long ctx = mem.word(fp + offContext);
        return r.isHeapObject(ctx) && r.isFunction(mem.word(fp + offFunction));
    }

    private Frame frame(int index, long fp, long pc) {
        long marker = mem.word(fp + offContext);
        if ((marker & 1) == 0) {
            long type = marker >> 1;
            String name = frameTypes.get((int) type);
            if (type > 0 && type < 64 && name != null) {
                return new Frame(index, name, null, null, 0, 0, null, fp, pc);
            }
            return new Frame(index, "native", null, null, 0, 0, null, fp, pc);
        }
        long fn = mem.word(fp + offFunction);
        if (!r.isHeapObject(marker) || !r.isFunction(fn)) {
            return new Frame(index, "native", null, null, 0, 0, null, fp, pc);
        }
        String name = r.functionName(fn);
        long sfi = r.field(fn, r.fnShared);
        long script = r.field(sfi, r.sfiScriptOrDebugInfo);
        String scriptName = null;
        String source = null;
        long lineEnds = 0;
        if (r.instanceType(script) == r.typeScript) {
            long n = r.field(script, r.scriptName);
            scriptName = r.isString(r.instanceType(n)) ? r.string(n, 4096) : null;
            lineEnds = r.scriptLineEnds >= 0 ? r.field(script, r.scriptLineEnds) : 0;
            long src = r.field(script, r.scriptSource);
            if (r.isString(r.instanceType(src))) {
                source = r.string(src, 16 << 20);
            }
        }
        int pos = -1;
        String lineKind = null;
        long bytecode = offBytecodeArray != 0 ? mem.word(fp + offBytecodeArray) : 0;
        long bcOffset = offBytecodeOffset != 0 ? mem.word(fp + offBytecodeOffset) : 1;
        if (r.instanceType(bytecode) == r.typeBytecodeArray && r.isSmi(bcOffset) && r.bytecodeData > 0) {
            // the slot holds the offset from the tagged BytecodeArray pointer: header size minus the tag
            long offset = r.smi(bcOffset) - (r.bytecodeData - r.heapObjectTag);
            pos = sourcePosition(bytecode, offset);
            lineKind = pos >= 0 ? "current" : null;
        }
        if (pos < 0) {
            long data = r.bytecodeArray(sfi);
            if (data != 0) {
                pos = sourcePosition(data, 0);
                lineKind = pos >= 0 ? "functionStart" : null;
            }
        }
        int line = 0;
        int column = 0;
        if (pos >= 0 && source != null && pos <= source.length()) {
            int ln = 1;
            int lastNl = -1;
            for (int i = 0; i < pos; i++) {
                if (source.charAt(i) == '\n') {
                    ln++;
                    lastNl = i;
                }
            }
            line = ln;
            column = pos - lastNl;
        } else if (pos >= 0 && r.instanceType(lineEnds) == r.typeFixedArray) {
            long len = r.smi(r.field(lineEnds, r.fixedArrayLength));
            int ln = 1;
            for (int i = 0; i < len && i < 10_000_000; i++) {
                if (r.smi(r.field(lineEnds, r.fixedArrayData + 8 * i)) >= pos) {
                    break;
                }
                ln++;
            }
            line = ln;
        } else {
            lineKind = null;
        }
        String kind = "js";
        return new Frame(index, kind, name == null ? "?" : name.isEmpty() ? "(anonymous)" : name, scriptName, line,
                column, lineKind, fp, pc);
    }

    /** The name of the script of a SharedFunctionInfo, or null. */
    public String scriptName(long sfi) {
        long script = r.field(sfi, r.sfiScriptOrDebugInfo);
        if (r.instanceType(script) != r.typeScript) {
            return null;
        }
        long n = r.field(script, r.scriptName);
        return r.isString(r.instanceType(n)) ? r.string(n, 4096) : null;
    }

    /** The line of a function's first source position (from its bytecode), or 0 when not known. */
    public int firstLine(long sfi) {
        long bc = r.bytecodeArray(sfi);
        if (bc == 0) {
            return 0;
        }
        int pos = sourcePosition(bc, 0);
        long script = r.field(sfi, r.sfiScriptOrDebugInfo);
        if (pos < 0 || r.instanceType(script) != r.typeScript) {
            return 0;
        }
        String src = sources.computeIfAbsent(script, s -> {
            long str = r.field(s, r.scriptSource);
            return r.isString(r.instanceType(str)) ? r.string(str, 16 << 20) : "";
        });
        if (pos > src.length()) {
            return 0;
        }
        int ln = 1;
        for (int i = 0; i < pos; i++) {
            if (src.charAt(i) == '\n') {
                ln++;
            }
        }
        return ln;
    }

    private final Map<Long, String> sources = new HashMap<>();

    /**
     * The script offset for bytecode offset {@code offset}: the last entry of the BytecodeArray's source
     * position table at or before it. The table is a ByteArray of (code offset, source position) deltas,
     * each a zig-zag VLQ; a negative code offset marks an expression (not statement) position.
     */
    private int sourcePosition(long bytecode, long offset) {
        long table = r.field(bytecode, r.bytecodeSourcePositions);
        int tt = r.instanceType(table);
        if (tt < 0 || (tt != r.typeByteArray && tt != r.typeTrustedByteArray)) {
            return -1;
        }
        long len = r.smi(r.field(table, r.fixedArrayLength));
        if (len <= 0 || len > (16 << 20)) {
            return -1;
        }
        byte[] b = new byte[(int) len];
        if (!mem.read(table - 1 + r.fixedArrayData, b, 0, b.length)) {
            return -1;
        }
        int[] p = {0};
        long code = 0;
        long source = 0;
        int best = -1;
        while (p[0] < b.length) {
            long dc = vlq(b, p);
            long ds = vlq(b, p);
            if (dc < 0) {
                dc = -dc - 1;   // expression position
            }
            code += dc;
            source += ds;
            if (code > offset && best >= 0) {
                break;
            }
            // SourcePosition: bit 0 external, then the script offset + 1 in 30 bits
            best = (int) (((source >> 1) & ((1L << 30) - 1)) - 1);
        }
        return best;
    }

    private static long vlq(byte[] b, int[] p) {
        long v = 0;
        int shift = 0;
        while (p[0] < b.length) {
            int x = b[p[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            shift += 7;
            if ((x & 0x80) == 0) {
                break;
            }
        }
        return (v >>> 1) ^ -(v & 1);
    }
}
