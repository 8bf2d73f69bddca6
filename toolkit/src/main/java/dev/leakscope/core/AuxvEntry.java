package dev.leakscope.core;

/**
 * One NT_AUXV entry: {@code (a_type, a_val)}.
 *
 * @param type  AT_* type
 * @param value its value
 */
public record AuxvEntry(long type, long value) {

    private static final String[] NAMES = new String[52];

    static {
        String[][] n = {{"0", "AT_NULL"}, {"1", "AT_IGNORE"}, {"2", "AT_EXECFD"}, {"3", "AT_PHDR"}, {"4", "AT_PHENT"},
                {"5", "AT_PHNUM"}, {"6", "AT_PAGESZ"}, {"7", "AT_BASE"}, {"8", "AT_FLAGS"}, {"9", "AT_ENTRY"},
                {"10", "AT_NOTELF"}, {"11", "AT_UID"}, {"12", "AT_EUID"}, {"13", "AT_GID"}, {"14", "AT_EGID"},
                {"15", "AT_PLATFORM"}, {"16", "AT_HWCAP"}, {"17", "AT_CLKTCK"}, {"23", "AT_SECURE"},
                {"24", "AT_BASE_PLATFORM"}, {"25", "AT_RANDOM"}, {"26", "AT_HWCAP2"}, {"27", "AT_RSEQ_FEATURE_SIZE"},
                {"28", "AT_RSEQ_ALIGN"}, {"31", "AT_EXECFN"}, {"32", "AT_SYSINFO"}, {"33", "AT_SYSINFO_EHDR"},
                {"51", "AT_MINSIGSTKSZ"}};
        for (String[] e : n) {
            NAMES[Integer.parseInt(e[0])] = e[1];
        }
    }

    /** The type's name ({@code AT_PAGESZ}…), or {@code AT_<n>} when unknown. */
    public String name() {
        return type >= 0 && type < NAMES.length && NAMES[(int) type] != null ? NAMES[(int) type] : "AT_" + type;
    }
}
