package dev.leakscope.v8;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * V8's postmortem metadata: the {@code v8dbg_*} and {@code nodedbg_*} constants the node binary exports
 * (offsets of fields, instance types, tags, frame layout). Values are read from the binary's file; where the
 * file holds 0 (the symbol lives in {@code .bss}, or the value is computed at start-up as the {@code nodedbg_*}
 * ones are) the value is read from the process memory at the symbol's address, when a core is given.
 */
public final class V8Metadata {

    /** Where a value came from. */
    public enum Origin { BINARY, CORE, ZERO }

    /** One constant: name, value, origin, address in the binary. */
    public record Constant(String name, long value, Origin origin, long address) {
    }

    private final Map<String, Constant> constants;
    private final String binary;

    private V8Metadata(Map<String, Constant> constants, String binary) {
        this.constants = Collections.unmodifiableNavigableMap((java.util.NavigableMap<String, Constant>) constants);
        this.binary = binary;
    }

    /**
     * Reads the constants of {@code elf}; {@code memory} (may be null) supplies values the file holds as 0, at
     * the symbol address plus {@code loadBias} (0 for a non-PIE executable).
     */
    public static V8Metadata load(ElfBinary elf, ProcessMemory memory, long loadBias) {
        Map<String, ElfBinary.Symbol> syms = elf.symbols(n -> n.startsWith("v8dbg_") || n.startsWith("nodedbg_"));
        if (syms.isEmpty()) {
            throw new V8Exception(elf.path() + ": no v8dbg_* symbols: not a node binary with V8 postmortem metadata"
                    + " (give the node binary that produced the core: withBinary(path), or --binary on the command line)");
        }
        Map<String, Constant> out = new TreeMap<>();
        for (ElfBinary.Symbol s : syms.values()) {
            int size = s.size() == 8 ? 8 : 4;
            byte[] b = elf.readVirtual(s.value(), size);
            long v = b == null ? 0 : decode(b, size);
            Origin origin = b == null ? Origin.ZERO : Origin.BINARY;
            if (v == 0 && memory != null) {
                byte[] m = new byte[size];
                if (memory.read(s.value() + loadBias, m, 0, size)) {
                    long mv = decode(m, size);
                    if (mv != 0) {
                        v = mv;
                        origin = Origin.CORE;
                    }
                }
            }
            if (v == 0) {
                origin = Origin.ZERO;
            }
            out.put(s.name(), new Constant(s.name(), v, origin, s.value()));
        }
        return new V8Metadata(out, elf.path().toString());
    }

    private static long decode(byte[] b, int size) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return size == 8 ? bb.getLong(0) : bb.getInt(0);
    }

    /** The value of {@code name}; a {@link V8Exception} naming the binary when the symbol is missing. */
    public long get(String name) {
        Constant c = constants.get(name);
        if (c == null) {
            throw new V8Exception(binary + ": V8 postmortem symbol " + name + " is missing (this node version's"
                    + " metadata differs from what leakscope knows)");
        }
        return c.value();
    }

    /** The value of {@code name}, or {@code dflt} when the binary does not export it. */
    public long get(String name, long dflt) {
        Constant c = constants.get(name);
        return c == null ? dflt : c.value();
    }

    /**
     * The offset of field {@code field} of class {@code cls}, from {@code v8dbg_class_<cls>__<field>__<type>}
     * whatever the type suffix (V8 11 writes {@code __Object}, V8 12 {@code __Tagged_Object_}); a
     * {@link V8Exception} naming the binary when the binary exports no such field.
     */
    public long field(String cls, String field) {
        long v = field(cls, field, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE) {
            throw new V8Exception(binary + ": V8 postmortem symbol v8dbg_class_" + cls + "__" + field + "__* is missing"
                    + " (this node version's metadata differs from what leakscope knows)");
        }
        return v;
    }

    /** Like {@link #field(String, String)}, or {@code dflt} when the binary does not export the field. */
    public long field(String cls, String field, long dflt) {
        String prefix = "v8dbg_class_" + cls + "__" + field + "__";
        for (Constant c : ((java.util.NavigableMap<String, Constant>) constants).tailMap(prefix, true).values()) {
            if (!c.name().startsWith(prefix)) {
                break;
            }
            return c.value();
        }
        return dflt;
    }

    public boolean has(String name) {
        return constants.containsKey(name);
    }

    /** Every constant, sorted by name. */
    public List<Constant> all() {
        return new ArrayList<>(constants.values());
    }

    /** The binary the constants were read from. */
    public String binary() {
        return binary;
    }

    /**
     * Instance type names by value, from the {@code v8dbg_type_Class__NAME_TYPE} symbols (e.g. 1057 →
     * "JS_OBJECT_TYPE"); types the binary does not export are absent.
     */
    public Map<Integer, String> typeNames() {
        Map<Integer, String> m = new TreeMap<>();
        for (Constant c : constants.values()) {
            String n = c.name();
            if (n.startsWith("v8dbg_type_")) {
                int sep = n.indexOf("__", "v8dbg_type_".length());
                if (sep > 0) {
                    m.putIfAbsent((int) c.value(), n.substring(sep + 2));
                }
            }
        }
        return m;
    }
}
