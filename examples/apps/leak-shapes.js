// Leaks of other shapes than orders-service's Map and listener array, for Heap.leaks() tests:
//   --shape cache   a plain object used as a cache keyed by strings ('user:42' → CacheEntry), never evicted
//   --shape timers  setInterval() per request, never cleared: Timeout objects in node's timer linked lists
// Writes OUT/s1,s2,s3.heapsnapshot (v8.writeHeapSnapshot), --per-step N leaked objects before each snapshot.
//   --shape tree    comment threads: each request adds a reply under a random earlier comment, at any depth
//   --shape worker  a Map of jobs that grows inside a worker_thread: the worker writes s1..s3, the main thread
//                   writes OUT/main.heapsnapshot after them (a heap of its own, with ids of its own)
'use strict';
const v8 = require('v8');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');

const args = isMainThread ? process.argv.slice(2) : workerData;
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
class Comment {
  constructor(id) { this.id = id; this.text = 'comment ' + id + ' '.repeat(60); this.replies = []; }
}
const thread = new Comment(-1);
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648; // repeatable

function handleRequest() {
  const id = n++;
  if (shape === 'cache') {
    const key = 'user:' + id;
    cache[key] = new CacheEntry(key);
  } else if (shape === 'timers') {
    const ctx = { requestId: id, body: 'payload-' + id + '-'.repeat(200) };
    setInterval(function poll() { return ctx.requestId; }, 1e9); // never cleared
  } else if (shape === 'tree') {
    let parent = thread; // a random walk down the thread: replies land at every depth
    while (parent.replies.length > 0 && random() < 0.8) {
      parent = parent.replies[Math.floor(random() * parent.replies.length)];
    }
    parent.replies.push(new Comment(id));
  } else {
    throw new Error('unknown --shape ' + shape);
  }
  // garbage that is collected: it must not be reported
  const scratch = [];
  for (let i = 0; i < 20; i++) scratch.push({ tmp: i, s: 'scratch-' + id });
  return scratch.length;
}

class WorkerJob {
  constructor(id) { this.id = id; this.input = 'job-' + id + '-'.repeat(100); }
}
const jobs = new Map();

if (shape === 'worker' && isMainThread) {
  const w = new Worker(__filename, { workerData: args });
  w.on('message', () => {
    v8.writeHeapSnapshot(path.join(out, 'main.heapsnapshot'));
    process.exit(0);
  });
  w.on('error', (e) => { console.error(e); process.exit(1); });
} else {
  for (let k = 1; k <= 3; k++) {
    for (let i = 0; i < perStep; i++) {
      if (shape === 'worker') {
        jobs.set(n, new WorkerJob(n++));
      } else {
        handleRequest();
      }
    }
    v8.writeHeapSnapshot(path.join(out, 's' + k + '.heapsnapshot'));
  }
  if (isMainThread) {
    process.exit(0);
  }
  parentPort.postMessage('done');
}
