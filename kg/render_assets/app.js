/* The page script of kg's interactive graph. Data comes from the JSON block
   #kg-data; every piece of it reaches the page through textContent or a DOM
   attribute, never as markup. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const N = data.nodes, E = data.edges, C = data.classes, R = data.relations;
  const S = data.sentences, D = data.documents;
  const LARGE = !data.physics;
  const ARROW_LIMIT = 2000;
  const LABEL_MAX = 16;
  const ANIMATION = LARGE ? false : { duration: 400, easingFunction: "easeInOutQuad" };
  const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif';
  const $ = (id) => document.getElementById(id);

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (key === "text") node.textContent = value;
        else if (key === "cls") node.className = value;
        else if (key === "style") Object.assign(node.style, value);
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value);
      }
    }
    for (const child of children || []) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function polygon(points) {
    return points.map((p) => p[0].toFixed(2) + "," + p[1].toFixed(2)).join(" ");
  }
  function ring(count, radius, inner, turn) {
    const pts = [];
    const steps = inner ? count * 2 : count;
    for (let k = 0; k < steps; k++) {
      const r = inner && k % 2 ? inner : radius;
      const a = turn + (Math.PI * 2 * k) / steps;
      pts.push([8 + r * Math.cos(a), 8 + r * Math.sin(a)]);
    }
    return pts;
  }
  function shapeIcon(shape, colour) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "swatch");
    let item;
    if (shape === "dot") {
      item = document.createElementNS(SVG, "circle");
      item.setAttribute("cx", "8"); item.setAttribute("cy", "8"); item.setAttribute("r", "6.5");
    } else if (shape === "square") {
      item = document.createElementNS(SVG, "rect");
      item.setAttribute("x", "2"); item.setAttribute("y", "2"); item.setAttribute("width", "12"); item.setAttribute("height", "12");
    } else {
      const pts = {
        diamond: [[8, 1], [15, 8], [8, 15], [1, 8]],
        triangle: [[8, 1.5], [15, 14], [1, 14]],
        triangleDown: [[1, 2], [15, 2], [8, 14.5]],
        star: ring(5, 7.5, 3.2, -Math.PI / 2),
        hexagon: ring(6, 7, 0, 0),
      }[shape] || ring(6, 7, 0, 0);
      item = document.createElementNS(SVG, "polygon");
      item.setAttribute("points", polygon(pts));
    }
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

  /* ---- adjacency and counts ---- */
  const adjacency = N.map(() => []);
  E.forEach((e, j) => {
    adjacency[e.from].push(j);
    if (e.to !== e.from) adjacency[e.to].push(j);
  });
  const classCount = C.map(() => 0);
  N.forEach((n) => { classCount[n.cls]++; });
  const relationCount = R.map(() => 0);
  E.forEach((e) => { relationCount[e.rel]++; });

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
  const nodeItems = N.map((n, i) => ({
    id: i, label: n.label.length > LABEL_MAX ? n.label.slice(0, LABEL_MAX - 1) + "…" : n.label, x: n.x, y: n.y, group: "c" + n.cls, size: n.size, font: { size: n.font },
    fixed: n.deg === 0,
    title: C[n.cls].zh + " · " + n.label + (n.aliases.length ? "（别名：" + n.aliases.join("、") + "）" : ""),
  }));
  const edgeItems = E.map((e, j) => {
    const r = R[e.rel];
    const item = {
      id: j, from: e.from, to: e.to, label: r.zh, title: r.zh + "（" + r.id + "）",
      color: { color: r.colour, highlight: darker(r.colour, 0.6), hover: darker(r.colour, 0.6), opacity: LARGE ? 0.55 : 0.9 },
    };
    if (e.lane > 0 || e.from === e.to) item.smooth = { enabled: true, type: e.lane % 2 ? "curvedCW" : "curvedCCW", roundness: 0.2 + 0.15 * Math.floor(e.lane / 2) };
    return item;
  });
  const nodes = new vis.DataSet(nodeItems);
  const edges = new vis.DataSet(edgeItems);

  const options = {
    groups: groups,
    nodes: { font: { face: FONT, size: 14, color: "#222", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: {
      arrows: { to: { enabled: E.length <= ARROW_LIMIT, scaleFactor: 0.5 } }, width: 1.2, hoverWidth: 1.5, selectionWidth: 2,
      smooth: false,
      font: { face: FONT, size: 11, color: "#555", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      scaling: { label: { drawThreshold: LARGE ? 16 : 5 } },
    },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !LARGE, tooltipDelay: 250, hideEdgesOnDrag: LARGE, hideEdgesOnZoom: LARGE, keyboard: false, multiselect: false },
    physics: data.physics && N.length > 1 ? {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -3000, centralGravity: 0.05, springLength: 140, springConstant: 0.03, damping: 0.3, avoidOverlap: 0.2 },
      stabilization: { enabled: true, iterations: 300, updateInterval: 50, fit: true },
      minVelocity: 1,
    } : { enabled: false },
  };

  const container = $("network");
  const network = new vis.Network(container, {}, options);

  /* ---- view state: class and relation filters, neighbourhood ---- */
  const hiddenClasses = new Set();
  const hiddenRelations = new Set();
  let hood = null;
  const nodeHidden = N.map(() => false);
  const edgeHidden = E.map(() => false);
  let arrows = E.length <= ARROW_LIMIT;

  function nodeShown(i) { return !hiddenClasses.has(N[i].cls) && (hood === null || hood.has(i)); }
  function edgeShown(j) { const e = E[j]; return !hiddenRelations.has(e.rel) && nodeShown(e.from) && nodeShown(e.to); }

  function apply() {
    const nodeUpdates = [], edgeUpdates = [];
    N.forEach((_, i) => {
      const hide = !nodeShown(i);
      if (hide !== nodeHidden[i]) { nodeHidden[i] = hide; nodeUpdates.push({ id: i, hidden: hide }); }
    });
    E.forEach((_, j) => {
      const hide = !edgeShown(j);
      if (hide !== edgeHidden[j]) { edgeHidden[j] = hide; edgeUpdates.push({ id: j, hidden: hide }); }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    const wanted = edgeHidden.filter((h) => !h).length <= ARROW_LIMIT;
    if (wanted !== arrows) {
      arrows = wanted;
      network.setOptions({ edges: { arrows: { to: { enabled: arrows, scaleFactor: 0.5 } } } });
    }
    updateCounts();
  }

  function visibleNodeIds() { return N.map((_, i) => i).filter((i) => !nodeHidden[i]); }
  function visibleEdgeIds() { return E.map((_, j) => j).filter((j) => !edgeHidden[j]); }

  function updateCounts() {
    const n = nodeHidden.filter((h) => !h).length, m = edgeHidden.filter((h) => !h).length;
    $("counts").textContent = "实体 " + n + " / " + N.length + " · 关系 " + m + " / " + E.length;
  }

  /* ---- legend and filters ---- */
  const classBoxes = [], relationBoxes = [];
  C.forEach((c, k) => {
    const box = el("input", { type: "checkbox", "data-class": c.id });
    box.checked = true;
    box.addEventListener("change", () => {
      if (box.checked) hiddenClasses.delete(k); else hiddenClasses.add(k);
      apply();
    });
    classBoxes.push(box);
    $("class-filters").appendChild(el("li", null, [el("label", { title: c.id }, [
      box, shapeIcon(c.shape, c.colour), el("span", { text: c.zh }), el("span", { cls: "n", text: String(classCount[k]) }),
    ])]));
  });
  R.forEach((r, k) => {
    const box = el("input", { type: "checkbox", "data-relation": r.id });
    box.checked = true;
    box.addEventListener("change", () => {
      if (box.checked) hiddenRelations.delete(k); else hiddenRelations.add(k);
      apply();
    });
    relationBoxes.push(box);
    $("relation-filters").appendChild(el("li", null, [el("label", { title: r.id }, [
      box, el("span", { cls: "line", style: { background: r.colour } }), el("span", { text: r.zh }),
      el("span", { cls: "n", text: String(relationCount[k]) }),
    ])]));
  });
  document.querySelectorAll("#filters button.all").forEach((button) => {
    button.addEventListener("click", () => {
      const isClasses = button.dataset.group === "classes";
      const boxes = isClasses ? classBoxes : relationBoxes, hidden = isClasses ? hiddenClasses : hiddenRelations;
      const check = boxes.some((b) => !b.checked);
      boxes.forEach((b, k) => { b.checked = check; if (check) hidden.delete(k); else hidden.add(k); });
      apply();
    });
  });

  /* ---- text with the names it is about marked, built from text nodes ---- */
  function highlighted(text, terms) {
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
      if (best > at) out.push(document.createTextNode(text.slice(at, best)));
      out.push(el("mark", { text: bestTerm }));
      at = best + bestTerm.length;
    }
    if (at < text.length) out.push(document.createTextNode(text.slice(at)));
    return out;
  }

  function docHeading(docIndex) {
    const d = D[docIndex];
    if (!d) return el("div", { cls: "doc", text: "（来源不明）" });
    return el("div", { cls: "doc" }, [d.title ? "《" + d.title + "》 " : "", el("span", { cls: "muted", text: d.file })]);
  }

  function nodeLink(i) {
    return el("a", { cls: "link", role: "button", tabindex: "0", onclick: () => focusNode(i) }, [N[i].label]);
  }

  function moreButton(list, rest, make) {
    if (!rest.length) return;
    const button = el("button", { type: "button", text: "再显示 " + rest.length + " 条" });
    button.addEventListener("click", () => { button.remove(); rest.forEach((x) => list.appendChild(make(x))); });
    list.after(button);
  }

  /* ---- side panel ---- */
  const panel = $("panel"), body = $("panel-body");
  let selected = null;

  function openPanel(children) {
    body.replaceChildren(...children);
    const wasHidden = panel.hidden;
    panel.hidden = false;
    panel.scrollTop = 0;
    if (wasHidden) network.setSize("100%", "100%");
  }
  function closePanel() {
    const wasHidden = panel.hidden;
    panel.hidden = true;
    body.replaceChildren();
    if (!wasHidden) network.setSize("100%", "100%");
    selected = null;
    network.unselectAll();
  }
  $("panel-close").addEventListener("click", closePanel);

  function showNode(i) {
    const n = N[i], c = C[n.cls];
    selected = { kind: "node", id: i };
    const parts = [
      el("h2", { text: n.label }),
      el("div", null, [el("span", { cls: "chip", style: { background: c.colour }, text: c.zh }), el("span", { cls: "muted", text: c.id })]),
      el("p", null, [el("strong", { text: "别名：" }), n.aliases.length ? n.aliases.join("、") : "无"]),
      el("div", { cls: "iri", text: n.iri }),
      el("div", { cls: "tools" }, [
        el("button", { type: "button", text: "邻域 · 1 层", onclick: () => showHood(i, 1) }),
        el("button", { type: "button", text: "邻域 · 2 层", onclick: () => showHood(i, 2) }),
        el("button", { type: "button", text: "居中", onclick: () => centre(i) }),
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
        el("a", { cls: "link muted", role: "button", tabindex: "0", onclick: () => { network.selectEdges([j]); showEdge(j); } },
           ["证据 " + e.ev.length]),
      ]);
    };
    rels.slice(0, 200).forEach((j) => relList.appendChild(relRow(j)));
    if (!rels.length) relList.appendChild(el("li", { cls: "muted", text: "无" }));
    parts.push(relList);

    const bySentence = new Map();
    n.m.forEach(([s, surface]) => {
      if (!bySentence.has(s)) bySentence.set(s, []);
      bySentence.get(s).push(surface);
    });
    const sentenceIds = Array.from(bySentence.keys()).sort((a, b) => a - b);
    parts.push(el("h3", { text: "证据：提及的句子（" + sentenceIds.length + "）" }));
    const evList = el("div", { id: "panel-evidence" });
    let lastDoc = null;
    const terms = [n.label].concat(n.aliases);
    const sentenceRow = (s) => {
      const frag = document.createDocumentFragment();
      if (S[s].doc !== lastDoc) { lastDoc = S[s].doc; frag.appendChild(docHeading(S[s].doc)); }
      frag.appendChild(el("blockquote", null, highlighted(S[s].text, bySentence.get(s).concat(terms))));
      return frag;
    };
    sentenceIds.slice(0, 100).forEach((s) => evList.appendChild(sentenceRow(s)));
    if (!sentenceIds.length) evList.appendChild(el("p", { cls: "muted", text: "RDF 中没有此实体的提及。" }));
    parts.push(evList);
    openPanel(parts);
    moreButton(relList, rels.slice(200), relRow);
    moreButton(evList, sentenceIds.slice(100), sentenceRow);
  }

  function showEdge(j) {
    const e = E[j], r = R[e.rel];
    selected = { kind: "edge", id: j };
    const parts = [
      el("h2", null, [N[e.from].label, " → ", N[e.to].label]),
      el("div", null, [el("span", { cls: "chip", style: { background: r.colour }, text: r.zh }), el("span", { cls: "muted", text: r.id })]),
      el("p", null, [nodeLink(e.from), " ", el("span", { cls: "muted", text: r.zh }), " ", nodeLink(e.to)]),
      el("h3", { text: "证据（" + e.ev.length + "）" }),
    ];
    const terms = [N[e.from].label, N[e.to].label].concat(N[e.from].aliases, N[e.to].aliases);
    [e.from, e.to].forEach((i) => N[i].m.forEach(([s, surface]) => { if (e.ev.some((v) => v[0] === s)) terms.push(surface); }));
    const evList = el("div", { id: "panel-evidence" });
    e.ev.forEach(([s, doc, rule, confidence]) => {
      const sentence = S[s];
      evList.appendChild(docHeading(sentence ? sentence.doc : doc));
      evList.appendChild(el("blockquote", null, sentence ? highlighted(sentence.text, terms) : ["（句子缺失）"]));
      evList.appendChild(el("div", { cls: "muted", text: "规则 " + (rule || "—") + " · 置信度 " + (confidence || "—") }));
    });
    if (!e.ev.length) evList.appendChild(el("p", { cls: "muted", text: "RDF 中没有此关系的证据。" }));
    parts.push(evList);
    openPanel(parts);
  }

  /* ---- focus, neighbourhood ---- */
  function reveal(i) {
    let changed = false;
    if (hiddenClasses.has(N[i].cls)) { hiddenClasses.delete(N[i].cls); classBoxes[N[i].cls].checked = true; changed = true; }
    if (hood !== null && !hood.has(i)) { hood = null; $("hood-status").hidden = true; changed = true; }
    if (changed) apply();
  }
  function centre(i) {
    network.focus(i, { scale: Math.max(network.getScale(), 1.1), animation: ANIMATION });
  }
  function focusNode(i) {
    reveal(i);
    showNode(i);
    network.selectNodes([i]);
    centre(i);
  }

  function showHood(i, depth) {
    reveal(i);
    const seen = new Map([[i, 0]]);
    const queue = [i];
    while (queue.length) {
      const v = queue.shift();
      if (seen.get(v) >= depth) continue;
      for (const j of adjacency[v]) {
        const e = E[j];
        if (hiddenRelations.has(e.rel)) continue;
        const w = e.from === v ? e.to : e.from;
        if (seen.has(w) || hiddenClasses.has(N[w].cls)) continue;
        seen.set(w, seen.get(v) + 1);
        queue.push(w);
      }
    }
    hood = new Set(seen.keys());
    apply();
    $("hood-text").textContent = "邻域：" + N[i].label + "（" + depth + " 层，" + hood.size + " 个实体）";
    $("hood-status").hidden = false;
    network.selectNodes([i]);
    network.fit({ nodes: Array.from(hood), animation: ANIMATION });
  }
  function clearHood() {
    hood = null;
    $("hood-status").hidden = true;
    apply();
    network.fit({ animation: ANIMATION });
  }
  $("hood-clear").addEventListener("click", clearHood);
  $("fit").addEventListener("click", () => network.fit({ animation: ANIMATION }));

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
      role: "option", "aria-selected": k === active ? "true" : "false", "data-node": String(hit.i),
      onmousedown: (ev) => { ev.preventDefault(); choose(k); },
    }, [
      shapeIcon(C[N[hit.i].cls].shape, C[N[hit.i].cls].colour), el("span", { text: N[hit.i].label }),
      el("span", { cls: "cls", text: C[N[hit.i].cls].zh }),
      hit.alias ? el("span", { cls: "cls", text: "别名：" + hit.alias }) : null,
    ])));
    if (!current.length && input.value.trim()) results.appendChild(el("li", { cls: "muted", text: "没有匹配的实体" }));
    results.hidden = !input.value.trim();
  }
  function choose(k) {
    const hit = current[k];
    if (!hit) return;
    results.hidden = true;
    input.blur();
    focusNode(hit.i);
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
      results.hidden = true;
    }
  });
  input.addEventListener("blur", () => { results.hidden = true; });
  input.addEventListener("focus", () => { if (input.value.trim()) renderResults(); });

  /* ---- clicks on the canvas ---- */
  network.on("click", (p) => {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else closePanel();
  });
  network.on("doubleClick", (p) => { if (p.nodes.length) showHood(p.nodes[0], 1); });

  /* ---- start ---- */
  $("title").textContent = data.title;
  const page = window.kgPage = {
    data: data, network: network, nodes: nodes, edges: edges, ready: false, readyMs: null,
    visibleNodeIds: visibleNodeIds, visibleEdgeIds: visibleEdgeIds, focusNode: focusNode,
    showHood: showHood, clearHood: clearHood, search: search,
    selected: () => selected,
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
  if (options.physics.enabled) {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", () => {
        network.fit();
        network.once("afterDrawing", ready);
        network.redraw();
      });
      network.redraw();
    });
  } else {
    network.once("afterDrawing", ready);
  }
  network.setData({ nodes: nodes, edges: edges });
  updateCounts();
})();
