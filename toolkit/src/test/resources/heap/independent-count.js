'use strict';
// An independent check of leakscope's heap numbers, straight from the snapshot JSON (JSON.parse, not our parser):
// node/edge counts, per-class count and self size (DevTools' class rules), and per-node retained sizes from a
// Cooper–Harvey–Kennedy iterative dominator computation (a different algorithm from our Lengauer–Tarjan) with
// DevTools' edge rules: weak edges, shortcuts except from the root, self edges and WeakMap table->value edges do
// not retain; nodes retained only weakly, then anything left, hang off the root.
// Usage: node independent-count.js SNAPSHOT OUT.json
const fs = require('fs');
const [file, out] = process.argv.slice(2);
const snap = JSON.parse(fs.readFileSync(file, 'latin1'));
const meta = snap.snapshot.meta;
const NF = meta.node_fields.length, EF = meta.edge_fields.length;
const fT = meta.node_fields.indexOf('type'), fN = meta.node_fields.indexOf('name'), fId = meta.node_fields.indexOf('id');
const fS = meta.node_fields.indexOf('self_size'), fE = meta.node_fields.indexOf('edge_count');
const eT = meta.edge_fields.indexOf('type'), eN = meta.edge_fields.indexOf('name_or_index'), eTo = meta.edge_fields.indexOf('to_node');
const nodeTypes = meta.node_types[fT], edgeTypes = meta.edge_types[eT];
const { nodes, edges, strings } = snap;
const N = nodes.length / NF, E = edges.length / EF;
const first = new Uint32Array(N + 1);
for (let i = 0; i < N; i++) first[i + 1] = first[i] + nodes[i * NF + fE];

function className(i) {
  const t = nodeTypes[nodes[i * NF + fT]];
  const name = strings[nodes[i * NF + fN]];
  switch (t) {
    case 'hidden': return '(system)';
    case 'object': case 'native': {
      if (name.startsWith('<')) { const sp = name.indexOf(' '); if (sp > 0) return name.substring(0, sp) + '>'; }
      return name;
    }
    case 'code': return '(compiled code)';
    case 'closure': return 'Function';
    case 'regexp': return 'RegExp';
    default: return '(' + t + ')';
  }
}
const classes = {};
for (let i = 1; i < N; i++) {
  const c = className(i);
  const r = classes[c] || (classes[c] = { count: 0, shallowSize: 0 });
  r.count++; r.shallowSize += nodes[i * NF + fS];
}

const weakMapRe = /^\d+ \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\)$/;
function essential(i, e) {
  const t = edgeTypes[edges[e * EF + eT]];
  const to = edges[e * EF + eTo] / NF;
  if (t === 'weak' || to === i) return false;
  if (t === 'shortcut' && i !== 0) return false;
  if (t === 'internal') {
    const m = weakMapRe.exec(strings[edges[e * EF + eN]]);
    if (m && Number(m[1]) === nodes[i * NF + fId]) return false;
  }
  return true;
}
// successor and predecessor lists over essential edges, plus artificial root edges for unreachable nodes
const succ = Array.from({ length: N }, () => []);
const pred = Array.from({ length: N }, () => []);
for (let i = 0; i < N; i++) for (let e = first[i]; e < first[i + 1]; e++) {
  if (!essential(i, e)) continue;
  const to = edges[e * EF + eTo] / NF;
  succ[i].push(to); pred[to].push(i);
}
const seen = new Uint8Array(N);
function mark(s) {
  const st = [s]; seen[s] = 1;
  while (st.length) { const v = st.pop(); for (const w of succ[v]) if (!seen[w]) { seen[w] = 1; st.push(w); } }
}
mark(0);
const hasEssentialRetainer = (v) => pred[v].length > 0;
for (let v = 0; v < N; v++) if (!seen[v] && !hasEssentialRetainer(v)) { succ[0].push(v); pred[v].push(0); mark(v); }
for (let v = 0; v < N; v++) if (!seen[v]) { succ[0].push(v); pred[v].push(0); seen[v] = 1; }
// reverse postorder
const post = new Int32Array(N).fill(-1); const order = []; {
  const vis = new Uint8Array(N); const st = [[0, 0]]; vis[0] = 1;
  while (st.length) {
    const top = st[st.length - 1]; const [v, k] = top;
    if (k < succ[v].length) { top[1]++; const w = succ[v][k]; if (!vis[w]) { vis[w] = 1; st.push([w, 0]); } }
    else { post[v] = order.length; order.push(v); st.pop(); }
  }
}
const idom = new Int32Array(N).fill(-1); idom[0] = 0;
function intersect(a, b) {
  while (a !== b) { while (post[a] < post[b]) a = idom[a]; while (post[b] < post[a]) b = idom[b]; }
  return a;
}
let changed = true, rounds = 0;
while (changed) {
  changed = false; rounds++;
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k]; if (v === 0) continue;
    let d = -1;
    for (const p of pred[v]) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
    if (d !== -1 && idom[v] !== d) { idom[v] = d; changed = true; }
  }
}
const retained = new Float64Array(N);
for (let i = 0; i < N; i++) retained[i] = nodes[i * NF + fS];
for (const v of order) if (v !== 0) retained[idom[v]] += retained[v]; // postorder: children before parents
fs.writeFileSync(out, JSON.stringify({ nodeCount: N, edgeCount: E, stringCount: strings.length, rounds,
  classes, retained: Array.from(retained), idom: Array.from(idom) }));
