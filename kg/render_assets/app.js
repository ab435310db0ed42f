/* The page script of kg's interactive graph. Data comes from the JSON block
   #kg-data; every piece of it reaches the page through textContent, a DOM
   attribute or a canvas text call, never as markup. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const N = data.nodes, E = data.edges, C = data.classes, R = data.relations;
  const S = data.sentences, D = data.documents, U = data.rules;
  const LARGE = N.length > 1000 || E.length > 3000;
  const ARROW_LIMIT = 2000;
  const LABEL_MAX = 16;
  const LABEL_PX = 9;
  const OVERLAY_PX = 12;
  const OVERLAY_MAX = 60;
  const LONG_TEXT = 240;
  const ANIMATION = LARGE ? false : { duration: 350, easingFunction: "easeInOutQuad" };
  const HIERARCHY = ["subOrganizationOf", "locatedIn"];
  const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif';
  const $ = (id) => document.getElementById(id);

  /* ---- text: bidi controls shown, long text cut, nothing parsed as markup ---- */
  const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
  const codeName = (ch) => "U+" + ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  /* For canvas labels, tooltips, attributes and SVG: each bidi control becomes a visible [U+202E]. */
  const plain = (s) => String(s).replace(BIDI, (ch) => "[" + codeName(ch) + "]");
  function cut(s, max) {
    if (s.length <= max) return s;
    const points = Array.from(s);
    return points.length <= max ? s : points.slice(0, max - 1).join("") + "…";
  }
  /* Text nodes for s, each bidi control as a small visible box instead of acting on the text around it. */
  function pieces(s) {
    const out = [];
    let at = 0;
    s = String(s);
    for (const m of s.matchAll(BIDI)) {
      if (m.index > at) out.push(document.createTextNode(s.slice(at, m.index)));
      const box = document.createElement("span");
      box.className = "bidi";
      box.title = "双向文本控制字符 " + codeName(m[0]) + "（已显示为文字，不再改变文字方向）";
      box.textContent = codeName(m[0]);
      out.push(box);
      at = m.index + m[0].length;
    }
    if (at < s.length) out.push(document.createTextNode(s.slice(at)));
    return out;
  }
  /* An isolated piece of document text, cut to max characters with the whole text on hover. */
  function txt(s, max) {
    const b = document.createElement("bdi");
    const shown = max ? cut(String(s), max) : String(s);
    b.append(...pieces(shown));
    if (shown !== String(s)) b.title = plain(s);
    return b;
  }

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null) continue;
        if (key === "text") node.textContent = value;
        else if (key === "cls") node.className = value;
        else if (key === "style") Object.assign(node.style, value);
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value);
      }
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  const linkButton = (children, onclick, cls) => el("button", { type: "button", cls: "link" + (cls ? " " + cls : ""), onclick: onclick }, children);

  const SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }
  function polygon(points) {
    return points.map((p) => p[0].toFixed(2) + "," + p[1].toFixed(2)).join(" ");
  }
  function ring(count, radius, inner, turn, cx, cy) {
    const pts = [];
    const steps = inner ? count * 2 : count;
    for (let k = 0; k < steps; k++) {
      const r = inner && k % 2 ? inner : radius;
      const a = turn + (Math.PI * 2 * k) / steps;
      pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
    }
    return pts;
  }
  /* The outline vis-network draws for a shape of this size around (x, y) (its own formulas), or a circle. */
  function shapePoints(shape, x, y, n) {
    if (shape === "square") return [[x - n, y - n], [x + n, y - n], [x + n, y + n], [x - n, y + n]];
    if (shape === "diamond") return [[x, y + n], [x + n, y], [x, y - n], [x - n, y]];
    if (shape === "hexagon") return ring(6, n, 0, 0, x, y);
    if (shape === "star") {
      const m = n * 0.82, cy = y + 0.1 * m, pts = [];
      for (let k = 0; k < 10; k++) {
        const r = k % 2 === 0 ? 1.3 * m : 0.5 * m;
        pts.push([x + r * Math.sin((2 * k * Math.PI) / 10), cy - r * Math.cos((2 * k * Math.PI) / 10)]);
      }
      return pts;
    }
    if (shape === "triangle" || shape === "triangleDown") {
      const m = n * 1.15, o = 2 * m, half = o / 2, s = (Math.sqrt(3) / 6) * o, a = Math.sqrt(o * o - half * half);
      if (shape === "triangle") { const cy = y + 0.275 * m; return [[x, cy - (a - s)], [x + half, cy + s], [x - half, cy + s]]; }
      const cy = y - 0.275 * m;
      return [[x, cy + (a - s)], [x + half, cy - s], [x - half, cy - s]];
    }
    return null;
  }
  function shapeIcon(shape, colour) {
    const svg = svgEl("svg", { viewBox: "0 0 16 16", class: "swatch", "aria-hidden": "true" });
    const pts = shapePoints(shape, 8, 8, shape === "triangle" || shape === "triangleDown" ? 5.2 : shape === "star" ? 6.2 : 6.5);
    const item = pts ? svgEl("polygon", { points: polygon(pts) }) : svgEl("circle", { cx: 8, cy: 8, r: 6.5 });
    item.setAttribute("fill", colour);
    item.setAttribute("stroke", "#444");
    item.setAttribute("stroke-width", "0.6");
    svg.appendChild(item);
    return svg;
  }

  function darker(hex, f) {
    const v = parseInt(hex.slice(1), 16);
    const c = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((x) => Math.round(x * f));
    return "rgb(" + c.join(",") + ")";
  }

  /* ---- what the data says, indexed ---- */
  const adjacency = N.map(() => []);
  E.forEach((e, j) => {
    adjacency[e.from].push(j);
    if (e.to !== e.from) adjacency[e.to].push(j);
  });
  const classTotal = C.map(() => 0), relationTotal = R.map(() => 0), ruleTotal = U.map(() => 0);
  N.forEach((n) => { classTotal[n.cls]++; });
  E.forEach((e) => { relationTotal[e.rel]++; });
  const edgeRules = E.map((e) => Array.from(new Set(e.ev.map((v) => v[2]))).sort((a, b) => a - b));
  edgeRules.forEach((rules) => rules.forEach((r) => { ruleTotal[r]++; }));
  const edgeInferred = E.map((e, j) => edgeRules[j].length > 0 && edgeRules[j].every((r) => U[r].inferred));
  const edgeConfidence = E.map((e) => e.ev.reduce((best, v) => (v[3] !== null && (best === null || v[3] > best) ? v[3] : best), null));
  const edgeYears = E.map((e) => {
    const ys = new Set(e.years || []);
    e.ev.forEach((v) => { const d = D[v[1]]; if (d && d.year !== undefined) ys.add(d.year); });
    return Array.from(ys).sort((a, b) => a - b);
  });
  const edgeDocs = E.map((e) => new Set(e.ev.map((v) => (S[v[0]] ? S[v[0]].doc : v[1])).filter((d) => d >= 0)));
  const nodeDocs = N.map((n, i) => {
    const docs = new Set(n.m.map((m) => S[m[0]].doc).filter((d) => d >= 0));
    adjacency[i].forEach((j) => edgeDocs[j].forEach((d) => docs.add(d)));
    return docs.size;
  });
  const nodeConfidence = N.map((n, i) => adjacency[i].reduce((best, j) =>
    (edgeConfidence[j] !== null && (best === null || edgeConfidence[j] > best) ? edgeConfidence[j] : best), null));
  const allYears = Array.from(new Set(edgeYears.flat())).sort((a, b) => a - b);
  const isolatedTotal = N.filter((n, i) => adjacency[i].length === 0).length;
  const sentencesOfDoc = new Map();
  S.forEach((s, k) => {
    if (!sentencesOfDoc.has(s.doc)) sentencesOfDoc.set(s.doc, []);
    sentencesOfDoc.get(s.doc).push(k);
  });
  const byDegree = N.map((_, i) => i).sort((a, b) => N[b].deg - N[a].deg || a - b);

  /* Short keys for links: IRIs without the prefix they all share. */
  const base = (() => {
    if (!N.length) return "";
    let p = N[0].iri;
    for (const n of N) { while (!n.iri.startsWith(p)) p = p.slice(0, -1); }
    return p.slice(0, p.lastIndexOf("/") + 1);
  })();
  const nodeKey = (i) => N[i].iri.slice(base.length);
  const keyIndex = new Map(N.map((n, i) => [nodeKey(i), i]));
  const edgeKey = (j) => nodeKey(E[j].from) + " " + R[E[j].rel].id + " " + nodeKey(E[j].to);
  const edgeIndex = new Map(E.map((e, j) => [edgeKey(j), j]));

  /* ---- vis data ---- */
  const groups = {};
  C.forEach((c, k) => {
    groups["c" + k] = {
      shape: c.shape,
      color: { background: c.colour, border: darker(c.colour, 0.7),
               highlight: { background: c.colour, border: "#111" }, hover: { background: c.colour, border: "#111" } },
      borderWidth: 1, borderWidthSelected: 3,
    };
  });
  const canvasLabel = N.map((n) => plain(cut(n.label, LABEL_MAX)));
  const nodeItems = N.map((n, i) => ({
    id: i, label: canvasLabel[i], x: n.x, y: n.y, group: "c" + n.cls, size: n.size, font: { size: n.font },
    title: cut(plain(C[n.cls].zh + " · " + n.label + (n.aliases.length ? "（别名：" + n.aliases.join("、") + "）" : "")), 160),
  }));
  const edgeItems = E.map((e, j) => {
    const r = R[e.rel];
    const item = {
      id: j, from: e.from, to: e.to, label: r.zh, title: r.zh + "（" + r.id + "）" + (edgeInferred[j] ? " · 由名称推断" : ""),
      color: { color: r.colour, highlight: darker(r.colour, 0.6), hover: darker(r.colour, 0.6), opacity: LARGE ? 0.55 : 0.9 },
    };
    if (edgeInferred[j]) item.dashes = [6, 4];
    if (e.lane > 0 || e.from === e.to) item.smooth = { enabled: true, type: e.lane % 2 ? "curvedCW" : "curvedCCW", roundness: 0.2 + 0.15 * Math.floor(e.lane / 2) };
    return item;
  });
  let nodes = null, edges = null;

  const options = {
    groups: groups,
    nodes: { font: { face: FONT, size: 14, color: "#222", strokeWidth: 3, strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: LABEL_PX } } },
    edges: {
      arrows: { to: { enabled: E.length <= ARROW_LIMIT, scaleFactor: 0.5 } }, width: 1.2, hoverWidth: 1.5, selectionWidth: 2,
      smooth: false,
      font: { face: FONT, size: 11, color: "#555", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      scaling: { label: { drawThreshold: LARGE ? 16 : 8 } },
    },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !LARGE, tooltipDelay: 250, hideEdgesOnDrag: LARGE, hideEdgesOnZoom: LARGE, keyboard: false, multiselect: false },
    physics: { enabled: false },
  };

  const container = $("network");
  const network = new vis.Network(container, {}, options);

  /* ---- view state: everything a link restores ---- */
  const state = {
    hiddenClasses: new Set(), hiddenRelations: new Set(), hiddenRules: new Set(),
    minConfidence: 0, yearMode: "", year: allYears.length ? allYears[allYears.length - 1] : null, undated: true,
    isolated: E.length === 0, hood: null, layout: "force", radial: null,
    selected: null, context: null, table: null, tableSort: null, tableFilter: "", query: "",
  };
  const nodeShownNow = N.map(() => true);
  const edgeShownNow = E.map(() => true);
  let arrows = E.length <= ARROW_LIMIT;
  let layoutSignature = "";

  function evidencePasses(j) {
    const e = E[j];
    if (!state.hiddenRules.size && state.minConfidence <= 0) return true;
    if (!e.ev.length) return state.minConfidence <= 0;
    return e.ev.some((v) => !state.hiddenRules.has(v[2]) &&
      (state.minConfidence <= 0 || (v[3] !== null && v[3] >= state.minConfidence - 1e-9)));
  }
  function yearPasses(j) {
    if (!state.yearMode || state.year === null) return true;
    const ys = edgeYears[j];
    if (!ys.length) return state.undated;
    return state.yearMode === "in" ? ys.includes(state.year) : ys[0] <= state.year;
  }
  function hoodSet(classOK, edgePass) {
    if (!state.hood) return null;
    const { centre, depth } = state.hood;
    const seen = new Map([[centre, 0]]);
    const queue = [centre];
    while (queue.length) {
      const v = queue.shift();
      if (seen.get(v) >= depth) continue;
      for (const j of adjacency[v]) {
        if (!edgePass[j]) continue;
        const e = E[j], w = e.from === v ? e.to : e.from;
        if (seen.has(w) || !classOK[w]) continue;
        seen.set(w, seen.get(v) + 1);
        queue.push(w);
      }
    }
    return new Set(seen.keys());
  }
  /* Which nodes and edges the filters, the neighbourhood and the isolated-entities switch leave. */
  function visibility() {
    const classOK = N.map((n) => !state.hiddenClasses.has(n.cls));
    const edgePass = E.map((e, j) => !state.hiddenRelations.has(e.rel) && evidencePasses(j) && yearPasses(j));
    const hood = hoodSet(classOK, edgePass);
    const allowed = N.map((n, i) => classOK[i] && (hood === null || hood.has(i)));
    const edgeShown = E.map((e, j) => edgePass[j] && allowed[e.from] && allowed[e.to]);
    const degree = N.map(() => 0);
    E.forEach((e, j) => { if (edgeShown[j]) { degree[e.from]++; degree[e.to]++; } });
    const nodeShown = N.map((n, i) => allowed[i] && (state.isolated || degree[i] > 0 || (state.hood !== null && state.hood.centre === i)));
    return { nodeShown, edgeShown, hood };
  }

  /* ---- layouts of what is shown ---- */
  const bodyRadius = (i) => N[i].size * 1.55 + 1;
  const slotWidth = (i) => Math.max(SINGLE_DX, 15 * Math.min(LABEL_MAX, N[i].label.length) + 30);
  const EDGE_PX = 110, SINGLE_DX = 80, SINGLE_DY = 60, LEVEL_PX = 170, RING_PX = 190;

  function components(ids, edgeShown) {
    const inSet = new Uint8Array(N.length);
    ids.forEach((i) => { inSet[i] = 1; });
    const seen = new Uint8Array(N.length), comps = [];
    for (const i of ids) {
      if (seen[i]) continue;
      const comp = [i];
      seen[i] = 1;
      for (let k = 0; k < comp.length; k++) {
        for (const j of adjacency[comp[k]]) {
          if (!edgeShown[j]) continue;
          const w = E[j].from === comp[k] ? E[j].to : E[j].from;
          if (inSet[w] && !seen[w]) { seen[w] = 1; comp.push(w); }
        }
      }
      comps.push(comp.sort((a, b) => a - b));
    }
    return comps.sort((a, b) => b.length - a.length || a[0] - b[0]);
  }
  /* Components keep the shape they have in the page's own layout and are packed in rows, largest
     first, then entities without a shown relation: the packing kg.layout.layout does. */
  function packedLayout(ids, edgeShown) {
    const comps = components(ids, edgeShown);
    const boxes = [], singles = [];
    for (const comp of comps) {
      if (comp.length === 1) { singles.push(comp[0]); continue; }
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      comp.forEach((i) => { x0 = Math.min(x0, N[i].x); y0 = Math.min(y0, N[i].y); x1 = Math.max(x1, N[i].x); y1 = Math.max(y1, N[i].y); });
      boxes.push({ comp, x0, y0, w: x1 - x0, h: y1 - y0 });
    }
    const gap = EDGE_PX;
    const area = boxes.reduce((a, b) => a + (b.w + gap) * (b.h + gap), 0) + singles.length * SINGLE_DX * SINGLE_DY;
    const rowWidth = Math.max(boxes.reduce((a, b) => Math.max(a, b.w), 0), Math.sqrt(area) * 1.2);
    const pos = new Map();
    let x = 0, y = 0, rowHeight = 0;
    for (const b of boxes) {
      if (x > 0 && x + b.w > rowWidth) { x = 0; y += rowHeight + gap; rowHeight = 0; }
      b.comp.forEach((i) => pos.set(i, [N[i].x - b.x0 + x, N[i].y - b.y0 + y]));
      x += b.w + gap;
      rowHeight = Math.max(rowHeight, b.h);
    }
    if (singles.length) {
      y += boxes.length ? rowHeight + gap : 0;
      x = 0;
      for (const i of singles) {
        const w = slotWidth(i);
        if (x > 0 && x + w > rowWidth) { x = 0; y += SINGLE_DY; }
        pos.set(i, [x + w / 2, y]);
        x += w;
      }
    }
    return pos;
  }
  /* Trees along subOrganizationOf and locatedIn (each entity under the first parent it names), the
     entities with other relations as leaves under a neighbour in a tree, the rest in rows below. */
  function treeLayout(ids, edgeShown) {
    const shown = new Uint8Array(N.length);
    ids.forEach((i) => { shown[i] = 1; });
    const parent = new Map(), children = new Map();
    const ancestorOf = (a, b) => { for (let v = a; v !== undefined; v = parent.get(v)) if (v === b) return true; return false; };
    const link = (child, p) => {
      parent.set(child, p);
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(child);
    };
    for (const i of ids) {
      const candidates = adjacency[i].filter((j) => edgeShown[j] && E[j].from === i && E[j].to !== i &&
        HIERARCHY.includes(R[E[j].rel].id) && shown[E[j].to])
        .sort((a, b) => HIERARCHY.indexOf(R[E[a].rel].id) - HIERARCHY.indexOf(R[E[b].rel].id) || a - b);
      for (const j of candidates) { if (!ancestorOf(E[j].to, i)) { link(i, E[j].to); break; } }
    }
    const inTree = (i) => parent.has(i) || children.has(i);
    for (const i of ids) {
      if (inTree(i)) continue;
      const hosts = adjacency[i].filter((j) => edgeShown[j]).map((j) => (E[j].from === i ? E[j].to : E[j].from))
        .filter((w) => w !== i && shown[w] && inTree(w) && !parent.has(i)).sort((a, b) => N[b].deg - N[a].deg || a - b);
      if (hosts.length) link(i, hosts[0]);
    }
    children.forEach((list) => list.sort((a, b) => N[b].deg - N[a].deg || a - b));
    const width = new Map();
    const order = [];
    const roots = ids.filter((i) => !parent.has(i) && children.has(i));
    for (const r of roots) {
      const stack = [r];
      while (stack.length) { const v = stack.pop(); order.push(v); (children.get(v) || []).forEach((c) => stack.push(c)); }
    }
    for (let k = order.length - 1; k >= 0; k--) {
      const v = order[k], own = Math.max(2 * bodyRadius(v) + 8, 96);
      const sum = (children.get(v) || []).reduce((a, c) => a + width.get(c), 0);
      width.set(v, Math.max(own, sum));
    }
    roots.sort((a, b) => width.get(b) - width.get(a) || a - b);
    const pos = new Map();
    let x = 0, depthMax = 0;
    const place = (v, left, depth) => {
      const kids = children.get(v) || [];
      const w = width.get(v);
      pos.set(v, [left + w / 2, depth * LEVEL_PX]);
      depthMax = Math.max(depthMax, depth);
      let at = left + (w - kids.reduce((a, c) => a + width.get(c), 0)) / 2;
      for (const c of kids) { place(c, at, depth + 1); at += width.get(c); }
    };
    for (const r of roots) { place(r, x, 0); x += width.get(r) + EDGE_PX; }
    const rest = ids.filter((i) => !pos.has(i));
    const rowWidth = Math.max(x, Math.sqrt(rest.length) * SINGLE_DX * 1.5);
    let rx = 0, ry = (roots.length ? depthMax + 1 : 0) * LEVEL_PX + (roots.length ? EDGE_PX : 0);
    for (const i of rest) {
      const w = slotWidth(i);
      if (rx > 0 && rx + w > rowWidth) { rx = 0; ry += SINGLE_DY; }
      pos.set(i, [rx + w / 2, ry]);
      rx += w;
    }
    return pos;
  }
  /* Rings of equal graph distance from the centre, each ordered by its parents' angles and spaced so
     no bodies touch; what the centre cannot reach goes on an outer ring. */
  function radialLayout(ids, edgeShown, centre) {
    const shown = new Uint8Array(N.length);
    ids.forEach((i) => { shown[i] = 1; });
    const level = new Map([[centre, 0]]), parentAngle = new Map([[centre, 0]]);
    let frontier = [centre];
    const rings = [[centre]];
    while (frontier.length) {
      const next = [];
      for (const v of frontier) {
        for (const j of adjacency[v]) {
          if (!edgeShown[j]) continue;
          const w = E[j].from === v ? E[j].to : E[j].from;
          if (!shown[w] || level.has(w)) continue;
          level.set(w, level.get(v) + 1);
          next.push(w);
          parentAngle.set(w, v);
        }
      }
      if (!next.length) break;
      rings.push(next);
      frontier = next;
    }
    const rest = ids.filter((i) => !level.has(i));
    if (rest.length) rings.push(rest);
    const pos = new Map([[centre, [0, 0]]]);
    const angle = new Map([[centre, 0]]);
    let radius = 0;
    for (let k = 1; k < rings.length; k++) {
      const list = rings[k].slice().sort((a, b) => {
        const pa = parentAngle.has(a) ? angle.get(parentAngle.get(a)) : 0, pb = parentAngle.has(b) ? angle.get(parentAngle.get(b)) : 0;
        return pa - pb || a - b;
      });
      const slot = list.reduce((m, i) => Math.max(m, 2 * bodyRadius(i) + 10), 60);
      radius = Math.max(radius + RING_PX, (list.length * slot) / (2 * Math.PI));
      list.forEach((i, t) => {
        const a = (2 * Math.PI * t) / list.length - Math.PI / 2;
        angle.set(i, (a + 2 * Math.PI) % (2 * Math.PI));
        pos.set(i, [radius * Math.cos(a), radius * Math.sin(a)]);
      });
    }
    return pos;
  }
  function radialCentre(ids) {
    const shown = new Set(ids);
    const wanted = [state.radial, state.hood ? state.hood.centre : null, state.selected && state.selected.kind === "node" ? state.selected.id : null];
    for (const i of wanted) if (i !== null && i !== undefined && shown.has(i)) return i;
    return byDegree.find((i) => shown.has(i));
  }

  /* ---- applying the state ---- */
  function apply(opts) {
    opts = opts || {};
    const vis_ = visibility();
    const nodeUpdates = [];
    const ids = [];
    let changed = false;
    N.forEach((_, i) => {
      if (vis_.nodeShown[i]) ids.push(i);
      if (vis_.nodeShown[i] !== nodeShownNow[i]) { nodeShownNow[i] = vis_.nodeShown[i]; changed = true; }
    });
    const edgeUpdates = [];
    E.forEach((_, j) => {
      if (vis_.edgeShown[j] !== edgeShownNow[j]) { edgeShownNow[j] = vis_.edgeShown[j]; edgeUpdates.push({ id: j, hidden: !vis_.edgeShown[j] }); changed = true; }
    });
    const centre = state.layout === "radial" ? radialCentre(ids) : null;
    const signature = state.layout + ":" + (centre === null || centre === undefined ? "" : centre);
    const relayout = changed || signature !== layoutSignature || opts.relayout;
    let pos = null;
    if (relayout && ids.length) {
      const everything = state.layout === "force" && allShownAsBuilt(vis_);
      pos = everything ? null : state.layout === "tree" ? treeLayout(ids, vis_.edgeShown)
        : state.layout === "radial" ? radialLayout(ids, vis_.edgeShown, centre) : packedLayout(ids, vis_.edgeShown);
    }
    N.forEach((n, i) => {
      const item = { id: i, hidden: !nodeShownNow[i] };
      if (relayout && nodeShownNow[i]) {
        const p = pos ? pos.get(i) : [n.x, n.y];
        item.x = Math.round(p[0]);
        item.y = Math.round(p[1]);
      }
      if (relayout) nodeUpdates.push(item);
    });
    layoutSignature = signature;
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    const wanted = edgeShownNow.filter((h) => h).length <= ARROW_LIMIT;
    if (wanted !== arrows) {
      arrows = wanted;
      network.setOptions({ edges: { arrows: { to: { enabled: arrows, scaleFactor: 0.5 } } } });
    }
    updateCounts();
    if (state.table) renderTable();
    if (relayout && opts.fit !== false) fitShown();
    return relayout;
  }
  /* True when every component the page was laid out with is shown whole or not at all, so the
     positions written into the page still hold. */
  function allShownAsBuilt(v) {
    for (let j = 0; j < E.length; j++) {
      const e = E[j];
      if (!v.edgeShown[j] && (v.nodeShown[e.from] || v.nodeShown[e.to])) return false;
    }
    return true;
  }

  function visibleNodeIds() { return N.map((_, i) => i).filter((i) => nodeShownNow[i]); }
  function visibleEdgeIds() { return E.map((_, j) => j).filter((j) => edgeShownNow[j]); }

  /* ---- camera: the free part of the canvas is what the panel and the table leave uncovered ---- */
  function freeRect() {
    const box = container.getBoundingClientRect();
    const free = { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
    for (const cover of [$("panel"), $("table-view")]) {
      if (cover.hidden) continue;
      const c = cover.getBoundingClientRect();
      if (c.width <= 0 || c.height <= 0) continue;
      if (c.top <= box.top + 2 && c.bottom >= box.bottom - 2 && c.left > box.left) free.right = Math.min(free.right, c.left);
      else if (c.bottom >= box.bottom - 2 && c.top > box.top) free.bottom = Math.min(free.bottom, c.top);
    }
    return { x: free.left - box.left, y: free.top - box.top, w: Math.max(40, free.right - free.left), h: Math.max(40, free.bottom - free.top),
             cw: box.width, ch: box.height };
  }
  function freeOffset(f) {
    return { x: f.x + f.w / 2 - f.cw / 2, y: f.y + f.h / 2 - f.ch / 2 };
  }
  function fitShown(ids) {
    ids = ids || visibleNodeIds();
    if (!ids.length) return;
    const f = freeRect();
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const positions = network.getPositions(ids);
    ids.forEach((i) => {
      const p = positions[i], r = N[i].size + 8;
      x0 = Math.min(x0, p.x - r); x1 = Math.max(x1, p.x + r);
      y0 = Math.min(y0, p.y - r); y1 = Math.max(y1, p.y + r + N[i].font + 4);
    });
    const scale = Math.min(2, (f.w - 24) / Math.max(1, x1 - x0), (f.h - 24) / Math.max(1, y1 - y0));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: Math.max(0.002, scale), offset: freeOffset(f), animation: ANIMATION });
  }
  function centre(i, scale) {
    network.moveTo({ position: network.getPosition(i), scale: scale || Math.max(network.getScale(), 1.1),
                     offset: freeOffset(freeRect()), animation: ANIMATION });
  }
  /* A selected node that the panel or the table now covers is brought out from under it: at once, or
     (after a click) once a double-click could no longer be under way. */
  let uncoverTimer = null;
  function uncover(i) {
    if (!state.selected || state.selected.kind !== "node" || state.selected.id !== i || !nodeShownNow[i]) return;
    const p = network.canvasToDOM(network.getPosition(i)), f = freeRect();
    const margin = 30;
    const dx = Math.min(0, f.x + f.w - margin - p.x) + Math.max(0, f.x + margin - p.x);
    const dy = Math.min(0, f.y + f.h - margin - p.y) + Math.max(0, f.y + margin - p.y);
    if (dx || dy) {
      const s = network.getScale(), view = network.getViewPosition();
      network.moveTo({ position: { x: view.x - dx / s, y: view.y - dy / s }, scale: s, animation: ANIMATION });
    }
  }
  function uncoverLater(i) {
    clearTimeout(uncoverTimer);
    uncoverTimer = setTimeout(() => uncover(i), 450);
  }

  /* ---- legend, filters and their counts ---- */
  const classBoxes = [], relationBoxes = [], ruleBoxes = [];
  const classCounts = [], relationCounts = [], ruleCounts = [];
  function checkboxRow(list, box, label, countEl, extra) {
    list.appendChild(el("li", null, [el("label", { title: extra }, [box].concat(label, [countEl]))]));
  }
  C.forEach((c, k) => {
    const box = el("input", { type: "checkbox", "data-class": c.id });
    box.checked = true;
    box.addEventListener("change", () => { toggle(state.hiddenClasses, k, box.checked); apply(); commit(); });
    classBoxes.push(box);
    classCounts.push(el("span", { cls: "n" }));
    checkboxRow($("class-filters"), box, [shapeIcon(c.shape, c.colour), el("span", { text: c.zh })], classCounts[k], c.id);
  });
  R.forEach((r, k) => {
    const box = el("input", { type: "checkbox", "data-relation": r.id });
    box.checked = true;
    box.addEventListener("change", () => { toggle(state.hiddenRelations, k, box.checked); apply(); commit(); });
    relationBoxes.push(box);
    relationCounts.push(el("span", { cls: "n" }));
    checkboxRow($("relation-filters"), box, [el("span", { cls: "line", style: { background: r.colour } }), el("span", { text: r.zh })],
      relationCounts[k], r.id);
  });
  U.forEach((u, k) => {
    const box = el("input", { type: "checkbox", "data-rule": u.id });
    box.checked = true;
    box.addEventListener("change", () => { toggle(state.hiddenRules, k, box.checked); syncControls(); apply(); commit(); });
    ruleBoxes.push(box);
    ruleCounts.push(el("span", { cls: "n" }));
    checkboxRow($("rule-filters"), box, [el("span", { cls: "rule-name" }, [txt(u.id, 60)]), u.inferred ? el("span", { cls: "tag", text: "推断" }) : null],
      ruleCounts[k], u.inferred ? "由名称结构推断，不是句子陈述的事实" : "句子陈述的关系");
  });
  function toggle(set, k, shown) { if (shown) set.delete(k); else set.add(k); }
  document.querySelectorAll("#filters button.all").forEach((button) => {
    button.addEventListener("click", () => {
      const group = button.dataset.group;
      const boxes = group === "classes" ? classBoxes : group === "relations" ? relationBoxes : ruleBoxes;
      const hidden = group === "classes" ? state.hiddenClasses : group === "relations" ? state.hiddenRelations : state.hiddenRules;
      const check = boxes.some((b) => !b.checked);
      boxes.forEach((b, k) => { b.checked = check; toggle(hidden, k, check); });
      syncControls();
      apply();
      commit();
    });
  });
  const inferredRules = U.map((u, k) => k).filter((k) => U[k].inferred);
  $("inferred").addEventListener("change", () => {
    inferredRules.forEach((k) => toggle(state.hiddenRules, k, $("inferred").checked));
    syncControls();
    apply();
    commit();
  });
  if (!inferredRules.length) $("inferred").disabled = true;
  $("isolated").addEventListener("change", () => { state.isolated = $("isolated").checked; apply(); commit(); });
  $("isolated-count").textContent = String(isolatedTotal);
  const confidence = $("min-confidence");
  confidence.addEventListener("input", () => { $("min-confidence-value").textContent = Number(confidence.value).toFixed(2); });
  confidence.addEventListener("change", () => { state.minConfidence = Number(confidence.value); syncControls(); apply(); commit(); });
  if (allYears.length) {
    $("year-filters").hidden = false;
    const year = $("year");
    year.min = String(allYears[0]);
    year.max = String(allYears[allYears.length - 1]);
    year.addEventListener("input", () => { $("year-value").textContent = year.value; });
    year.addEventListener("change", () => { state.year = Number(year.value); if (!state.yearMode) state.yearMode = "upto"; syncControls(); apply(); commit(); });
    $("year-mode").addEventListener("change", () => { state.yearMode = $("year-mode").value; apply(); commit(); });
    $("undated").addEventListener("change", () => { state.undated = $("undated").checked; apply(); commit(); });
  }
  $("layout-mode").addEventListener("change", () => {
    state.layout = $("layout-mode").value;
    state.radial = state.layout === "radial" ? radialCentre(visibleNodeIds()) : null;
    apply({ relayout: true });
    commit();
  });
  /* The controls show the state (after a link is opened, back or forward, or a group toggle). */
  function syncControls() {
    classBoxes.forEach((b, k) => { b.checked = !state.hiddenClasses.has(k); });
    relationBoxes.forEach((b, k) => { b.checked = !state.hiddenRelations.has(k); });
    ruleBoxes.forEach((b, k) => { b.checked = !state.hiddenRules.has(k); });
    const inf = $("inferred");
    inf.checked = inferredRules.some((k) => !state.hiddenRules.has(k));
    inf.indeterminate = inf.checked && inferredRules.some((k) => state.hiddenRules.has(k));
    $("isolated").checked = state.isolated;
    confidence.value = String(state.minConfidence);
    $("min-confidence-value").textContent = state.minConfidence.toFixed(2);
    $("layout-mode").value = state.layout;
    if (allYears.length) {
      $("year-mode").value = state.yearMode;
      $("year").value = String(state.year);
      $("year-value").textContent = String(state.year);
      $("undated").checked = state.undated;
    }
    $("rule-count").textContent = U.length - state.hiddenRules.size + " / " + U.length;
  }

  function updateCounts() {
    const n = nodeShownNow.filter((h) => h).length, m = edgeShownNow.filter((h) => h).length;
    $("counts").textContent = "实体 " + n + " / " + N.length + " · 关系 " + m + " / " + E.length;
    const cls = C.map(() => 0), rel = R.map(() => 0), rule = U.map(() => 0);
    let inferred = 0;
    N.forEach((x, i) => { if (nodeShownNow[i]) cls[x.cls]++; });
    E.forEach((e, j) => {
      if (!edgeShownNow[j]) return;
      rel[e.rel]++;
      edgeRules[j].forEach((r) => { rule[r]++; });
      if (edgeInferred[j]) inferred++;
    });
    classCounts.forEach((c, k) => { c.textContent = cls[k] + " / " + classTotal[k]; });
    relationCounts.forEach((c, k) => { c.textContent = rel[k] + " / " + relationTotal[k]; });
    ruleCounts.forEach((c, k) => { c.textContent = rule[k] + " / " + ruleTotal[k]; });
    $("inferred-count").textContent = inferred + " / " + edgeInferred.filter((x) => x).length;
    $("rule-count").textContent = U.length - state.hiddenRules.size + " / " + U.length;
  }

  /* ---- marked text: the names or spans it is about, a window around them when it is long ---- */
  function termRanges(text, terms) {
    const wanted = Array.from(new Set(terms.filter((t) => t && t.length))).sort((a, b) => b.length - a.length);
    const out = [];
    let at = 0;
    while (at < text.length) {
      let best = -1, bestTerm = "";
      for (const t of wanted) {
        const k = text.indexOf(t, at);
        if (k >= 0 && (best < 0 || k < best)) { best = k; bestTerm = t; }
      }
      if (best < 0) break;
      out.push([best, best + bestTerm.length]);
      at = best + bestTerm.length;
    }
    return out;
  }
  function mergeRanges(ranges) {
    const sorted = ranges.filter((r) => r[1] > r[0]).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const out = [];
    for (const r of sorted) {
      if (out.length && r[0] < out[out.length - 1][1]) out[out.length - 1][1] = Math.max(out[out.length - 1][1], r[1]);
      else out.push([r[0], r[1]]);
    }
    return out;
  }
  function markedNodes(text, ranges) {
    const out = [];
    let at = 0;
    for (const [a, b] of ranges) {
      if (a > at) out.push(...pieces(text.slice(at, a)));
      out.push(el("mark", null, pieces(text.slice(a, b))));
      at = b;
    }
    if (at < text.length) out.push(...pieces(text.slice(at)));
    return out;
  }
  /* A quote: the whole sentence when short, else about LONG_TEXT characters around its first mark,
     with a button for the whole. */
  function quote(text, ranges, cls) {
    ranges = mergeRanges(ranges);
    const box = el("blockquote", { cls: cls });
    const bdi = document.createElement("bdi");
    box.appendChild(bdi);
    if (text.length <= LONG_TEXT) {
      bdi.append(...markedNodes(text, ranges));
      return box;
    }
    const focus = ranges.length ? ranges[0][0] : 0;
    const from = Math.max(0, Math.min(focus - 90, text.length - LONG_TEXT)), to = Math.min(text.length, from + LONG_TEXT);
    const inside = ranges.filter((r) => r[1] > from && r[0] < to).map((r) => [Math.max(r[0], from) - from, Math.min(r[1], to) - from]);
    bdi.append(from > 0 ? "…" : "", ...markedNodes(text.slice(from, to), inside), to < text.length ? "…" : "");
    const whole = el("button", { type: "button", cls: "link muted", text: "显示全文（" + text.length + " 字）" });
    whole.addEventListener("click", () => { bdi.replaceChildren(...markedNodes(text, ranges)); whole.remove(); });
    box.append(" ", whole);
    return box;
  }

  function docHeading(docIndex) {
    const d = D[docIndex];
    if (!d) return el("div", { cls: "doc", text: "（来源不明）" });
    return el("div", { cls: "doc" }, [d.title ? el("span", null, ["《", txt(d.title, 80), "》 "]) : null,
      el("span", { cls: "muted" }, [txt(d.file, 80)]), d.year !== undefined ? el("span", { cls: "muted", text: " · " + d.year + " 年" }) : null]);
  }
  function nodeLink(i) {
    return linkButton([txt(N[i].label, 40)], () => { focusNode(i); commit(); });
  }
  function moreButton(list, rest, make) {
    if (!rest.length) return;
    const button = el("button", { type: "button", text: "再显示 " + rest.length + " 条" });
    button.addEventListener("click", () => { button.remove(); rest.forEach((x) => list.appendChild(make(x))); });
    list.after(button);
  }

  /* Mentions of node i as [absolute start, absolute end] in document doc (known offsets only). */
  function mentionSpans(i, doc) {
    return N[i].m.filter((m) => m[2] >= 0 && S[m[0]].doc === doc).map((m) => [m[2], m[2] + m[1].length]);
  }
  /* Ranges to mark in sentence s for the given nodes: their mention offsets, else their names. */
  function sentenceRanges(s, ids) {
    const sent = S[s], spans = [], terms = [];
    ids.forEach((i) => {
      mentionSpans(i, sent.doc).forEach(([a, b]) => {
        if (a >= sent.start && b <= sent.start + sent.text.length) spans.push([a - sent.start, b - sent.start]);
      });
      terms.push(N[i].label, ...N[i].aliases);
      N[i].m.forEach((m) => { if (m[0] === s) terms.push(m[1]); });
    });
    return spans.length ? spans : termRanges(sent.text, terms);
  }

  /* ---- side panel ---- */
  const panel = $("panel"), body = $("panel-body");

  function openPanel(children) {
    body.replaceChildren(...children);
    panel.hidden = false;
    $("layout").classList.add("panel-open");
    panel.scrollTop = 0;
  }
  function closePanel() {
    panel.hidden = true;
    $("layout").classList.remove("panel-open");
    body.replaceChildren();
    state.selected = null;
    state.context = null;
    network.unselectAll();
    markTableSelection();
  }
  $("panel-close").addEventListener("click", () => { closePanel(); commit(); });

  function contextButton(s, ids) {
    return el("button", { type: "button", cls: "link muted", text: "上下文", title: "在原文中查看这句话",
      onclick: () => { showContext(s, ids); commit(); } });
  }

  function showNode(i) {
    const n = N[i], c = C[n.cls];
    state.selected = { kind: "node", id: i };
    state.context = null;
    const parts = [
      el("h2", null, [txt(n.label, 120)]),
      el("div", null, [el("span", { cls: "chip", style: { background: c.colour }, text: c.zh }), el("span", { cls: "muted", text: c.id })]),
      el("p", null, [el("strong", { text: "别名：" })].concat(n.aliases.length ? n.aliases.map((a, k) => el("span", null, [k ? "、" : "", txt(a, 60)])) : ["无"])),
      el("div", { cls: "iri" }, [txt(n.iri, 300)]),
      el("div", { cls: "tools" }, [
        el("button", { type: "button", text: "邻域 · 1 层", onclick: () => { showHood(i, 1); commit(); } }),
        el("button", { type: "button", text: "邻域 · 2 层", onclick: () => { showHood(i, 2); commit(); } }),
        el("button", { type: "button", text: "居中", onclick: () => centre(i) }),
        el("button", { type: "button", text: "径向布局", title: "以此实体为中心的径向布局", onclick: () => { radialAround(i); commit(); } }),
      ]),
    ];
    const rels = adjacency[i];
    parts.push(el("h3", { text: "关系（" + rels.length + "）" }));
    const relList = el("ul", { id: "panel-relations" });
    const relRow = (j) => {
      const e = E[j], r = R[e.rel], out = e.from === i;
      return el("li", { cls: "rel" }, [
        el("span", { cls: "muted", text: out ? "→" : "←" }),
        el("span", { style: { color: darker(r.colour, 0.8) }, text: r.zh }),
        nodeLink(out ? e.to : e.from),
        edgeInferred[j] ? el("span", { cls: "tag", text: "推断" }) : null,
        linkButton(["证据 " + e.ev.length], () => { selectEdge(j); commit(); }, "muted"),
        edgeShownNow[j] ? null : el("span", { cls: "muted", text: "（已筛除）" }),
      ]);
    };
    rels.slice(0, 200).forEach((j) => relList.appendChild(relRow(j)));
    if (!rels.length) relList.appendChild(el("li", { cls: "muted", text: "无" }));
    parts.push(relList);

    const sentenceIds = Array.from(new Set(n.m.map((m) => m[0]))).sort((a, b) => a - b);
    parts.push(el("h3", { text: "证据：提及的句子（" + sentenceIds.length + "）" }));
    const evList = el("div", { id: "panel-evidence" });
    let lastDoc = null;
    const sentenceRow = (s) => {
      const frag = document.createDocumentFragment();
      if (S[s].doc !== lastDoc) { lastDoc = S[s].doc; frag.appendChild(docHeading(S[s].doc)); }
      frag.appendChild(quote(S[s].text, sentenceRanges(s, [i])));
      frag.appendChild(el("div", { cls: "meta" }, [contextButton(s, [i])]));
      return frag;
    };
    sentenceIds.slice(0, 100).forEach((s) => evList.appendChild(sentenceRow(s)));
    if (!sentenceIds.length) evList.appendChild(el("p", { cls: "muted", text: "图中没有此实体的提及。" }));
    parts.push(evList);
    openPanel(parts);
    moreButton(relList, rels.slice(200), relRow);
    moreButton(evList, sentenceIds.slice(100), sentenceRow);
    markTableSelection();
  }

  function ruleNote(rule) {
    const u = U[rule];
    if (!u) return "规则 —";
    return u.inferred ? "由名称推断（规则 " + plain(u.id) + "）：名称的结构蕴含此关系，句子并未陈述" : "规则 " + plain(u.id);
  }
  function showEdge(j) {
    const e = E[j], r = R[e.rel];
    state.selected = { kind: "edge", id: j };
    state.context = null;
    const parts = [
      el("h2", null, [txt(N[e.from].label, 60), " → ", txt(N[e.to].label, 60)]),
      el("div", null, [el("span", { cls: "chip", style: { background: r.colour }, text: r.zh }), el("span", { cls: "muted", text: r.id }), " ",
        edgeInferred[j] ? el("span", { cls: "tag", text: "推断", title: "每条证据都来自名称结构规则" }) : null]),
      el("p", null, [nodeLink(e.from), " ", el("span", { cls: "muted", text: r.zh }), " ", nodeLink(e.to)]),
      edgeYears[j].length ? el("p", { cls: "muted", text: "年份：" + edgeYears[j].join("、") }) : null,
      el("h3", { text: "证据（" + e.ev.length + "）" }),
    ];
    const evList = el("div", { id: "panel-evidence" });
    e.ev.forEach(([s, doc, rule, conf]) => {
      const sentence = S[s];
      const inferred = U[rule] && U[rule].inferred;
      evList.appendChild(docHeading(sentence ? sentence.doc : doc));
      evList.appendChild(sentence ? quote(sentence.text, sentenceRanges(s, [e.from, e.to]), inferred ? "inferred" : null)
        : el("blockquote", { text: "（句子缺失）" }));
      evList.appendChild(el("div", { cls: "meta" }, [
        inferred ? el("span", { cls: "tag", text: "推断" }) : null,
        el("span", { cls: "muted rule", text: ruleNote(rule) + " · 置信度 " + (conf === null ? "—" : conf.toFixed(2)) }),
        sentence ? contextButton(s, [e.from, e.to]) : null,
      ]));
    });
    if (!e.ev.length) evList.appendChild(el("p", { cls: "muted", text: "图中没有此关系的证据。" }));
    parts.push(evList);
    openPanel(parts);
    markTableSelection();
  }

  /* The text around a quoted sentence: the article itself when the page has it, else every span of
     that document the graph holds, in document order, with what lies between marked as left out. */
  function showContext(s, ids) {
    const sent = S[s], doc = D[sent.doc];
    state.context = { sentence: s, ids: ids };
    const back = el("button", { type: "button", text: "← 返回" });
    back.addEventListener("click", () => { closeContext(); commit(); });
    const marks = [];
    ids.forEach((i) => marks.push(...mentionSpans(i, sent.doc)));
    const quoted = [sent.start, sent.start + sent.text.length];
    let segments, note;
    if (doc && typeof doc.text === "string") {
      segments = [{ start: 0, text: doc.text }];
      note = "原文全文（" + doc.text.length + " 字），引用的句子以蓝底标出，提及以黄色标出。";
    } else {
      segments = [];
      let end = 0;
      const spans = (sentencesOfDoc.get(sent.doc) || [s]).map((k) => S[k]).slice().sort((a, b) => a.start - b.start || b.text.length - a.text.length);
      for (const x of spans) {
        const xEnd = x.start + x.text.length;
        if (xEnd <= end) continue;
        const from = Math.max(x.start, end);
        segments.push({ start: from, text: x.text.slice(from - x.start), gapBefore: from - end });
        end = xEnd;
      }
      note = "图中只保存了本文中出现实体的句子：下面是其中的 " + spans.length + " 句，按原文顺序排列，" +
        "未保存的部分以〔…〕标出；引用的句子以蓝底标出，提及以黄色标出。";
    }
    const box = el("div", { cls: "context", id: "panel-context" });
    for (const seg of segments) {
      if (seg.gapBefore > 0) {
        box.appendChild(el("span", { cls: "gap", title: "原文此处有 " + seg.gapBefore + " 字不在图中",
          text: seg.gapBefore <= 3 ? "〔…〕" : "〔… " + seg.gapBefore + " 字 …〕" }));
      }
      const segEnd = seg.start + seg.text.length;
      const cuts = new Set([seg.start, segEnd]);
      const inSeg = mergeRanges(marks.filter((m) => m[1] > seg.start && m[0] < segEnd).map((m) => [Math.max(m[0], seg.start), Math.min(m[1], segEnd)]));
      inSeg.forEach(([a, b]) => { cuts.add(a); cuts.add(b); });
      [quoted[0], quoted[1]].forEach((q) => { if (q > seg.start && q < segEnd) cuts.add(q); });
      const points = Array.from(cuts).sort((a, b) => a - b);
      let quoteSpan = null;
      for (let k = 0; k + 1 < points.length; k++) {
        const a = points[k], b = points[k + 1];
        const piece = seg.text.slice(a - seg.start, b - seg.start);
        const marked = inSeg.some((m) => m[0] <= a && b <= m[1]);
        const node = marked ? el("mark", null, pieces(piece)) : el("span", null, pieces(piece));
        if (a >= quoted[0] && b <= quoted[1]) {
          if (!quoteSpan) { quoteSpan = el("span", { cls: "quoted" }); box.appendChild(quoteSpan); }
          quoteSpan.appendChild(node);
        } else {
          quoteSpan = null;
          box.appendChild(node);
        }
      }
    }
    openPanel([back, el("h2", null, ["原文上下文"]), docHeading(sent.doc), el("p", { cls: "note", text: note }), box]);
    const target = box.querySelector(".quoted");
    if (target) {
      panel.scrollTop = Math.max(0, target.getBoundingClientRect().top - panel.getBoundingClientRect().top + panel.scrollTop - panel.clientHeight / 3);
    }
  }
  function closeContext() {
    const sel = state.selected;
    state.context = null;
    if (sel && sel.kind === "node") showNode(sel.id);
    else if (sel && sel.kind === "edge") showEdge(sel.id);
    else closePanel();
  }

  /* ---- focus, neighbourhood, radial centre ---- */
  function reveal(i) {
    let changed = false;
    if (state.hiddenClasses.has(N[i].cls)) { state.hiddenClasses.delete(N[i].cls); changed = true; }
    if (state.hood !== null && !hoodSet(N.map((n) => !state.hiddenClasses.has(n.cls)),
      E.map((e, j) => !state.hiddenRelations.has(e.rel) && evidencePasses(j) && yearPasses(j))).has(i)) { state.hood = null; changed = true; }
    if (changed) { syncControls(); apply(); }
    if (!nodeShownNow[i]) { state.isolated = true; syncControls(); apply(); }
    updateHoodStatus();
  }
  function focusNode(i) {
    reveal(i);
    showNode(i);
    network.selectNodes([i]);
    centre(i);
  }
  function selectEdge(j) {
    network.selectEdges([j]);
    showEdge(j);
  }
  function showHood(i, depth) {
    state.hood = { centre: i, depth: depth };
    reveal(i);
    apply({ relayout: true, fit: false });
    updateHoodStatus();
    state.selected = { kind: "node", id: i };
    if (!panel.hidden) showNode(i);
    network.selectNodes([i]);
    fitShown();
  }
  function updateHoodStatus() {
    const status = $("hood-status");
    if (!state.hood) { status.hidden = true; return; }
    const size = nodeShownNow.filter((x) => x).length;
    $("hood-text").replaceChildren("邻域：", txt(N[state.hood.centre].label, 24), "（" + state.hood.depth + " 层，" + size + " 个实体）");
    status.hidden = false;
  }
  function clearHood() {
    state.hood = null;
    updateHoodStatus();
    apply({ relayout: true });
  }
  function radialAround(i) {
    reveal(i);
    state.layout = "radial";
    state.radial = i;
    syncControls();
    apply({ relayout: true });
  }
  $("hood-clear").addEventListener("click", () => { clearHood(); commit(); });
  $("fit").addEventListener("click", () => fitShown());

  /* ---- search over names and aliases ---- */
  const norm = (s) => s.normalize("NFKC").toLowerCase();
  const keys = N.map((n) => [norm(n.label)].concat(n.aliases.map(norm)));
  function search(query) {
    const q = norm(query.trim());
    if (!q) return [];
    const found = [];
    keys.forEach((list, i) => {
      let best = null;
      list.forEach((k, a) => {
        const score = k === q ? (a ? 1 : 0) : k.startsWith(q) ? 2 : k.includes(q) ? 3 : null;
        if (score !== null && (best === null || score < best.score)) best = { i: i, score: score, alias: a ? N[i].aliases[a - 1] : null };
      });
      if (best) found.push(best);
    });
    found.sort((x, y) => x.score - y.score || N[x.i].label.length - N[y.i].label.length ||
      (N[x.i].label < N[y.i].label ? -1 : N[x.i].label > N[y.i].label ? 1 : x.i - y.i));
    return found.slice(0, 30);
  }
  const input = $("search"), results = $("search-results");
  let current = [], active = -1;
  function renderResults() {
    results.replaceChildren(...current.map((hit, k) => el("li", {
      role: "option", "aria-selected": k === active ? "true" : "false", "data-node": String(hit.i), title: cut(plain(N[hit.i].label), 300),
      onmousedown: (ev) => { ev.preventDefault(); choose(k); },
    }, [
      shapeIcon(C[N[hit.i].cls].shape, C[N[hit.i].cls].colour), el("span", { cls: "name" }, [txt(N[hit.i].label, 40)]),
      el("span", { cls: "cls", text: C[N[hit.i].cls].zh }),
      hit.alias ? el("span", { cls: "cls" }, ["别名：", txt(hit.alias, 20)]) : null,
    ])));
    if (!current.length && input.value.trim()) results.appendChild(el("li", { cls: "muted", text: "没有匹配的实体" }));
    results.hidden = !input.value.trim();
  }
  function choose(k) {
    const hit = current[k];
    if (!hit) return;
    results.hidden = true;
    state.query = input.value;
    input.blur();
    focusNode(hit.i);
    commit();
  }
  input.addEventListener("input", () => { current = search(input.value); active = current.length ? 0 : -1; renderResults(); });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (current.length) { active = (active + (ev.key === "ArrowDown" ? 1 : current.length - 1)) % current.length; renderResults(); }
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!current.length) { current = search(input.value); active = 0; }
      choose(active < 0 ? 0 : active);
    } else if (ev.key === "Escape") {
      ev.stopPropagation();
      if (!results.hidden) results.hidden = true;
      else input.blur();
    }
  });
  input.addEventListener("blur", () => { results.hidden = true; });
  input.addEventListener("focus", () => { if (input.value.trim()) { current = search(input.value); renderResults(); } });

  /* ---- table of entities or relations, in step with the graph ---- */
  const NODE_COLUMNS = [
    { id: "label", zh: "名称", value: (i) => N[i].label, show: (i) => txt(N[i].label, 50) },
    { id: "class", zh: "类别", value: (i) => C[N[i].cls].zh },
    { id: "degree", zh: "度", num: true, value: (i) => N[i].deg },
    { id: "docs", zh: "文献", num: true, value: (i) => nodeDocs[i] },
    { id: "confidence", zh: "最高置信度", num: true, value: (i) => nodeConfidence[i], show: (i) => (nodeConfidence[i] === null ? "—" : nodeConfidence[i].toFixed(2)) },
    { id: "aliases", zh: "别名", value: (i) => N[i].aliases.join("、"), show: (i) => txt(N[i].aliases.join("、"), 40) },
  ];
  const EDGE_COLUMNS = [
    { id: "from", zh: "主体", value: (j) => N[E[j].from].label, show: (j) => txt(N[E[j].from].label, 30) },
    { id: "relation", zh: "关系", value: (j) => R[E[j].rel].zh },
    { id: "to", zh: "客体", value: (j) => N[E[j].to].label, show: (j) => txt(N[E[j].to].label, 30) },
    { id: "evidence", zh: "证据", num: true, value: (j) => E[j].ev.length },
    { id: "docs", zh: "文献", num: true, value: (j) => edgeDocs[j].size },
    { id: "confidence", zh: "最高置信度", num: true, value: (j) => edgeConfidence[j], show: (j) => (edgeConfidence[j] === null ? "—" : edgeConfidence[j].toFixed(2)) },
    { id: "inferred", zh: "推断", value: (j) => (edgeInferred[j] ? "是" : "否") },
    { id: "rules", zh: "规则", value: (j) => edgeRules[j].map((r) => U[r].id).join(" "), show: (j) => txt(edgeRules[j].map((r) => U[r].id).join(" "), 40) },
    { id: "years", zh: "年份", value: (j) => (edgeYears[j].length ? edgeYears[j][0] : null), show: (j) => edgeYears[j].join("、") },
  ];
  const TABLE_PAGE = 300;
  let tableLimit = TABLE_PAGE, tableRows = [];
  const columns = () => (state.table === "edges" ? EDGE_COLUMNS : NODE_COLUMNS);
  function compareValues(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    return typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : 1;
  }
  /* The rows the table shows: what the graph shows, narrowed by the table's filter, sorted. */
  function tableRowIds() {
    const f = norm(state.tableFilter.trim());
    let ids;
    if (state.table === "edges") {
      ids = visibleEdgeIds();
      if (f) ids = ids.filter((j) => [N[E[j].from].label, N[E[j].to].label, R[E[j].rel].zh, R[E[j].rel].id].concat(edgeRules[j].map((r) => U[r].id))
        .some((t) => norm(t).includes(f)));
    } else {
      ids = visibleNodeIds();
      if (f) ids = ids.filter((i) => keys[i].some((k) => k.includes(f)) || norm(C[N[i].cls].zh).includes(f));
    }
    const sort = state.tableSort;
    if (sort) {
      const col = columns().find((c) => c.id === sort.col);
      if (col) {
        const values = new Map(ids.map((x) => [x, col.value(x)]));
        ids.sort((a, b) => {
          const va = values.get(a), vb = values.get(b);
          if (va === null || va === undefined || vb === null || vb === undefined) return compareValues(va, vb) || a - b;
          return (sort.desc ? -compareValues(va, vb) : compareValues(va, vb)) || a - b;
        });
      }
    }
    return ids;
  }
  function renderTable() {
    const table = $("table"), cols = columns();
    $("table-nodes").setAttribute("aria-selected", state.table === "edges" ? "false" : "true");
    $("table-edges").setAttribute("aria-selected", state.table === "edges" ? "true" : "false");
    table.tHead.replaceChildren(el("tr", null, cols.map((c) => {
      const sorted = state.tableSort && state.tableSort.col === c.id;
      const button = el("button", { type: "button", "data-col": c.id, text: c.zh + (sorted ? (state.tableSort.desc ? " ▼" : " ▲") : "") });
      button.addEventListener("click", () => {
        const desc = sorted ? !state.tableSort.desc : !!c.num;
        state.tableSort = { col: c.id, desc: desc };
        tableLimit = TABLE_PAGE;
        renderTable();
        commit();
      });
      return el("th", { scope: "col", "aria-sort": sorted ? (state.tableSort.desc ? "descending" : "ascending") : "none" }, [button]);
    })));
    tableRows = tableRowIds();
    const total = state.table === "edges" ? E.length : N.length;
    $("table-count").textContent = "显示 " + tableRows.length + " / " + total + " 行";
    const rows = tableRows.slice(0, tableLimit).map((x) => {
      const tr = el("tr", { tabindex: "0", "data-id": String(x) }, cols.map((c) => {
        const shown = c.show ? c.show(x) : c.value(x);
        return el("td", { cls: c.num ? "num" : null }, [shown instanceof Node ? shown : String(shown === null || shown === undefined ? "—" : shown)]);
      }));
      tr.addEventListener("click", () => chooseRow(x));
      tr.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") { ev.preventDefault(); chooseRow(x); }
        else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
          ev.preventDefault();
          ev.stopPropagation();
          const next = ev.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling;
          if (next && next.tabIndex === 0) next.focus();
        }
      });
      return tr;
    });
    if (tableRows.length > tableLimit) {
      const more = el("button", { type: "button", text: "再显示 " + Math.min(TABLE_PAGE, tableRows.length - tableLimit) + " 行" });
      more.addEventListener("click", () => { tableLimit += TABLE_PAGE; renderTable(); });
      rows.push(el("tr", { cls: "more" }, [el("td", { colspan: String(cols.length) }, [more])]));
    }
    table.tBodies[0].replaceChildren(...rows);
    markTableSelection();
  }
  function markTableSelection() {
    if (!state.table) return;
    const kind = state.table === "edges" ? "edge" : "node";
    $("table").tBodies[0].querySelectorAll("tr[data-id]").forEach((tr) => {
      tr.setAttribute("aria-selected", state.selected && state.selected.kind === kind && String(state.selected.id) === tr.dataset.id ? "true" : "false");
    });
  }
  function chooseRow(x) {
    if (state.table === "edges") {
      selectEdge(x);
      const a = network.getPosition(E[x].from), b = network.getPosition(E[x].to);
      network.moveTo({ position: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, scale: Math.max(network.getScale(), 0.8), offset: freeOffset(freeRect()), animation: ANIMATION });
    } else {
      focusNode(x);
    }
    commit();
  }
  function openTable(kind) {
    state.table = kind;
    tableLimit = TABLE_PAGE;
    $("table-view").hidden = false;
    $("table-toggle").setAttribute("aria-expanded", "true");
    $("table-filter").value = state.tableFilter;
    renderTable();
    if (state.selected && state.selected.kind === "node") uncover(state.selected.id);
  }
  function closeTable() {
    state.table = null;
    $("table-view").hidden = true;
    $("table-toggle").setAttribute("aria-expanded", "false");
  }
  $("table-toggle").addEventListener("click", () => { if (state.table) closeTable(); else openTable("nodes"); commit(); });
  $("table-close").addEventListener("click", () => { closeTable(); commit(); });
  $("table-nodes").addEventListener("click", () => { state.tableSort = null; openTable("nodes"); commit(); });
  $("table-edges").addEventListener("click", () => { state.tableSort = null; openTable("edges"); commit(); });
  let filterTimer = null;
  $("table-filter").addEventListener("input", () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => { state.tableFilter = $("table-filter").value; tableLimit = TABLE_PAGE; renderTable(); commit(true); }, 150);
  });

  /* ---- export: CSV of the table's rows with their evidence, PNG and SVG of the view ---- */
  function csvCell(value) {
    let s = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return '"' + s.replace(/"/g, '""') + '"';
  }
  function csv(rows) {
    return "\ufeff" + rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }
  function download(name, blob) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name, hidden: "" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  function tableCsv() {
    if (!state.table) openTable("nodes");
    const ids = tableRowIds();
    const docName = (d) => (D[d] ? D[d].file : "");
    if (state.table === "edges") {
      const rows = [["subject_iri", "主体", "关系", "relation", "客体", "object_iri", "推断", "规则", "置信度", "年份", "文件", "标题", "证据句子"]];
      ids.forEach((j) => {
        const e = E[j], r = R[e.rel];
        const head = [N[e.from].iri, N[e.from].label, r.zh, r.id, N[e.to].label, N[e.to].iri];
        if (!e.ev.length) rows.push(head.concat([edgeInferred[j] ? "是" : "否", "", "", edgeYears[j].join(" "), "", "", ""]));
        e.ev.forEach(([s, doc, rule, conf]) => {
          const d = S[s] ? S[s].doc : doc;
          rows.push(head.concat([U[rule] && U[rule].inferred ? "是" : "否", U[rule] ? U[rule].id : "", conf === null ? "" : conf,
            edgeYears[j].join(" "), docName(d), D[d] ? D[d].title : "", S[s] ? S[s].text : ""]));
        });
      });
      return { name: "relations.csv", text: csv(rows) };
    }
    const rows = [["iri", "名称", "类别", "class", "别名", "度", "文献数", "最高置信度", "文件", "提及句子"]];
    ids.forEach((i) => {
      const n = N[i], sents = Array.from(new Set(n.m.map((m) => m[0]))).sort((a, b) => a - b);
      const files = Array.from(new Set(sents.map((s) => docName(S[s].doc)))).filter((f) => f);
      rows.push([n.iri, n.label, C[n.cls].zh, C[n.cls].id, n.aliases.join("；"), n.deg, nodeDocs[i],
        nodeConfidence[i] === null ? "" : nodeConfidence[i], files.join("；"), sents.map((s) => S[s].text).join("\n")]);
    });
    return { name: "entities.csv", text: csv(rows) };
  }
  $("export-csv").addEventListener("click", () => {
    const out = tableCsv();
    download(out.name, new Blob([out.text], { type: "text/csv;charset=utf-8" }));
  });

  function viewBox() {
    const w = container.clientWidth, h = container.clientHeight;
    const a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: w, y: h });
    return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y, pw: w, ph: h };
  }
  /* The view as SVG: every shown node and edge that reaches into the visible part of the canvas,
     drawn from their positions with the shapes, colours and labels the canvas uses. */
  function viewSvg() {
    const v = viewBox(), scale = network.getScale();
    const svg = svgEl("svg", { xmlns: SVG, width: v.pw, height: v.ph, viewBox: [v.x, v.y, v.w, v.h].map((x) => x.toFixed(2)).join(" "),
      "font-family": FONT });
    svg.appendChild(svgEl("title")).textContent = plain(data.title);
    svg.appendChild(svgEl("rect", { x: v.x, y: v.y, width: v.w, height: v.h, fill: "#ffffff" }));
    const defs = svg.appendChild(svgEl("defs"));
    R.forEach((r, k) => {
      const marker = defs.appendChild(svgEl("marker", { id: "arrow" + k, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }));
      marker.appendChild(svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: r.colour }));
    });
    const ids = visibleNodeIds();
    const positions = network.getPositions(ids);
    const margin = 60 / scale;
    const inView = (p, r) => p.x + r >= v.x - margin && p.x - r <= v.x + v.w + margin && p.y + r >= v.y - margin && p.y - r <= v.y + v.h + margin;
    const drawn = new Set(ids.filter((i) => inView(positions[i], N[i].size * 2)));
    const edgeLayer = svg.appendChild(svgEl("g", { id: "edges", fill: "none", "stroke-width": 1.2 }));
    const nodeLayer = svg.appendChild(svgEl("g", { id: "nodes" }));
    const labelLayer = svg.appendChild(svgEl("g", { id: "labels", "text-anchor": "middle", fill: "#222", stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke" }));
    visibleEdgeIds().forEach((j) => {
      const e = E[j];
      if (!drawn.has(e.from) && !drawn.has(e.to)) return;
      const a = positions[e.from], b = positions[e.to], r = R[e.rel];
      let d;
      if (e.from === e.to) {
        const s = N[e.from].size;
        d = "M" + a.x + "," + (a.y - s) + " c" + (-3 * s) + "," + (-4 * s) + " " + 3 * s + "," + (-4 * s) + " 0,0";
      } else if (e.lane > 0) {
        const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2, dx = b.x - a.x, dy = b.y - a.y;
        const k = (0.2 + 0.15 * Math.floor(e.lane / 2)) * (e.lane % 2 ? 1 : -1);
        d = "M" + a.x + "," + a.y + " Q" + (mx - dy * k).toFixed(1) + "," + (my + dx * k).toFixed(1) + " " + b.x + "," + b.y;
      } else {
        const len = Math.max(1e-6, Math.hypot(b.x - a.x, b.y - a.y)), t = Math.max(0, (len - N[e.to].size - 2) / len);
        d = "M" + a.x + "," + a.y + " L" + (a.x + (b.x - a.x) * t).toFixed(1) + "," + (a.y + (b.y - a.y) * t).toFixed(1);
      }
      const path = svgEl("path", { d: d, stroke: r.colour, "stroke-opacity": LARGE ? 0.55 : 0.9, "data-relation": r.id });
      if (edgeInferred[j]) path.setAttribute("stroke-dasharray", "6 4");
      if (arrows && e.from !== e.to) path.setAttribute("marker-end", "url(#arrow" + e.rel + ")");
      path.appendChild(svgEl("title")).textContent = plain(N[e.from].label) + " " + r.zh + " " + plain(N[e.to].label);
      edgeLayer.appendChild(path);
    });
    drawn.forEach((i) => {
      const n = N[i], c = C[n.cls], p = positions[i];
      const pts = shapePoints(c.shape, p.x, p.y, n.size);
      const body = pts ? svgEl("polygon", { points: polygon(pts) }) : svgEl("circle", { cx: p.x, cy: p.y, r: n.size });
      body.setAttribute("fill", c.colour);
      body.setAttribute("stroke", darker(c.colour, 0.7));
      body.setAttribute("data-node", nodeKey(i));
      body.appendChild(svgEl("title")).textContent = plain(n.label);
      nodeLayer.appendChild(body);
      const screen = n.font * scale;
      if (screen >= LABEL_PX - 1 || overlayIds.has(i)) {
        const size = screen >= LABEL_PX - 1 ? n.font : OVERLAY_PX / scale;
        const label = svgEl("text", { x: p.x, y: p.y + n.size * 1.2 + size, "font-size": size.toFixed(2), "stroke-width": (3 * size / n.font).toFixed(2) });
        label.textContent = canvasLabel[i];
        labelLayer.appendChild(label);
      }
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg) + "\n";
  }
  $("export-svg").addEventListener("click", () => download("graph-view.svg", new Blob([viewSvg()], { type: "image/svg+xml" })));
  $("export-png").addEventListener("click", () => {
    network.redraw();
    container.querySelector("canvas").toBlob((blob) => download("graph-view.png", blob), "image/png");
  });

  /* ---- hub labels at overview zoom: drawn over the canvas at a readable size, biggest hubs first, never overlapping ---- */
  let overlay = [];
  let overlayIds = new Set();
  const labelWidth = new Map();
  function widthAt(ctx, i, px) {
    if (!labelWidth.has(i)) { ctx.font = "100px " + FONT; labelWidth.set(i, ctx.measureText(canvasLabel[i]).width / 100); }
    return labelWidth.get(i) * px;
  }
  network.on("beforeDrawing", (ctx) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  network.on("afterDrawing", (ctx) => {
    const scale = network.getScale(), v = viewBox();
    const placed = [], boxes = [];
    const overlaps = (b) => boxes.some((o) => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1);
    const body_ = network.body.nodes;
    for (const i of byDegree) {
      if (placed.length >= OVERLAY_MAX) break;
      if (!nodeShownNow[i] || N[i].deg === 0) continue;
      const node = body_[i];
      if (!node) continue;
      const sx = (node.x - v.x) * scale, sy = (node.y - v.y) * scale;
      if (sx < 0 || sy < 0 || sx > v.pw || sy > v.ph) continue;
      if (N[i].font * scale >= LABEL_PX - 1) {
        const w = widthAt(ctx, i, N[i].font * scale), top = sy + N[i].size * scale;
        boxes.push({ x0: sx - w / 2, x1: sx + w / 2, y0: top, y1: top + N[i].font * scale * 1.2 });
        continue;
      }
      const w = widthAt(ctx, i, OVERLAY_PX) + 6, h = OVERLAY_PX * 1.3, r = Math.max(2, N[i].size * scale) + 1;
      /* below the node first, then above it, then beside it: a hub keeps its name when a neighbour's is in the way */
      const spots = [[sx, sy + r], [sx, sy - r - h], [sx + r + w / 2, sy - h / 2], [sx - r - w / 2, sy - h / 2],
                     [sx, sy + r + h], [sx, sy - r - 2 * h]];
      let spot = null, b = null;
      for (const [x, top] of spots) {
        const c = { x0: x - w / 2, x1: x + w / 2, y0: top, y1: top + h };
        if (!overlaps(c)) { spot = [x, top]; b = c; break; }
      }
      if (!spot) continue;
      boxes.push(b);
      placed.push({ id: i, x: spot[0], y: spot[1], w: w, h: h, size: OVERLAY_PX, box: b });
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const ratio = ctx.canvas.width / Math.max(1, v.pw);
    ctx.scale(ratio, ratio);
    ctx.font = OVERLAY_PX + "px " + FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.95)";
    ctx.fillStyle = "#222";
    for (const p of placed) {
      ctx.strokeText(canvasLabel[p.id], p.x, p.y + 1);
      ctx.fillText(canvasLabel[p.id], p.x, p.y + 1);
    }
    ctx.restore();
    overlay = placed;
    overlayIds = new Set(placed.map((p) => p.id));
  });

  /* ---- state in the URL: #key=value&…, pushed on each change, restored on load and on back/forward ---- */
  function encodeState() {
    const p = new URLSearchParams();
    const list = (set, table) => Array.from(set).map((k) => table[k].id).sort().join(",");
    if (state.selected) p.set(state.selected.kind === "node" ? "n" : "e", state.selected.kind === "node" ? nodeKey(state.selected.id) : edgeKey(state.selected.id));
    if (state.context) p.set("ctx", String(state.context.sentence));
    if (state.hood) { p.set("hood", nodeKey(state.hood.centre)); p.set("depth", String(state.hood.depth)); }
    if (state.hiddenClasses.size) p.set("hc", list(state.hiddenClasses, C));
    if (state.hiddenRelations.size) p.set("hr", list(state.hiddenRelations, R));
    if (state.hiddenRules.size) p.set("hu", list(state.hiddenRules, U));
    if (state.minConfidence > 0) p.set("conf", String(state.minConfidence));
    if (state.yearMode && state.year !== null) { p.set("year", String(state.year)); p.set("ym", state.yearMode); }
    if (!state.undated) p.set("undated", "0");
    if (state.isolated !== (E.length === 0)) p.set("iso", state.isolated ? "1" : "0");
    if (state.layout !== "force") p.set("layout", state.layout);
    if (state.radial !== null) p.set("rc", nodeKey(state.radial));
    if (state.table) p.set("table", state.table);
    if (state.table && state.tableSort) p.set("sort", (state.tableSort.desc ? "-" : "") + state.tableSort.col);
    if (state.table && state.tableFilter) p.set("tf", state.tableFilter);
    if (state.query) p.set("q", state.query);
    return p.toString();
  }
  let restoring = false;
  function commit(replace) {
    if (restoring) return;
    const encoded = encodeState();
    if (encoded === location.hash.replace(/^#/, "")) return;
    const url = encoded ? "#" + encoded : location.pathname + location.search;
    try {
      if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    } catch (err) { /* a page without a history of its own (an iframe's srcdoc) keeps working without links */ }
  }
  function restore(hash) {
    const p = new URLSearchParams(hash.replace(/^#/, ""));
    const ids = (value, table) => new Set((value || "").split(",").map((id) => table.findIndex((x) => x.id === id)).filter((k) => k >= 0));
    restoring = true;
    try {
      state.hiddenClasses = ids(p.get("hc"), C);
      state.hiddenRelations = ids(p.get("hr"), R);
      state.hiddenRules = ids(p.get("hu"), U);
      const conf = Number(p.get("conf"));
      state.minConfidence = conf > 0 && conf <= 1 ? conf : 0;
      const year = Number(p.get("year"));
      state.yearMode = allYears.length && ["upto", "in"].includes(p.get("ym")) && Number.isInteger(year) ? p.get("ym") : "";
      state.year = state.yearMode ? year : (allYears.length ? allYears[allYears.length - 1] : null);
      state.undated = p.get("undated") !== "0";
      state.isolated = p.has("iso") ? p.get("iso") === "1" : E.length === 0;
      state.layout = ["tree", "radial"].includes(p.get("layout")) ? p.get("layout") : "force";
      state.radial = keyIndex.has(p.get("rc")) ? keyIndex.get(p.get("rc")) : null;
      const hood = keyIndex.get(p.get("hood"));
      state.hood = hood !== undefined ? { centre: hood, depth: Math.max(0, Math.min(5, Number(p.get("depth")) || 1)) } : null;
      state.query = p.get("q") || "";
      state.tableFilter = p.get("tf") || "";
      const sort = p.get("sort");
      state.tableSort = sort ? { col: sort.replace(/^-/, ""), desc: sort.startsWith("-") } : null;
      syncControls();
      $("search").value = state.query;
      apply({ relayout: true, fit: false });
      updateHoodStatus();
      const table = p.get("table");
      if (table === "nodes" || table === "edges") openTable(table); else closeTable();
      const n = keyIndex.get(p.get("n")), e = edgeIndex.get(p.get("e"));
      if (n !== undefined) {
        reveal(n);
        showNode(n);
        network.selectNodes([n]);
      } else if (e !== undefined) {
        selectEdge(e);
      } else {
        closePanel();
      }
      const ctx = Number(p.get("ctx"));
      if (state.selected && p.has("ctx") && S[ctx]) {
        const sel = state.selected;
        showContext(ctx, sel.kind === "node" ? [sel.id] : [E[sel.id].from, E[sel.id].to]);
      }
      if (n !== undefined && !state.hood) centre(n);
      else fitShown();
    } finally {
      restoring = false;
    }
  }
  window.addEventListener("popstate", () => restore(location.hash));

  /* ---- keyboard ---- */
  const ARROWS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  /* The shown neighbour that lies most nearly in the arrow's direction on screen. */
  function neighbourToward(i, dir) {
    const p = network.getPosition(i);
    let best = null;
    for (const j of adjacency[i]) {
      if (!edgeShownNow[j]) continue;
      const w = E[j].from === i ? E[j].to : E[j].from;
      if (w === i) continue;
      const q = network.getPosition(w), dx = q.x - p.x, dy = q.y - p.y, dist = Math.hypot(dx, dy) || 1e-6;
      const cos = (dx * dir[0] + dy * dir[1]) / dist;
      if (cos < 0.2) continue;
      const score = (1 - cos) * 4 + dist / 2000;
      if (!best || score < best.score || (score === best.score && w < best.w)) best = { w, score };
    }
    return best ? best.w : null;
  }
  function nearestToView() {
    const c = network.getViewPosition();
    let best = null;
    visibleNodeIds().forEach((i) => {
      const p = network.getPosition(i), d = Math.hypot(p.x - c.x, p.y - c.y);
      if (!best || d < best.d) best = { i, d };
    });
    return best ? best.i : null;
  }
  document.addEventListener("keydown", (ev) => {
    const target = ev.target;
    const typing = target instanceof HTMLElement && (target.matches("input[type=search], input[type=text], textarea, select") || target.isContentEditable);
    if (ev.key === "Escape") {
      if (document.body.classList.contains("filters-open")) { toggleFilters(false); return; }
      if (state.context) { closeContext(); commit(); return; }
      if (!panel.hidden) { closePanel(); commit(); container.focus({ preventScroll: true }); return; }
      if (state.table) { closeTable(); commit(); return; }
      return;
    }
    if (typing || ev.altKey || ev.ctrlKey || ev.metaKey || !ARROWS[ev.key]) return;
    if (target instanceof HTMLElement && target.closest("#table, #filters, #search-results")) return;
    if (target instanceof HTMLInputElement && target.type === "range") return;
    ev.preventDefault();
    const sel = state.selected;
    let next = null;
    if (sel && sel.kind === "node") next = neighbourToward(sel.id, ARROWS[ev.key]);
    else if (sel && sel.kind === "edge") next = ARROWS[ev.key][0] < 0 || ARROWS[ev.key][1] < 0 ? E[sel.id].from : E[sel.id].to;
    else next = nearestToView();
    if (next === null || next === undefined) return;
    showNode(next);
    network.selectNodes([next]);
    centre(next, network.getScale());
    commit();
  });

  /* ---- small screens: the filters are a drawer ---- */
  function toggleFilters(open) {
    document.body.classList.toggle("filters-open", open);
    $("filters-toggle").setAttribute("aria-expanded", open ? "true" : "false");
  }
  $("filters-toggle").addEventListener("click", () => toggleFilters(!document.body.classList.contains("filters-open")));

  /* ---- clicks on the canvas ---- */
  /* Where the panel will lie once open: over the right side, or (narrow screens) the bottom. */
  function underPanel(point) {
    if (!panel.hidden) return false;
    const box = container.getBoundingClientRect();
    if (window.matchMedia("(max-width: 760px)").matches) return point.y > box.height * 0.48 - 20;
    return point.x > box.width - Math.min(380, box.width) - 20;
  }
  let pendingPanel = null;
  network.on("click", (p) => {
    clearTimeout(pendingPanel);
    if (p.nodes.length) {
      const i = p.nodes[0];
      const open = () => { showNode(i); uncover(i); commit(); };
      /* A node the panel would cover: the panel waits until a double-click can no longer be under way. */
      if (underPanel(p.pointer.DOM)) pendingPanel = setTimeout(open, 320);
      else { showNode(i); uncoverLater(i); commit(); }
    } else if (p.edges.length) {
      showEdge(p.edges[0]);
      commit();
    } else if (!panel.hidden) {
      closePanel();
      commit();
    }
  });
  network.on("doubleClick", (p) => {
    if (p.nodes.length) {
      clearTimeout(pendingPanel);
      clearTimeout(uncoverTimer);
      showNode(p.nodes[0]);
      showHood(p.nodes[0], 1);
      commit();
    }
  });

  /* ---- start ---- */
  $("title").replaceChildren(txt(data.title, 80));
  document.title = plain(data.title);
  const page = window.kgPage = {
    data: data, network: network, nodes: null, edges: null, ready: false, readyMs: null,
    visibleNodeIds: visibleNodeIds, visibleEdgeIds: visibleEdgeIds, focusNode: focusNode, selectEdge: selectEdge,
    showHood: showHood, clearHood: clearHood, search: search, state: state,
    selected: () => state.selected,
    overlayLabels: () => overlay.map((p) => ({ id: p.id, x0: p.box.x0, x1: p.box.x1, y0: p.box.y0, y1: p.box.y1, size: p.size })),
    restore: restore, freeRect: freeRect, viewSvg: viewSvg, tableCsv: () => tableCsv().text, tableRows: () => tableRows.slice(),
    edgeYears: (j) => edgeYears[j].slice(), edgeInferred: (j) => edgeInferred[j],
    domPosition: (i) => network.canvasToDOM(network.getPosition(i)),
    edgeMidpoint: (j) => {
      const a = network.getPosition(E[j].from), b = network.getPosition(E[j].to);
      return network.canvasToDOM({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    },
  };
  function ready() {
    $("loading").hidden = true;
    page.ready = true;
    page.readyMs = Math.round(performance.now());
    document.body.setAttribute("data-ready", "true");
  }
  const initial = visibility();
  initial.nodeShown.forEach((shown, i) => { nodeShownNow[i] = shown; nodeItems[i].hidden = !shown; });
  initial.edgeShown.forEach((shown, j) => { edgeShownNow[j] = shown; edgeItems[j].hidden = !shown; });
  layoutSignature = "force:";
  nodes = new vis.DataSet(nodeItems);
  edges = new vis.DataSet(edgeItems);
  page.nodes = nodes;
  page.edges = edges;
  network.setData({ nodes: nodes, edges: edges });
  if (location.hash.length > 1) restore(location.hash);
  else fitShown();
  syncControls();
  updateCounts();
  network.once("afterDrawing", ready);
  network.redraw();
})();
