package dev.leakscope.v8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The node binary of a core, checked against it: the path from NT_FILE (the file mapped from offset 0 at
 * the lowest address, i.e. the executable) unless the user gives one, its build-id compared with the
 * build-id in the ELF header page the core holds of that mapping, the load bias of a PIE binary, and the
 * V8 metadata with values taken from the core where the file holds 0.
 */
public final class NodeProcess {

    private final ElfBinary binary;
    private final V8Metadata metadata;
    private final long loadBias;
    private final String coreBuildId;
    private final String mappedPath;
    private final List<String> warnings;

    private NodeProcess(ElfBinary binary, V8Metadata metadata, long loadBias, String coreBuildId, String mappedPath,
                        List<String> warnings) {
        this.binary = binary;
        this.metadata = metadata;
        this.loadBias = loadBias;
        this.coreBuildId = coreBuildId;
        this.mappedPath = mappedPath;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Resolves and checks the binary of the process in {@code mem}; {@code override} (may be null) replaces
     * the path recorded in the core. Throws {@link V8Exception} when the binary is missing, is not a node
     * with V8 postmortem metadata, or has a different build-id than the one the core maps.
     */
    public static NodeProcess open(ProcessMemory mem, Path override) {
        List<String> warnings = new ArrayList<>();
        ProcessMemory.MappedFile exe = null;
        for (ProcessMemory.MappedFile f : mem.files()) {
            if (f.fileOffset() == 0 && (exe == null || Long.compareUnsigned(f.start(), exe.start()) < 0)) {
                exe = f;
            }
        }
        Path path;
        if (override != null) {
            path = override;
        } else if (exe != null) {
            path = Path.of(exe.path());
        } else {
            throw new V8Exception(mem.source() + ": the core has no NT_FILE note naming the executable; give the node"
                    + " binary with withBinary(path)");
        }
        if (!Files.isRegularFile(path)) {
            throw new V8Exception("node binary " + path + (override == null ? " (recorded in " + mem.source() + ")" : "")
                    + (Files.isDirectory(path) ? " is a directory, not the node executable" : " does not exist on this machine")
                    + "; give the binary that produced the core: withBinary(path), or --binary on the command line");
        }
        ElfBinary elf = ElfBinary.open(path);
        String coreId = null;
        if (exe != null) {
            byte[] page = new byte[4096];
            if (mem.read(exe.start(), page, 0, page.length)) {
                coreId = ElfBinary.buildIdFromImage(page);
            }
        }
        String fileId = elf.buildId();
        if (coreId != null && fileId != null && !coreId.equals(fileId)) {
            throw new V8Exception("binary mismatch: " + path + " has build-id " + fileId + " but the core "
                    + mem.source() + " maps " + exe.path() + " at 0x" + Long.toHexString(exe.start()) + " with build-id "
                    + coreId + "; give the node binary that produced the core: withBinary(path), or --binary on the command line");
        }
        if (coreId == null) {
            warnings.add("cannot verify that " + path + " produced " + mem.source() + ": "
                    + (exe == null ? "no executable mapping in NT_FILE" : "the core does not hold the ELF header page at 0x"
                    + Long.toHexString(exe.start())) + "; results are wrong if the binaries differ");
        } else if (fileId == null) {
            warnings.add(path + " has no build-id note; cannot verify it produced " + mem.source());
        }
        long bias = 0;
        if (elf.elfType() == 3 && exe != null) {
            bias = exe.start() - elf.firstLoadAddress();
        }
        V8Metadata md = V8Metadata.load(elf, mem, bias);
        return new NodeProcess(elf, md, bias, coreId, exe == null ? null : exe.path(), warnings);
    }

    /**
     * The executable a core records: the NT_FILE mapping from file offset 0 at the lowest address; a
     * {@link V8Exception} when the core names none.
     */
    public static Path executablePath(dev.leakscope.core.CoreFile core) {
        dev.leakscope.core.FileMapping exe = null;
        for (dev.leakscope.core.FileMapping f : core.fileMappings()) {
            if (f.fileOffset() == 0 && (exe == null || Long.compareUnsigned(f.start(), exe.start()) < 0)) {
                exe = f;
            }
        }
        if (exe == null) {
            throw new V8Exception(core.path() + ": the core has no NT_FILE note naming the executable; give the binary"
                    + " with withBinary(path)");
        }
        return Path.of(exe.path());
    }

    public ElfBinary binary() {
        return binary;
    }

    public V8Metadata metadata() {
        return metadata;
    }

    public long loadBias() {
        return loadBias;
    }

    /** The build-id read from the core's copy of the executable's header page, or null. */
    public String coreBuildId() {
        return coreBuildId;
    }

    /** The executable path the core records (NT_FILE), or null. */
    public String mappedPath() {
        return mappedPath;
    }

    public List<String> warnings() {
        return warnings;
    }
}
