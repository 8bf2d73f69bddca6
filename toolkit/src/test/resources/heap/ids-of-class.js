'use strict';
// Prints the ids of every object whose constructor name is CLASS (node type object), one per line, straight
// from the snapshot JSON — an independent view for the leak and compare tests.
// Usage: node ids-of-class.js SNAPSHOT CLASS
const fs = require('fs');
const [file, cls] = process.argv.slice(2);
const snap = JSON.parse(fs.readFileSync(file, 'latin1'));
const meta = snap.snapshot.meta;
const NF = meta.node_fields.length;
const fT = meta.node_fields.indexOf('type'), fN = meta.node_fields.indexOf('name'), fId = meta.node_fields.indexOf('id');
const types = meta.node_types[fT];
const out = [];
for (let i = 0; i < snap.nodes.length; i += NF) {
  if (types[snap.nodes[i + fT]] === 'object' && snap.strings[snap.nodes[i + fN]] === cls) out.push(snap.nodes[i + fId]);
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
