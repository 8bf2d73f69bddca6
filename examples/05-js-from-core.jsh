// The cells of notebooks/05-js-from-core.ipynb as a jshell script: ./leakscope shell examples/05-js-from-core.jsh
// (LEAKSCOPE_ARTIFACTS names the folder holding js/core and js/before.heapsnapshot; make-artifacts.sh notebook-data makes them)
var dir = Path.of(System.getenv().getOrDefault("LEAKSCOPE_ARTIFACTS", "../target/artifacts"));
var core = Core.open(dir.resolve("js/core"));
var js = core.js();
System.out.println(js.info());
var objects = js.objects();
System.out.println(objects.first(15));
var ctx = js.instances("RequestContext");
System.out.println(ctx.selectColumns("address", "shallowSize", "id", "method", "url", "customer", "startedAt").first(5));
var started = ctx.stringColumn("startedAt").asList().stream().filter(s -> s.matches("\\d+")).mapToLong(Long::parseLong).summaryStatistics();
System.out.println(String.format("%d RequestContext objects created over %.1f s, none released", ctx.rowCount(),
    (started.getMax() - started.getMin()) / 1000.0));
System.out.println(js.closures().first(5));
System.out.println(js.strings().grep("^Bearer ").count());
System.out.println(js.strings().maxLength(40).grep("[^\\x00-\\xff]").countBy());
var summary = Heap.open(dir.resolve("js/before.heapsnapshot")).summary();
var compare = Table.create("coreVsSnapshot", StringColumn.create("name"), LongColumn.create("core"),
    LongColumn.create("snapshot"));
for (var name : List.of("RequestContext", "IncomingMessage", "ServerResponse", "ReadableState", "Array", "Object")) {
    var s = summary.where(summary.stringColumn("constructor").isEqualTo(name));
    var o = objects.where(objects.stringColumn("name").isEqualTo(name));
    compare.stringColumn("name").append(name);
    compare.longColumn("core").append(o.rowCount() == 0 ? 0 : o.longColumn("count").get(0));
    compare.longColumn("snapshot").append(s.rowCount() == 0 ? 0 : s.longColumn("count").get(0));
}
System.out.println(compare);
System.out.println(js.stack());
var bt = core.backtrace();
System.out.println(bt.where(bt.intColumn("frame").isEqualTo(0)));
var top = js.stack();
System.out.println(String.format("The heap holds %d RequestContext objects (the snapshot: %d), created over %.0f s and never released, "
        + "each with its bearer token and payload; the main thread was running %s (%s:%d) called from %s when it was killed.",
    ctx.rowCount(), compare.longColumn("snapshot").get(0), (started.getMax() - started.getMin()) / 1000.0,
    top.stringColumn("function").get(0), top.stringColumn("script").get(0), top.intColumn("line").get(0),
    top.stringColumn("function").get(1)));
/exit
