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
var started = ctx.stringColumn("startedAt").parseLong();
System.out.println(String.format("%d RequestContext objects, created over %.1f s (startedAt %d .. %d)",
    ctx.rowCount(), (started.max() - started.min()) / 1000.0, (long) started.min(), (long) started.max()));
System.out.println(js.strings().grep("^Bearer ").count() + " bearer tokens in JS strings");
System.out.println(js.strings().minLength(1000).countBy().first(3));
System.out.println(js.strings().grep("[^\\x00-\\xff]").countBy());
var summary = Heap.open(dir.resolve("js/before.heapsnapshot")).summary();
var compare = Table.create("coreVsSnapshot", StringColumn.create("name"), LongColumn.create("core"), LongColumn.create("snapshot"));
for (var name : List.of("RequestContext", "IncomingMessage", "ServerResponse", "Array", "Object", "(closure)")) {
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
var top = objects.where(objects.stringColumn("kind").isEqualTo("object")).first(1);
System.out.println(String.format("Most numerous JS objects: %s (%d, %,d bytes shallow); %d RequestContext objects, "
        + "as many as the snapshot's %d; the main thread was in %s at %s:%d",
    top.stringColumn("name").get(0), top.longColumn("count").get(0), top.longColumn("totalShallowSize").get(0),
    ctx.rowCount(), compare.longColumn("snapshot").get(0), js.stack().stringColumn("function").get(0),
    js.stack().stringColumn("script").get(0), js.stack().intColumn("line").get(0)));
/exit
