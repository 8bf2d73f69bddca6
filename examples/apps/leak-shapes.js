// Leaks of other shapes than orders-service's Map and listener array, for Heap.leaks() tests:
//   --shape cache   a plain object used as a cache keyed by strings ('user:42' → CacheEntry), never evicted
//   --shape timers  setInterval() per request, never cleared: Timeout objects in node's timer linked lists
// Writes OUT/s1,s2,s3.heapsnapshot (v8.writeHeapSnapshot), --per-step N leaked objects before each snapshot.
'use strict';
const v8 = require('v8');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const shape = opt('--shape', 'cache');
const out = opt('--out', '.');
const perStep = Number(opt('--per-step', '2000'));
fs.mkdirSync(out, { recursive: true });

class CacheEntry {
  constructor(key) { this.key = key; this.value = { rows: new Array(16).fill(key) }; this.at = Date.now(); }
}
const cache = {};
let n = 0;

function handleRequest() {
  const id = n++;
  if (shape === 'cache') {
    const key = 'user:' + id;
    cache[key] = new CacheEntry(key);
  } else if (shape === 'timers') {
    const ctx = { requestId: id, body: 'payload-' + id + '-'.repeat(200) };
    setInterval(function poll() { return ctx.requestId; }, 1e9); // never cleared
  } else {
    throw new Error('unknown --shape ' + shape);
  }
  // garbage that is collected: it must not be reported
  const scratch = [];
  for (let i = 0; i < 20; i++) scratch.push({ tmp: i, s: 'scratch-' + id });
  return scratch.length;
}

for (let k = 1; k <= 3; k++) {
  for (let i = 0; i < perStep; i++) handleRequest();
  v8.writeHeapSnapshot(path.join(out, 's' + k + '.heapsnapshot'));
}
process.exit(0);
