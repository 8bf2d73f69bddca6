// The cells of notebooks/01-core.ipynb as a jshell script: ./leakscope shell examples/01-core.jsh
// (LEAKSCOPE_ARTIFACTS names the folder holding leak.core; examples/make-artifacts.sh notebook-data makes it)
var dir = Path.of(System.getenv().getOrDefault("LEAKSCOPE_ARTIFACTS", "../target/artifacts"));
var core = Core.open(dir.resolve("leak.core"));
System.out.println(core.info());
System.out.println(core.strings().grep("(Error|ENOMEM|EMFILE|leak)").count());
System.out.println(core.strings().errors());
System.out.println(core.strings().errorCodes());
var mem = core.strings().memoryStats();
System.out.println(mem.summarize("value", tech.tablesaw.aggregate.AggregateFunctions.max, tech.tablesaw.aggregate.AggregateFunctions.count).by("key"));
var uuids = core.strings().uuids();
System.out.println(uuids.rowCount() + " distinct UUIDs, " + (long) uuids.intColumn("count").sum() + " occurrences");
System.out.println(core.strings().sockets());
System.out.println(core.strings().modules());
System.out.println(core.strings().unicode().in("[anon]").minLength(6).countBy());
System.out.println(core.threads());
var regions = core.regions();
System.out.println(regions.summarize("size", "fileSize", tech.tablesaw.aggregate.AggregateFunctions.sum).by("mapping")
    .sortDescendingOn("Sum [size]"));
var regs = core.registers();
int current = core.threads().intColumn("tid").get(0);
System.out.println(regs.where(regs.intColumn("tid").isEqualTo(current)));
System.out.println(core.warnings());
var info = core.info();
System.out.println(String.format("%s (pid %d) ended with %s; %d threads; %,d bytes of memory in %d regions, %,d dumped; "
        + "%d strings mention errors or leaks; %d distinct UUIDs; %d warnings",
    info.stringColumn("command").get(0), info.intColumn("pid").get(0), info.stringColumn("signal").get(0),
    info.intColumn("threads").get(0), info.longColumn("bytes").get(0), info.intColumn("regions").get(0),
    info.longColumn("fileBytes").get(0), core.strings().grep("(Error|ENOMEM|EMFILE|leak)").count(),
    uuids.rowCount(), info.intColumn("warnings").get(0)));
/exit
