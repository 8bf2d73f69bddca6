'use strict';
// big-heap — builds a large, realistic object graph and writes heap snapshots of it, for benchmarks.
// --records N customer records (each: a class instance, a unique string, an array with its backing store, a
// nested object, a shared string) stay alive for the whole run: about 5 nodes and 15 edges per record, so
// 2,000,000 records make a ~800 MB snapshot with ~10 M nodes and ~30 M edges.
// Between snapshots it leaks --leak-per-step Session objects into a Map that is never pruned (and makes as
// many short-lived ones that die), like a real service; snapshots are DIR/s1.heapsnapshot … s<steps>.
//
// Usage: node --max-old-space-size=8192 big-heap.js --records N --snapshot-dir DIR [--steps 3] [--leak-per-step M]
const v8 = require('node:v8');
const path = require('node:path');

const opt = { records: 100000, 'snapshot-dir': '.', steps: 1, 'leak-per-step': 0 };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in opt)) throw new Error(`unknown option --${k}`);
  opt[k] = k === 'snapshot-dir' ? process.argv[i + 1] : Number(process.argv[i + 1]);
}

const CITIES = ['Lisbon', 'Oslo', 'Kyiv', 'Osaka', 'Lima', 'Accra', 'Perth', 'Quito', 'Riga', 'Turin'];
class Customer {
  constructor(i) {
    this.id = i;
    this.name = `customer-${i}-${(i * 2654435761 % 4294967296).toString(36)}`;
    this.tags = [i & 7, CITIES[i % 10]];
    this.address = { city: CITIES[(i >> 3) % 10], zip: i % 100000 };
  }
}
class Session {
  constructor(i) {
    this.id = `session-${i}`;
    this.started = Date.now();
    this.items = [i, i + 1];
  }
}

const customers = [];
for (let i = 0; i < opt.records; i++) customers.push(new Customer(i));
const sessions = new Map(); // leak: never pruned
let serial = 0;
for (let s = 1; s <= opt.steps; s++) {
  if (s > 1) {
    let garbage = [];
    for (let i = 0; i < opt['leak-per-step']; i++) {
      const sess = new Session(serial++);
      sessions.set(sess.id, sess);
      garbage.push(new Session(-serial));
    }
    garbage = null;
  }
  const file = path.join(opt['snapshot-dir'], `s${s}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  console.log(`${new Date().toISOString()} wrote ${file} (${customers.length} customers, ${sessions.size} sessions)`);
}
module.exports = { customers, sessions };
