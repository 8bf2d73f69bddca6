'use strict';
// orders-service — a small HTTP service on 127.0.0.1 that drives itself with real requests over loopback.
// In --mode leak it leaks the way real Node services do; in --mode healthy it does the same work and cleans up.
//
//   leaks (mode leak):   a Map of RequestContext never pruned; one 'config-reload' listener closure per request
//                        on a long-lived EventEmitter; a temp-file descriptor per upload never closed (EMFILE
//                        once `ulimit -n` is reached); the last errors kept in an array.
//   logs:                process.memoryUsage() every --log-every ms in --log-format; node --trace-gc adds GC lines;
//                        pino-style event-loop lines (ELU, delay percentiles); errors with their code.
//   metrics:             prom-client default metrics + ELU gauges on /metrics (when prom-client is installed);
//                        --openmetrics serves them as OpenMetrics 1.0 instead of text 0.0.4.
//   spans:               "event-loop-blocked" spans (async_hooks, 100 ms threshold) as OTLP/JSON to --spans FILE.
//   snapshots:           v8.writeHeapSnapshot() at --snapshot-at seconds into --snapshot-dir.
//   secrets:             a database URL with a password, bearer JWTs, an API key, cookies and e-mails in live objects.
//
// Usage: node [--trace-gc] orders-service.js [--mode leak|healthy] [--duration S] [--rate N] [--log-every MS]
//        [--log-format inspect|iso-line|iso-prefix|oneline|json|pino|bunyan|winston] [--snapshot-dir D
//        --snapshot-at 5,10,15] [--spans FILE] [--block-every S --block-ms MS] [--widgets N] [--special-widgets N] [--pidfile F]
//        [--ready-after S --ready-file F] [--ready-snapshot F] [--ready-spin] [--hold] [--payload BYTES] [--openmetrics]
//        [--reserve-mb N [--reserve-marker TEXT]]
// With --hold the process keeps running (and leaking) after --duration until killed, so a script can take a
// core with gcore or SIGABRT. --ready-file is written once --ready-after seconds have passed.
// --ready-snapshot F: at --ready-after, stop the self-driven load, let in-flight requests finish, write a heap
// snapshot to F, then write the ready file (a core taken next holds the same objects as the snapshot).
// --ready-spin: once ready, run a busy JavaScript loop (spinUntilKilled) so a core shows JS frames on the stack.
// --reserve-mb N: an N MiB ArrayBuffer left untouched (a preallocated pool or cache): the process's address space,
// and its core, grow past N MiB while the kernel writes the untouched pages as holes; --reserve-marker TEXT is
// written into its last page, so a core of it has TEXT past N MiB into the buffer (past 2 GiB for N ≥ 2049).

const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const v8 = require('node:v8');
const crypto = require('node:crypto');
const { EventEmitter } = require('node:events');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const asyncHooks = require('node:async_hooks');
const util = require('node:util');

function parseArgs(argv) {
  const o = {
    mode: 'leak', duration: 60, rate: 200, 'log-every': 1000, 'log-format': 'inspect', 'snapshot-dir': '',
    'snapshot-at': '', spans: '', 'block-every': 0, 'block-ms': 150, widgets: 0, 'special-widgets': 0, pidfile: '',
    'ready-after': 0, 'ready-file': '', 'ready-snapshot': '', 'ready-spin': false, hold: false, payload: 2048,
    openmetrics: false, 'reserve-mb': 0, 'reserve-marker': '',
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const k = a.slice(2);
    if (!(k in o)) throw new Error(`unknown option --${k}`);
    if (typeof o[k] === 'boolean') { o[k] = true; continue; }
    const v = argv[++i];
    o[k] = typeof o[k] === 'number' ? Number(v) : v;
  }
  if (!['leak', 'healthy'].includes(o.mode)) throw new Error(`--mode must be leak or healthy, not ${o.mode}`);
  return o;
}

const opt = parseArgs(process.argv);
const LEAK = opt.mode === 'leak';
const started = Date.now();

// ---- secrets a real service holds in memory (fake values, real shapes) ----
const DATABASE_URL = 'postgres://orders:Pa55w0rd-Orders-7731@db.internal.example:5432/orders';
const PAYMENTS_API_KEY = 'sk_live_51HxQ2eKp8Lw3uYtZr9VbN4mC7dF0gH2j';
function b64url(s) { return Buffer.from(s).toString('base64url'); }
function jwtFor(user) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub: user, iat: Math.floor(Date.now() / 1000), scope: 'orders:write' }));
  const sig = crypto.createHmac('sha256', 'jwt-signing-secret').update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}
// ---- --reserve-mb: a large, mostly untouched buffer ----
// held by a global, as a pool is: a module-level const nothing else reads is garbage once the module has run, and
// V8 collects a big ArrayBuffer early (its size counts as external memory pressure)
const reserved = globalThis.reservedPool = opt['reserve-mb'] > 0 ? new ArrayBuffer(opt['reserve-mb'] * 1048576) : null;
if (reserved && opt['reserve-marker']) {
  Buffer.from(reserved).write(opt['reserve-marker'], reserved.byteLength - 4096, 'latin1');
}
const config = { databaseUrl: DATABASE_URL, paymentsApiKey: PAYMENTS_API_KEY, region: 'eu-west-1' };

// Customers, some with names V8 must store two-byte (Cyrillic, CJK).
const CUSTOMERS = [
  'Иван Петров', 'Мария Соколова', '王小明', '佐藤花子', 'Zoë Ångström', 'John Smith', 'Ada Lovelace',
].map((name, i) => ({ name, email: `customer${i}@shop.example`, tier: i % 3 === 0 ? 'gold' : 'basic' }));

// ---- the leaking parts ----
class RequestContext {
  constructor(req, customer) {
    this.id = crypto.randomUUID();
    this.method = req.method;
    this.url = req.url;
    this.customer = customer;
    this.startedAt = Date.now();
    this.headers = { authorization: `Bearer ${jwtFor(customer.email)}`, cookie: `sid=${crypto.randomBytes(12).toString('hex')}` };
    this.body = Buffer.alloc(opt.payload, 120).toString('latin1') + this.id; // a per-request payload string
  }
  reload(cfg) { this.region = cfg.region; }
}

class Widget { // --widgets N: a known number of instances, for exact counts in tests
  constructor(i) { this.serial = i; this.label = `widget-${i}`; }
}
class SpecialWidget extends Widget { // --special-widgets N: instances of a subclass (their map's constructor is Widget)
  constructor(i) { super(i); this.special = true; }
}
const widgets = [];
for (let i = 0; i < opt.widgets; i++) widgets.push(new Widget(i));
for (let i = 0; i < opt['special-widgets']; i++) widgets.push(new SpecialWidget(i));

const sessions = new Map();            // leak: never pruned; healthy: deleted at response end
const recent = [];                     // healthy: a bounded window of recent contexts
const configBus = new EventEmitter();  // leak: one listener closure per request
configBus.setMaxListeners(0);
const lastErrors = [];                 // leak: errors kept forever
const openUploads = [];                // leak: descriptors never closed
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-uploads-'));

function handle(req, res) {
  if (req.url === '/metrics') {
    if (!metrics) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('prom-client is not installed: run npm ci in examples/\n');
      return;
    }
    metrics.register.metrics().then((text) => {
      res.writeHead(200, { 'content-type': metrics.register.contentType }); res.end(text);
    });
    return;
  }
  const customer = CUSTOMERS[Math.floor(Math.random() * CUSTOMERS.length)];
  const ctx = new RequestContext(req, customer);
  sessions.set(ctx.id, ctx);
  const onReload = (cfg) => ctx.reload(cfg);
  configBus.on('config-reload', onReload);

  // An upload spooled to a temp file named by the request id.
  const file = path.join(uploadDir, `upload-${ctx.id}.part`);
  try {
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, ctx.body.slice(0, 64));
    if (LEAK) openUploads.push(fd); else { fs.closeSync(fd); fs.unlinkSync(file); }
  } catch (err) {
    console.error(`${new Date().toISOString()} ${err.stack.split('\n')[0]} code=${err.code}`);
    if (LEAK) lastErrors.push(err);
  }

  res.on('finish', () => {
    if (!LEAK) {
      sessions.delete(ctx.id);
      configBus.removeListener('config-reload', onReload);
      recent.push(ctx); if (recent.length > 200) recent.shift();
    }
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: ctx.id, customer: customer.name, open: sessions.size }));
}

// ---- optional prom-client metrics with the seed's ELU gauges ----
let metrics = null;
try {
  const client = require('prom-client');
  if (opt.openmetrics) client.register.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  client.collectDefaultMetrics();
  const idle = new client.Gauge({ name: 'nodejs_eventloop_utilization_idle_ms', help: 'ELU idle ms in the last interval' });
  const active = new client.Gauge({ name: 'nodejs_eventloop_utilization_active_ms', help: 'ELU active ms in the last interval' });
  const utilization = new client.Gauge({ name: 'nodejs_eventloop_utilization', help: 'ELU in the last interval (0..1)' });
  const sessionsGauge = new client.Gauge({ name: 'orders_open_sessions', help: 'sessions in the map' });
  let lastELU = performance.eventLoopUtilization();
  setInterval(() => {
    const tmp = performance.eventLoopUtilization();
    const report = performance.eventLoopUtilization(tmp, lastELU);
    idle.set(report.idle); active.set(report.active); utilization.set(report.utilization);
    sessionsGauge.set(sessions.size);
    lastELU = tmp;
  }, 1000).unref();
  metrics = client;
} catch (e) {
  if (e.code !== 'MODULE_NOT_FOUND') throw e;
}

// ---- the seed's event-loop monitor: spans of callbacks that blocked the loop > 100 ms, as OTLP/JSON ----
const spans = [];
if (opt.spans) {
  const THRESHOLD_NS = 1e8;
  const cache = new Map();
  const hook = asyncHooks.createHook({
    init(asyncId, type) { cache.set(asyncId, { type }); },
    destroy(asyncId) { cache.delete(asyncId); },
    before(asyncId) { const c = cache.get(asyncId); if (c) c.start = process.hrtime.bigint(); },
    after(asyncId) {
      const c = cache.get(asyncId);
      if (!c || c.start === undefined) return;
      const end = process.hrtime.bigint();
      const diffNs = end - c.start;
      c.start = undefined;
      if (diffNs > THRESHOLD_NS) {
        const endNs = BigInt(Date.now()) * 1000000n;
        spans.push({
          traceId: crypto.randomBytes(16).toString('hex'), spanId: crypto.randomBytes(8).toString('hex'),
          name: 'event-loop-blocked', kind: 1,
          startTimeUnixNano: String(endNs - diffNs), endTimeUnixNano: String(endNs),
          attributes: [{ key: 'asyncType', value: { stringValue: c.type } },
            { key: 'label', value: { stringValue: 'EventLoopMonitor' } },
            { key: 'durationMs', value: { intValue: String(Number(diffNs / 1000000n)) } }],
        });
      }
    },
  });
  hook.enable();
}
function writeSpans() {
  if (!opt.spans) return;
  const doc = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders-service' } }] },
    scopeSpans: [{ scope: { name: 'event-loop-monitor' }, spans }] }] };
  fs.writeFileSync(opt.spans, JSON.stringify(doc));
}

// ---- memory and event-loop logging ----
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let eluPrev = performance.eventLoopUtilization();
function logMemory() {
  const m = process.memoryUsage();
  const now = new Date();
  switch (opt['log-format']) {
    case 'inspect': console.log(m); break;
    case 'iso-line': console.log(now.toISOString()); console.log(m); break;
    case 'iso-prefix': console.log(`${now.toISOString()} ${util.inspect(m)}`); break;
    case 'oneline': console.log(util.inspect(m, { breakLength: Infinity })); break;
    case 'json': console.log(JSON.stringify(m)); break;
    case 'pino': console.log(JSON.stringify({ level: 30, time: now.getTime(), pid: process.pid, hostname: os.hostname(), memory: m, msg: 'memory' })); break;
    case 'bunyan': console.log(JSON.stringify({ name: 'orders', hostname: os.hostname(), pid: process.pid, level: 30, msg: 'memory', time: now.toISOString(), v: 0, ...m })); break;
    case 'winston': console.log(JSON.stringify({ level: 'info', message: 'memory', timestamp: now.toISOString(), ...m })); break;
    default: throw new Error(`unknown --log-format ${opt['log-format']}`);
  }
  const elu = performance.eventLoopUtilization(eluPrev); eluPrev = performance.eventLoopUtilization();
  console.log(JSON.stringify({ level: 30, time: now.getTime(), pid: process.pid, msg: 'eventloop',
    elu: Number(elu.utilization.toFixed(4)), delayMinMs: delay.min / 1e6, delayMeanMs: Number((delay.mean / 1e6).toFixed(3)),
    delayP50Ms: delay.percentile(50) / 1e6, delayP99Ms: delay.percentile(99) / 1e6, delayMaxMs: delay.max / 1e6 }));
  delay.reset();
}

// ---- drive it: real requests over loopback ----
let inFlight = 0; // requests sent whose response has not been read yet

// --ready-spin: a JavaScript busy loop that never returns, so a core taken now has JS frames on the main stack.
function spinUntilKilled() {
  if (opt['ready-file']) fs.writeFileSync(opt['ready-file'], `${process.pid}\n`);
  let x = 0;
  for (;;) x = spinStep(x);
}
function spinStep(x) {
  return (x * 1103515245 + 12345) % 2147483648;
}
const server = http.createServer(handle);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  if (opt.pidfile) fs.writeFileSync(opt.pidfile, `${process.pid}\n`);
  console.log(`${new Date().toISOString()} orders-service pid=${process.pid} mode=${opt.mode} port=${port}`);
  const tick = 50;
  const perTick = Math.max(1, Math.round(opt.rate * tick / 1000));
  const load = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      inFlight++;
      http.get({ host: '127.0.0.1', port, path: `/orders/${i}`, agent }, (r) => { r.on('end', () => inFlight--); r.resume(); })
        .on('error', (err) => { inFlight--; console.error(`${new Date().toISOString()} client ${err.code}: ${err.message}`); });
    }
  }, tick);
  const memTimer = setInterval(logMemory, opt['log-every']);
  const reload = setInterval(() => configBus.emit('config-reload', config), 2000);
  if (opt['block-every'] > 0) {
    setInterval(() => { const until = Date.now() + opt['block-ms']; while (Date.now() < until) { /* blocked */ } },
      opt['block-every'] * 1000);
  }
  for (const at of String(opt['snapshot-at']).split(',').filter(Boolean).map(Number)) {
    setTimeout(() => {
      const file = path.join(opt['snapshot-dir'] || '.', `s${at}.heapsnapshot`);
      v8.writeHeapSnapshot(file);
      console.log(`${new Date().toISOString()} heap snapshot written: ${file}`);
    }, at * 1000);
  }
  if (opt['ready-file'] || opt['ready-snapshot']) {
    setTimeout(() => {
      const ready = () => {
        if (opt['ready-spin']) {
          // keep the spinning frames interpreted, so their bytecode offsets give exact lines; the ready file is
          // written from inside the loop, so whoever waits for it finds the process spinning
          v8.setFlagsFromString('--no-opt'); v8.setFlagsFromString('--no-sparkplug'); v8.setFlagsFromString('--no-maglev');
          setImmediate(spinUntilKilled);
        } else if (opt['ready-file']) {
          fs.writeFileSync(opt['ready-file'], `${process.pid}\n`);
        }
      };
      if (!opt['ready-snapshot']) { ready(); return; }
      clearInterval(load); clearInterval(reload);
      const settle = () => {
        // let the requests already sent finish (their responses read), then snapshot
        if (inFlight > 0) { setTimeout(settle, 20); return; }
        v8.writeHeapSnapshot(opt['ready-snapshot']);
        console.log(`${new Date().toISOString()} heap snapshot written: ${opt['ready-snapshot']}`);
        ready();
      };
      setTimeout(settle, 200);
    }, opt['ready-after'] * 1000);
  }
  if (opt.duration > 0) {
    setTimeout(() => {
      if (opt.hold) { console.log(`${new Date().toISOString()} holding (pid ${process.pid})`); return; }
      clearInterval(load); clearInterval(memTimer); clearInterval(reload);
      logMemory();
      writeSpans();
      for (const fd of openUploads) fs.closeSync(fd);
      fs.rmSync(uploadDir, { recursive: true, force: true });
      process.exit(0);
    }, opt.duration * 1000);
  }
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => { writeSpans(); fs.rmSync(uploadDir, { recursive: true, force: true }); process.exit(0); });
}
// keep references reachable from the module scope (what a core or snapshot will show retaining them)
module.exports = { sessions, configBus, lastErrors, widgets, recent, config };
