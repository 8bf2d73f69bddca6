// The cells of notebooks/03-heap-snapshots.ipynb, for ./leakscope shell examples/heap-snapshots.jsh
var dir = java.nio.file.Path.of(System.getenv().getOrDefault("LEAKSCOPE_ARTIFACTS", "../target/artifacts")).resolve("heap");
var s3 = Heap.open(dir.resolve("s3.heapsnapshot"));
var s6 = Heap.open(dir.resolve("s6.heapsnapshot"));
var s9 = Heap.open(dir.resolve("s9.heapsnapshot"));
System.out.println(s9.info());
System.out.println(s9.summary().first(12));
System.out.println(Heap.compare(s3, s6).first(10));
var leaks = Heap.leaks(s3, s6, s9);
System.out.println(leaks.first(6));
System.out.println(Heap.growingCollections(s3, s6, s9));
long id = leaks.where(leaks.stringColumn("constructor").isEqualTo("RequestContext")).longColumn("exampleId").get(0);
System.out.println(s9.retainers(id, 2));
System.out.println(s9.closures().first(5));
System.out.println(s9.strings().grep("postgres://|sk_live_").table());
/exit
