package dev.leakscope.v8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Reads V8 heap objects out of process memory, with the layout the binary's postmortem metadata gives:
 * tagging, maps and instance types, constructor names (following the map's back pointers to the
 * constructor's SharedFunctionInfo), strings of every representation, and the named properties of an
 * object. Every read is bounds-checked against the core: bad pointers give null/unknown, never an exception.
 */
public final class V8Reader {

    /** A named property of an object and its value, rendered as text, with its JavaScript type. */
    public record Property(String name, String value, String type) {
    }

    private final ProcessMemory mem;
    private final V8Metadata md;
    final Map<Integer, String> typeNames;

    // tagging
    final long tagMask;
    final long heapObjectTag;
    final int smiShift;
    // Map
    final int offMap;
    final int mapInstanceType;
    final int mapInstanceSizeWords;
    final int mapInobjectStart;
    final int mapBitField2;
    final int mapBitField3;
    final int mapPrototype;
    final int mapConstructor;
    final int mapDescriptors;
    final int bf3OwnMask;
    final int bf3OwnShift;
    final int bf3DictShift;
    // instance types
    final int typeMap;
    final int typeFirstNonString;
    final int typeJsFunction;
    final int typeFirstClosure;
    final int typeFirstReceiver;
    final int typeSfi;
    final int typeScopeInfo;
    final int typeOddball;
    final int typeHeapNumber;
    final int typeJsArray;
    final int typeJsObject;
    final int typeFixedArray;
    final int typeByteArray;
    final int typeTrustedByteArray;
    final int typeBytecodeArray;
    final int typeFixedDoubleArray;
    final int typePropertyArray;
    final int typeFirstContext;
    final int typeLastContext;
    final int typeSymbol;
    final int typeWeakArrayList;
    final int typeScript;
    /** The first exported instance type above JS_FUNCTION_TYPE: JS function subtypes lie below it. */
    final int typeAfterFunctions;
    // strings
    final int strLength;
    final int strRepMask;
    final int strEncMask;
    final int oneByteTag;
    final int seqTag;
    final int consTag;
    final int slicedTag;
    final int thinTag;
    final int externalTag;
    final int seqChars;
    final int consFirst;
    final int consSecond;
    final int slicedParent;
    final int slicedOffset;
    final int thinActual;
    final int externalResource;
    // objects and functions
    final int recvProperties;
    final int jsObjectElements;
    final int jsArrayLength;
    final int fnShared;
    final int sfiNameOrScopeInfo;
    final int sfiScriptOrDebugInfo;
    final int sfiFunctionData;
    final int fixedArrayLength;
    final int fixedArrayData;
    final int heapNumberValue;
    final int oddballToString;
    final int descHeader;
    final int descEntrySize;
    final int descKey;
    final int descDetails;
    final int descValue;
    final int propLocationMask;
    final int propLocationShift;
    final int propLocationField;
    final int propIndexMask;
    final int propIndexShift;
    final int propKindMask;
    final int propKindAccessor;
    final int dictPrefixStart;
    final int dictPrefixSize;
    final int dictEntrySize;
    final int scriptName;
    final int scriptSource;
    final int scriptLineEnds;
    final int bytecodeData;
    final int bytecodeSourcePositions;
    final int typeCode;
    final int typeInterpreterData;
    final int codeBytecodeOrInterpreterData;
    final int symbolName;

    public V8Reader(ProcessMemory mem, V8Metadata md) {
        this.mem = mem;
        this.md = md;
        this.typeNames = md.typeNames();
        long tagSize = md.get("v8dbg_TaggedSize", 8);
        if (tagSize != 8 || md.get("v8dbg_SmiShiftSize", 31) != 31) {
            throw new V8Exception(md.binary() + ": V8 with pointer compression or 31-bit Smis (TaggedSize="
                    + tagSize + ", SmiShiftSize=" + md.get("v8dbg_SmiShiftSize", -1)
                    + ") is not supported; leakscope reads 64-bit uncompressed heaps (official node builds)");
        }
        tagMask = md.get("v8dbg_HeapObjectTagMask", 3);
        heapObjectTag = md.get("v8dbg_HeapObjectTag", 1);
        smiShift = (int) md.get("v8dbg_SmiShiftSize", 31) + 1;
        offMap = (int) md.field("HeapObject", "map", 0);
        mapInstanceType = (int) md.field("Map", "instance_type");
        mapInstanceSizeWords = (int) md.field("Map", "instance_size_in_words");
        mapInobjectStart = (int) md.field("Map", "inobject_properties_start_or_constructor_function_index");
        mapBitField2 = (int) md.field("Map", "bit_field2");
        mapBitField3 = (int) md.field("Map", "bit_field3");
        mapPrototype = (int) md.field("Map", "prototype", 24);
        mapConstructor = (int) md.field("Map", "constructor_or_back_pointer");
        mapDescriptors = (int) md.field("Map", "instance_descriptors", md.get("v8dbg_class_Map__instance_descriptors_offset", 40));
        bf3OwnMask = (int) md.get("v8dbg_bit_field3_number_of_own_descriptors_mask");
        bf3OwnShift = (int) md.get("v8dbg_bit_field3_number_of_own_descriptors_shift");
        bf3DictShift = (int) md.get("v8dbg_bit_field3_is_dictionary_map_shift");

        typeMap = (int) md.get("v8dbg_type_Map__MAP_TYPE");
        typeFirstNonString = (int) md.get("v8dbg_FirstNonstringType");
        typeJsFunction = (int) md.get("v8dbg_type_JSFunction__JS_FUNCTION_TYPE");
        typeFirstClosure = (int) Math.min(typeJsFunction, md.get("v8dbg_type_JSBoundFunction__JS_BOUND_FUNCTION_TYPE", typeJsFunction));
        typeFirstReceiver = (int) md.get("v8dbg_type_JSProxy__JS_PROXY_TYPE", 1024);
        typeSfi = (int) md.get("v8dbg_type_SharedFunctionInfo__SHARED_FUNCTION_INFO_TYPE");
        typeScopeInfo = (int) md.get("v8dbg_type_ScopeInfo__SCOPE_INFO_TYPE", -1);
        typeOddball = (int) md.get("v8dbg_type_Oddball__ODDBALL_TYPE", -1);
        typeHeapNumber = (int) md.get("v8dbg_type_HeapNumber__HEAP_NUMBER_TYPE", -1);
        typeJsArray = (int) md.get("v8dbg_type_JSArray__JS_ARRAY_TYPE", -1);
        typeJsObject = (int) md.get("v8dbg_type_JSObject__JS_OBJECT_TYPE", -1);
        typeFixedArray = (int) md.get("v8dbg_type_FixedArray__FIXED_ARRAY_TYPE", -1);
        typeByteArray = (int) md.get("v8dbg_type_ByteArray__BYTE_ARRAY_TYPE", -1);
        typeTrustedByteArray = (int) md.get("v8dbg_type_TrustedByteArray__TRUSTED_BYTE_ARRAY_TYPE", -1);
        typeBytecodeArray = (int) md.get("v8dbg_type_BytecodeArray__BYTECODE_ARRAY_TYPE", -1);
        typeFixedDoubleArray = (int) md.get("v8dbg_type_FixedDoubleArray__FIXED_DOUBLE_ARRAY_TYPE", -1);
        typePropertyArray = (int) md.get("v8dbg_type_PropertyArray__PROPERTY_ARRAY_TYPE", -1);
        typeFirstContext = (int) md.get("v8dbg_FirstContextType", -1);
        typeLastContext = (int) md.get("v8dbg_LastContextType", -2);
        typeSymbol = (int) md.get("v8dbg_type_Symbol__SYMBOL_TYPE", -1);
        typeWeakArrayList = (int) md.get("v8dbg_type_WeakArrayList__WEAK_ARRAY_LIST_TYPE", -1);
        typeScript = (int) md.get("v8dbg_type_Script__SCRIPT_TYPE", -1);
        int after = Integer.MAX_VALUE;
        for (int t : typeNames.keySet()) {
            if (t > typeJsFunction && t < after) {
                after = t;
            }
        }
        typeAfterFunctions = after == Integer.MAX_VALUE ? typeJsFunction + 1 : after;

        strLength = (int) md.field("String", "length");
        strRepMask = (int) md.get("v8dbg_StringRepresentationMask");
        strEncMask = (int) md.get("v8dbg_StringEncodingMask");
        oneByteTag = (int) md.get("v8dbg_OneByteStringTag");
        seqTag = (int) md.get("v8dbg_SeqStringTag", 0);
        consTag = (int) md.get("v8dbg_ConsStringTag");
        slicedTag = (int) md.get("v8dbg_SlicedStringTag");
        thinTag = (int) md.get("v8dbg_ThinStringTag");
        externalTag = (int) md.get("v8dbg_ExternalStringTag");
        seqChars = (int) md.field("SeqOneByteString", "chars");
        consFirst = (int) md.field("ConsString", "first");
        consSecond = (int) md.field("ConsString", "second");
        slicedParent = (int) md.field("SlicedString", "parent");
        slicedOffset = (int) md.field("SlicedString", "offset");
        thinActual = (int) md.field("ThinString", "actual");
        externalResource = (int) md.field("ExternalString", "resource");

        recvProperties = (int) md.field("JSReceiver", "raw_properties_or_hash", 8);
        jsObjectElements = (int) md.field("JSObject", "elements", 16);
        jsArrayLength = (int) md.field("JSArray", "length", 24);
        fnShared = (int) md.field("JSFunction", "shared");
        sfiNameOrScopeInfo = (int) md.field("SharedFunctionInfo", "name_or_scope_info");
        // V8 11: script_or_debug_info; V8 12: script
        long sod = md.field("SharedFunctionInfo", "script_or_debug_info", -1);
        sfiScriptOrDebugInfo = (int) (sod >= 0 ? sod : md.field("SharedFunctionInfo", "script"));
        sfiFunctionData = (int) md.field("SharedFunctionInfo", "function_data", -1);   // not exported by V8 12
        fixedArrayLength = (int) md.field("FixedArrayBase", "length");
        fixedArrayData = (int) md.field("FixedArray", "data");
        heapNumberValue = (int) md.field("HeapNumber", "value", 8);
        oddballToString = (int) md.field("Oddball", "to_string", 16);
        descHeader = (int) md.field("DescriptorArray", "header_size");
        descEntrySize = (int) md.get("v8dbg_prop_desc_size");
        descKey = (int) md.get("v8dbg_prop_desc_key", 0);
        descDetails = (int) md.get("v8dbg_prop_desc_details");
        descValue = (int) md.get("v8dbg_prop_desc_value");
        propLocationMask = (int) md.get("v8dbg_prop_location_mask");
        propLocationShift = (int) md.get("v8dbg_prop_location_shift");
        propLocationField = (int) md.get("v8dbg_prop_location_Field", 0);
        propIndexMask = (int) md.get("v8dbg_prop_index_mask");
        propIndexShift = (int) md.get("v8dbg_prop_index_shift");
        propKindMask = (int) md.get("v8dbg_prop_kind_mask");
        propKindAccessor = (int) md.get("v8dbg_prop_kind_Accessor");
        dictPrefixStart = (int) md.get("v8dbg_namedictionary_prefix_start_index", 3);
        dictPrefixSize = (int) md.get("v8dbg_namedictionaryshape_prefix_size", 3);
        dictEntrySize = (int) md.get("v8dbg_namedictionaryshape_entry_size", 3);
        scriptName = (int) md.field("Script", "name");
        scriptSource = (int) md.field("Script", "source");
        scriptLineEnds = (int) md.field("Script", "line_ends", -1);
        bytecodeData = (int) md.field("BytecodeArray", "data", -1);
        // not exported: V8 11 has constant_pool, handler_table, source_position_table after the length; V8 12
        // (which exports the wrapper field) has wrapper, source_position_table, handler_table, constant_pool
        long wrapper = md.field("BytecodeArray", "wrapper", -1);
        bytecodeSourcePositions = (int) (wrapper > 0 ? wrapper + 8 : 32);
        typeCode = (int) md.get("v8dbg_type_Code__CODE_TYPE", -1);
        typeInterpreterData = (int) md.get("v8dbg_type_InterpreterData__INTERPRETER_DATA_TYPE", -1);
        codeBytecodeOrInterpreterData = (int) md.field("Code", "bytecode_or_interpreter_data", -1);
        symbolName = (int) md.field("Symbol", "name", -1);
    }

    /** Offset of JSFunction's SharedFunctionInfo. */
    public int sharedOffset() {
        return fnShared;
    }

    public ProcessMemory memory() {
        return mem;
    }

    public V8Metadata metadata() {
        return md;
    }

    // ---- tagging ----

    public boolean isHeapObject(long w) {
        return (w & tagMask) == heapObjectTag && (w & 7) == 1;
    }

    public boolean isSmi(long w) {
        return (w & 1) == 0;
    }

    public long smi(long w) {
        return w >> smiShift;
    }

    /** The word at byte {@code off} of the heap object {@code obj} (a tagged pointer). */
    public long field(long obj, int off) {
        return mem.word(obj - 1 + off);
    }

    public long mapOf(long obj) {
        return mem.word(obj - 1 + offMap);
    }

    public int instanceTypeOfMap(long map) {
        return mem.u16(map - 1 + mapInstanceType);
    }

    /** The instance type of {@code obj}, or -1 when {@code obj} is not a heap object with a valid-looking map. */
    public int instanceType(long obj) {
        if (!isHeapObject(obj)) {
            return -1;
        }
        long map = mapOf(obj);
        if (!isHeapObject(map)) {
            return -1;
        }
        long meta = mapOf(map);
        if (!isHeapObject(meta) || mapOf(meta) != meta) {
            return -1;
        }
        return instanceTypeOfMap(map);
    }

    /** True when {@code map} is a Map: its own map is the meta map (a map whose map is itself), of type MAP_TYPE. */
    public boolean isMap(long map) {
        if (!isHeapObject(map)) {
            return false;
        }
        long meta = mapOf(map);
        return isHeapObject(meta) && mapOf(meta) == meta && instanceTypeOfMap(meta) == typeMap;
    }

    public boolean isString(int type) {
        return type >= 0 && type < typeFirstNonString;
    }

    public boolean isReceiver(int type) {
        return type >= typeFirstReceiver;
    }

    /** A JSFunction (any subtype: class constructors, builtin constructors…) whose shared info is a SharedFunctionInfo. */
    public boolean isFunction(long obj) {
        int t = instanceType(obj);
        return t >= typeJsFunction && t < typeAfterFunctions && instanceType(field(obj, fnShared)) == typeSfi;
    }

    public boolean isFunctionType(int t) {
        return t >= typeJsFunction && t < typeAfterFunctions;
    }

    /** Functions and bound functions (what a heap snapshot calls closures). */
    public boolean isClosureType(int t) {
        return t >= typeFirstClosure && t < typeAfterFunctions;
    }

    /**
     * A cheap plausibility check of an object found by scanning, beyond its map: a function's shared info
     * is a SharedFunctionInfo, a string's length is sane, a JS object's properties slot is a Smi or a pointer.
     */
    public boolean plausible(long obj, int type) {
        if (isFunctionType(type)) {
            return instanceType(field(obj, fnShared)) == typeSfi;
        }
        if (isString(type)) {
            int len = stringLength(obj);
            return len >= 0 && len < (1 << 30);
        }
        if (isReceiver(type)) {
            // properties: a Smi (hash) or an object with a real map; elements (JSObject): an object with a real map
            long p = field(obj, recvProperties);
            if ((p & 1) != 0 && !isMap(mapOf(p))) {
                return false;
            }
            if (fixedInstanceSize(mapOf(obj)) >= jsObjectElements + 8) {
                long e = field(obj, jsObjectElements);
                return isHeapObject(e) && isMap(mapOf(e));
            }
            return true;
        }
        return true;
    }

    /** "FixedArray" for FIXED_ARRAY_TYPE; "type 2081" for types the binary does not export. */
    public String typeName(int type) {
        String n = typeNames.get(type);
        return n == null ? "type " + type : n;
    }

    // ---- sizes ----

    /** The fixed instance size of objects with this map, or 0 when the size varies per object. */
    public int fixedInstanceSize(long map) {
        return mem.u8(map - 1 + mapInstanceSizeWords) * 8;
    }

    /** The shallow size of a variable-size object of instance {@code type}, or -1 when leakscope cannot tell. */
    public int variableSize(long obj, int type) {
        if (isString(type)) {
            if ((type & strRepMask) != seqTag) {
                return -1;
            }
            long len = Integer.toUnsignedLong(mem.int32(obj - 1 + strLength));
            long bytes = (type & strEncMask) == oneByteTag ? len : 2 * len;
            return sane(align8(seqChars + bytes));
        }
        if ((type >= typeFixedArray && type < typeByteArray) || (type >= typeFirstContext && type <= typeLastContext)
                || type == typeFixedDoubleArray) {
            long len = smiField(obj, fixedArrayLength);
            return len < 0 ? -1 : sane(fixedArrayData + 8 * len);
        }
        if (type == typeByteArray) {
            long len = smiField(obj, fixedArrayLength);
            return len < 0 ? -1 : sane(align8(fixedArrayData + len));
        }
        if (type == typeBytecodeArray && bytecodeData > 0) {
            long len = smiField(obj, fixedArrayLength);
            return len < 0 ? -1 : sane(align8(bytecodeData + len));
        }
        if (type == typePropertyArray) {
            long v = smiField(obj, 8);
            return v < 0 ? -1 : sane(16 + 8 * (v & 0x3ff));
        }
        if (type == typeWeakArrayList) {
            long cap = smiField(obj, 8);
            return cap < 0 ? -1 : sane(24 + 8 * cap);
        }
        return -1;
    }

    private long smiField(long obj, int off) {
        long w = field(obj, off);
        if (!isSmi(w)) {
            return -1;
        }
        long v = smi(w);
        return v < 0 || v > (1L << 28) ? -1 : v;
    }

    private static long align8(long v) {
        return (v + 7) & ~7L;
    }

    private static int sane(long v) {
        return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    // ---- names ----

    /**
     * The function in constructor_or_back_pointer, following back pointers (Maps) up the transition tree;
     * 0 when there is none.
     */
    public long mapConstructorFunction(long map) {
        long c = field(map, mapConstructor);
        for (int i = 0; i < 4096 && isHeapObject(c) && isMap(c); i++) {
            c = field(c, mapConstructor);
        }
        return isHeapObject(c) && isFunction(c) ? c : 0;
    }

    /**
     * The constructor name of JS objects with this map, as DevTools' heap snapshot names them
     * (JSReceiver::GetConstructorName): (1) the map's constructor when the map is an instance's own initial
     * map (not a prototype map, new.target was the constructor itself); else (2) a string
     * {@code Symbol.toStringTag} on the prototype chain (so subclasses of Map are "Map"); else (3) the first
     * {@code constructor} property up the prototype chain (instances of {@code class B extends A} are "B",
     * though their map's constructor is A). "Object" names are skipped in (1) and (3); the fallback is
     * "Object" for prototypes and objects whose constructor is anonymous, else the map constructor's name.
     * Own properties of the object itself are not consulted (the answer is per map).
     */
    public String constructorName(long map) {
        int bf2 = mem.u8(map - 1 + mapBitField2);
        int bf3 = mem.int32(map - 1 + mapBitField3);
        boolean newTargetIsBase = (bf2 & 1) != 0;
        boolean prototypeMap = ((bf3 >>> (bf3DictShift - 1)) & 1) != 0;   // is_prototype_map precedes is_dictionary_map
        long ctor = mapConstructorFunction(map);
        String ctorName = ctor == 0 ? null : functionName(ctor);
        if (newTargetIsBase && !prototypeMap && ctorName != null && !ctorName.isEmpty() && !ctorName.equals("Object")) {
            return ctorName;
        }
        List<Long> chain = new ArrayList<>();
        long proto = field(map, mapPrototype);
        for (int depth = 0; depth < 32 && isReceiver(instanceType(proto)); depth++) {
            chain.add(proto);
            proto = field(mapOf(proto), mapPrototype);
        }
        for (long p : chain) {
            long tag = ownDataProperty(p, "Symbol(Symbol.toStringTag)");
            if (tag != 0 && isString(instanceType(tag))) {
                String t = string(tag, 256);
                if (t != null && !t.isEmpty()) {
                    return t;
                }
            }
        }
        for (long p : chain) {
            long c = ownDataProperty(p, "constructor");
            if (c != 0 && isFunction(c)) {
                String n = functionName(c);
                if (n != null && !n.isEmpty() && !n.equals("Object")) {
                    return n;
                }
            }
        }
        if (prototypeMap || (ctorName != null && ctorName.isEmpty())) {
            return "Object";
        }
        return ctorName;
    }

    /** The raw value of the own data property {@code name} of a JS object, 0 when absent or an accessor. */
    public long ownDataProperty(long obj, String name) {
        long[] found = {0};
        forEachProperty(obj, (key, value, accessor) -> {
            if (!accessor && found[0] == 0 && key.equals(name)) {
                found[0] = value;
            }
        });
        return found[0];
    }

    /** The name of a JSFunction (its SharedFunctionInfo's), "" for anonymous functions, null when unreadable. */
    public String functionName(long fn) {
        return sfiName(field(fn, fnShared));
    }

    /** The name of a SharedFunctionInfo: its name string, or the function name held in its ScopeInfo. */
    public String sfiName(long sfi) {
        long n = field(sfi, sfiNameOrScopeInfo);
        if (isSmi(n)) {
            return "";
        }
        int t = instanceType(n);
        if (isString(t)) {
            return string(n, 256);
        }
        if (t == typeScopeInfo) {
            return scopeInfoFunctionName(n);
        }
        return null;
    }

    /**
     * The function name in a ScopeInfo: after the header (flags, parameter count, context local count),
     * the context local names (inlined up to 75, else one hash table slot) and their infos, the first string
     * among the next few slots is the function variable's name (or the inferred name).
     */
    private String scopeInfoFunctionName(long si) {
        long locals = smiField(si, 24);
        if (locals < 0) {
            return null;
        }
        long nameSlots = locals < 75 ? locals : 1;
        long off = 32 + 8 * (nameSlots + locals);
        for (int i = 0; i < 4; i++) {
            long w = field(si, (int) (off + 8L * i));
            int t = instanceType(w);
            if (isString(t)) {
                return string(w, 256);
            }
        }
        return "";
    }

    /**
     * The BytecodeArray of a SharedFunctionInfo: its function_data directly, or through baseline Code
     * (bytecode_or_interpreter_data) and InterpreterData; 0 when the function has none (not compiled).
     */
    public long bytecodeArray(long sfi) {
        if (sfiFunctionData < 0) {
            return 0;
        }
        long d = field(sfi, sfiFunctionData);
        for (int hop = 0; hop < 3; hop++) {
            int t = instanceType(d);
            if (t < 0) {
                return 0;
            }
            if (t == typeBytecodeArray) {
                return d;
            } else if (t == typeCode && codeBytecodeOrInterpreterData > 0) {
                d = field(d, codeBytecodeOrInterpreterData);
            } else if (t == typeInterpreterData) {
                d = field(d, 8);
            } else {
                return 0;
            }
        }
        return 0;
    }

    // ---- strings ----

    /** A string's kind: "seq", "cons", "sliced", "thin", "external". */
    public String stringKind(int type) {
        int rep = type & strRepMask;
        if (rep == seqTag) {
            return "seq";
        } else if (rep == consTag) {
            return "cons";
        } else if (rep == slicedTag) {
            return "sliced";
        } else if (rep == thinTag) {
            return "thin";
        } else if (rep == externalTag) {
            return "external";
        }
        return "unknown";
    }

    public boolean isOneByte(int type) {
        return (type & strEncMask) == oneByteTag;
    }

    public int stringLength(long s) {
        return mem.int32(s - 1 + strLength);
    }

    /**
     * The text of a V8 string of any representation (cons strings flattened, sliced and thin strings
     * resolved), at most {@code maxChars} characters (then "…" is appended); null when unreadable.
     */
    public String string(long s, int maxChars) {
        StringBuilder sb = new StringBuilder();
        boolean ok = appendString(s, 0, Integer.MAX_VALUE, sb, maxChars);
        if (!ok && sb.length() == 0) {
            return null;
        }
        if (sb.length() > maxChars) {
            sb.setLength(maxChars);
            sb.append('…');
        }
        return sb.toString();
    }

    private boolean appendString(long root, int rootFrom, int rootCount, StringBuilder sb, int maxChars) {
        // iterative: cons strings can be deep (a long chain of +=)
        Deque<long[]> work = new ArrayDeque<>();
        work.push(new long[] {root, rootFrom, rootCount});
        int steps = 0;
        while (!work.isEmpty()) {
            if (sb.length() > maxChars || ++steps > 1_000_000) {
                return true;
            }
            long[] item = work.pop();
            long s = item[0];
            int from = (int) item[1];
            int count = (int) item[2];
            int type = instanceType(s);
            if (!isString(type)) {
                return false;
            }
            int len = stringLength(s);
            if (len < 0 || len > (1 << 30)) {
                return false;
            }
            int end = (int) Math.min((long) len, (long) from + count);
            if (from >= end) {
                continue;
            }
            int rep = type & strRepMask;
            if (rep == seqTag) {
                if (!appendChars(s - 1 + seqChars, isOneByte(type), from, end, sb, maxChars)) {
                    return false;
                }
            } else if (rep == consTag) {
                long first = field(s, consFirst);
                long second = field(s, consSecond);
                int firstLen = instanceType(first) >= 0 ? stringLength(first) : 0;
                if (end > firstLen) {
                    work.push(new long[] {second, Math.max(0, from - firstLen), end - Math.max(from, firstLen)});
                }
                if (from < firstLen) {
                    work.push(new long[] {first, from, Math.min(end, firstLen) - from});
                }
            } else if (rep == slicedTag) {
                long parent = field(s, slicedParent);
                long off = smi(field(s, slicedOffset));
                work.push(new long[] {parent, off + from, end - from});
            } else if (rep == thinTag) {
                work.push(new long[] {field(s, thinActual), from, end - from});
            } else if (rep == externalTag) {
                // the cached data pointer follows the resource pointer (absent in "uncached" external strings)
                if ((type & 0x10) != 0) {
                    return false;
                }
                long data = field(s, externalResource + 8);
                if (data == 0 || !appendChars(data, isOneByte(type), from, end, sb, maxChars)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    private boolean appendChars(long addr, boolean oneByte, int from, int end, StringBuilder sb, int maxChars) {
        int n = Math.min(end - from, maxChars + 1 - sb.length());
        if (n <= 0) {
            return true;
        }
        int bytes = oneByte ? n : 2 * n;
        byte[] b = new byte[bytes];
        if (!mem.read(addr + (oneByte ? from : 2L * from), b, 0, bytes)) {
            return false;
        }
        sb.append(new String(b, oneByte ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_16LE));
        return true;
    }

    // ---- values and properties ----

    /** A short text for a value: numbers, quoted strings, undefined/null/true/false, or {@code Name@0x…}. */
    public String describe(long v, int maxChars) {
        if (isSmi(v)) {
            return Long.toString(smi(v));
        }
        int t = instanceType(v);
        if (t < 0) {
            return "?0x" + Long.toHexString(v);
        }
        if (isString(t)) {
            String s = string(v, maxChars);
            return s == null ? "<string?>" : "'" + s + "'";
        }
        if (t == typeHeapNumber) {
            return formatNumber(Double.longBitsToDouble(field(v, heapNumberValue)));
        }
        if (t == typeOddball) {
            String s = string(field(v, oddballToString), 32);
            return s == null ? "<oddball>" : s;
        }
        if (isFunctionType(t)) {
            String n = functionName(v);
            return "function " + (n == null || n.isEmpty() ? "(anonymous)" : n) + "@0x" + Long.toHexString(v - 1);
        }
        if (t == typeJsArray) {
            long len = field(v, jsArrayLength);
            return "Array[" + (isSmi(len) ? Long.toString(smi(len)) : "?") + "]@0x" + Long.toHexString(v - 1);
        }
        if (isReceiver(t)) {
            String n = constructorName(mapOf(v));
            return (n == null || n.isEmpty() ? "Object" : n) + "@0x" + Long.toHexString(v - 1);
        }
        if (t == typeSymbol && symbolName >= 0) {
            String d = string(field(v, symbolName), maxChars);
            return "Symbol(" + (d == null ? "" : d) + ")";
        }
        return "(" + typeName(t) + ")@0x" + Long.toHexString(v - 1);
    }

    /** The JavaScript type of a value: number, string, boolean, undefined, null, object, function, symbol, internal. */
    public String jsType(long v) {
        if (isSmi(v)) {
            return "number";
        }
        int t = instanceType(v);
        if (isString(t)) {
            return "string";
        } else if (t == typeHeapNumber) {
            return "number";
        } else if (t == typeOddball) {
            String s = string(field(v, oddballToString), 32);
            if ("true".equals(s) || "false".equals(s)) {
                return "boolean";
            }
            return s == null ? "internal" : s;
        } else if (isFunctionType(t)) {
            return "function";
        } else if (isReceiver(t)) {
            return "object";
        } else if (t == typeSymbol) {
            return "symbol";
        }
        return "internal";
    }

    private static String formatNumber(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /** Receives one own property: name, raw tagged value, whether it is an accessor. */
    public interface PropertyVisitor {
        void visit(String name, long value, boolean accessor);
    }

    /**
     * The named own properties of a JS object: fast properties through the map's descriptors (in-object
     * fields, the out-of-object property array, constants), dictionary-mode properties through the
     * NameDictionary. Values are described with {@link #describe}.
     */
    public List<Property> properties(long obj, int maxValueChars) {
        List<Property> out = new ArrayList<>();
        forEachProperty(obj, (name, value, accessor) -> out.add(accessor ? new Property(name, "<accessor>", "accessor")
                : new Property(name, describe(value, maxValueChars), jsType(value))));
        return out;
    }

    /** Calls {@code v} for each named own property of the JS object {@code obj} (see {@link #properties}). */
    public void forEachProperty(long obj, PropertyVisitor v) {
        long map = mapOf(obj);
        if (!isMap(map)) {
            return;
        }
        int bf3 = mem.int32(map - 1 + mapBitField3);
        if (((bf3 >>> bf3DictShift) & 1) != 0) {
            dictionaryProperties(field(obj, recvProperties), v);
            return;
        }
        int own = (bf3 & bf3OwnMask) >>> bf3OwnShift;
        long desc = field(map, mapDescriptors);
        if (own == 0 || instanceType(desc) < 0) {
            return;
        }
        int instanceSize = fixedInstanceSize(map);
        int inobject = instanceSize / 8 - mem.u8(map - 1 + mapInobjectStart);
        long props = field(obj, recvProperties);
        for (int i = 0; i < own && i < 2048; i++) {
            int base = descHeader + i * descEntrySize * 8;
            long key = field(desc, base + descKey * 8);
            long details = field(desc, base + descDetails * 8);
            if (!isSmi(details)) {
                continue;
            }
            int d = (int) smi(details);
            String name = keyName(key);
            if (name == null) {
                continue;
            }
            if ((d & propKindMask) == propKindAccessor) {
                v.visit(name, field(desc, base + descValue * 8), true);
                continue;
            }
            long value;
            if (((d & propLocationMask) >>> propLocationShift) == propLocationField) {
                int index = (d & propIndexMask) >>> propIndexShift;
                if (index < inobject) {
                    value = field(obj, instanceSize - (inobject - index) * 8);
                } else {
                    if (instanceType(props) < 0) {
                        continue;
                    }
                    value = field(props, 16 + (index - inobject) * 8);
                }
            } else {
                value = field(desc, base + descValue * 8);
            }
            v.visit(name, value, false);
        }
    }

    private void dictionaryProperties(long dict, PropertyVisitor v) {
        int t = instanceType(dict);
        if (t < 0) {
            return;
        }
        long capacity = smiField(dict, fixedArrayData + 8 * 2);
        long length = smiField(dict, fixedArrayLength);
        if (capacity <= 0 || length < 0) {
            return;
        }
        int start = dictPrefixStart + dictPrefixSize;
        for (long i = 0; i < capacity && i < 100_000; i++) {
            long idx = start + i * dictEntrySize;
            if (idx + 2 >= length) {
                break;
            }
            long key = field(dict, (int) (fixedArrayData + 8 * idx));
            String name = keyName(key);
            if (name == null) {
                continue;
            }
            long value = field(dict, (int) (fixedArrayData + 8 * (idx + 1)));
            long details = field(dict, (int) (fixedArrayData + 8 * (idx + 2)));
            boolean accessor = isSmi(details) && (smi(details) & propKindMask) == propKindAccessor;
            v.visit(name, value, accessor);
        }
    }

    private String keyName(long key) {
        int t = instanceType(key);
        if (isString(t)) {
            return string(key, 256);
        }
        if (t == typeSymbol && symbolName >= 0) {
            String d = string(field(key, symbolName), 256);
            return "Symbol(" + (d == null ? "" : d) + ")";
        }
        return null;
    }
}
