package dev.leakscope;

import dev.leakscope.core.AuxvEntry;
import dev.leakscope.core.CoreFile;
import dev.leakscope.core.FileMapping;
import dev.leakscope.core.Segment;
import dev.leakscope.core.ThreadState;

import java.util.List;

/** Names memory regions the way /proc/PID/maps would: mapped file, [stack], [heap], [vdso], else [anon]. */
final class RegionLabels {

    private RegionLabels() {
    }

    static String[] of(CoreFile f) {
        List<Segment> segs = f.segments();
        String[] out = new String[segs.size()];
        List<FileMapping> files = f.fileMappings();
        for (Segment s : segs) {
            String l = null;
            for (FileMapping m : files) {
                if (Long.compareUnsigned(m.start(), s.end()) < 0 && Long.compareUnsigned(s.vaddr(), m.end()) < 0) {
                    l = m.path();
                    break;
                }
            }
            out[s.index()] = l;
        }
        for (ThreadState t : f.threads()) {
            Segment s = f.segmentAt(t.sp());
            if (s != null && out[s.index()] == null) {
                out[s.index()] = t.index() == 0 ? "[stack]" : "[stack:" + t.tid() + "]";
            }
        }
        for (AuxvEntry e : f.auxv()) {
            if (e.type() == 33) { // AT_SYSINFO_EHDR
                Segment s = f.segmentAt(e.value());
                if (s != null && out[s.index()] == null) {
                    out[s.index()] = "[vdso]";
                }
            }
        }
        // [heap]: the brk area starts within 1 GiB (ASLR; 32 MiB on older kernels) after the executable's last mapping
        String exe = null;
        for (AuxvEntry e : f.auxv()) {
            if (e.type() == 9) { // AT_ENTRY
                for (FileMapping m : files) {
                    if (m.contains(e.value())) {
                        exe = m.path();
                    }
                }
            }
        }
        if (exe != null) {
            long exeEnd = 0;
            for (FileMapping m : files) {
                if (m.path().equals(exe) && Long.compareUnsigned(m.end(), exeEnd) > 0 && m.end() < 0x10000000000L * 64) {
                    exeEnd = Math.max(exeEnd, m.end());
                }
            }
            // the executable's bss follows its last file mapping; skip anonymous segments right after it
            for (Segment s : segs) {
                if (out[s.index()] == null && s.vaddr() >= exeEnd && s.vaddr() - exeEnd <= (1L << 30) + 4096
                        && (s.flags() & Segment.PF_W) != 0 && s.vaddr() != exeEnd) {
                    out[s.index()] = "[heap]";
                    long end = s.end();
                    for (Segment t : segs) {
                        if (t.index() > s.index() && out[t.index()] == null && t.vaddr() == end) {
                            out[t.index()] = "[heap]";
                            end = t.end();
                        }
                    }
                    break;
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = "[anon]";
            }
        }
        return out;
    }
}
