'use strict';
// Independent check for leakscope's findjsobjects: counts and self sizes per constructor in a V8 heap
// snapshot, read with JSON.parse (node itself), keyed the way DevTools' Summary groups nodes:
// "object" nodes by name, everything else as "(type)", and closures also as "closure:<name>".
// Prints JSON {key: [count, selfSize]}.
const fs = require('fs');
const s = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const meta = s.snapshot.meta;
const f = meta.node_fields;
const types = meta.node_types[0];
const n = f.length;
const ti = f.indexOf('type');
const ni = f.indexOf('name');
const si = f.indexOf('self_size');
const out = {};
for (let i = 0; i < s.nodes.length; i += n) {
  const type = types[s.nodes[i + ti]];
  const key = type === 'object' ? s.strings[s.nodes[i + ni]] : `(${type})`;
  const a = out[key] || (out[key] = [0, 0]);
  a[0]++;
  a[1] += s.nodes[i + si];
  if (type === 'closure') {   // functions also by name: "closure:onReload"
    const c = out[`closure:${s.strings[s.nodes[i + ni]]}`] || (out[`closure:${s.strings[s.nodes[i + ni]]}`] = [0, 0]);
    c[0]++;
    c[1] += s.nodes[i + si];
  }
}
process.stdout.write(JSON.stringify(out));
