/* The overview page of a graph too big for the interactive one: every entity is searchable by
   name or alias, the most connected are listed, and an entity's panel lists its relations.
   Text reaches the page only through textContent. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const n = data.names.length;
  const MAX_RESULTS = 50, MAX_PER_GROUP = 200;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  /* adjacency from the flat [from, relation, to, …] list */
  const out = new Map(), inc = new Map();
  for (let k = 0; k < data.edges.length; k += 3) {
    const s = data.edges[k], r = data.edges[k + 1], o = data.edges[k + 2];
    if (!out.has(s)) out.set(s, []);
    out.get(s).push([r, o]);
    if (!inc.has(o)) inc.set(o, []);
    inc.get(o).push([r, s]);
  }

  function classOf(i) { return data.classes[data.cls[i]]; }

  function entityButton(i) {
    const b = el("button", null, "entity");
    b.type = "button";
    const dot = el("span", null, "dot");
    dot.style.background = classOf(i).colour;
    b.append(dot, el("bdi", data.names[i]));
    b.dataset.index = String(i);
    b.addEventListener("click", () => show(i));
    return b;
  }

  function row(cells) {
    const tr = document.createElement("tr");
    for (const c of cells) {
      const td = el("td", typeof c === "object" ? null : c, typeof c === "number" ? "n" : null);
      if (typeof c === "object") td.append(c);
      tr.append(td);
    }
    return tr;
  }

  function show(i) {
    const panel = $("panel");
    panel.replaceChildren();
    panel.hidden = false;
    panel.dataset.index = String(i);
    const h = el("h2");
    h.append(el("bdi", data.names[i]), " ", el("span", classOf(i).zh, "muted"));
    panel.append(h);
    if (data.aliases[i].length) panel.append(el("p", "别名：" + data.aliases[i].join("、"), "muted"));
    panel.append(el("p", data.deg[i] + " 条关系，" + data.mentions[i] + " 次提及", "muted"));
    const groups = new Map();
    for (const [r, o] of out.get(i) || []) {
      const key = "out" + r;
      if (!groups.has(key)) groups.set(key, { title: data.relations[r].zh + " →", items: [] });
      groups.get(key).items.push(o);
    }
    for (const [r, s] of inc.get(i) || []) {
      const key = "in" + r;
      if (!groups.has(key)) groups.set(key, { title: "← " + data.relations[r].zh, items: [] });
      groups.get(key).items.push(s);
    }
    for (const g of groups.values()) {
      panel.append(el("h3", g.title + "（" + g.items.length + "）"));
      const ul = el("ul");
      g.items.sort((a, b) => data.deg[b] - data.deg[a] || (data.names[a] < data.names[b] ? -1 : 1));
      for (const j of g.items.slice(0, MAX_PER_GROUP)) {
        const li = el("li");
        li.append(entityButton(j));
        ul.append(li);
      }
      if (g.items.length > MAX_PER_GROUP) ul.append(el("li", "……另有 " + (g.items.length - MAX_PER_GROUP) + " 个", "muted"));
      panel.append(ul);
    }
    const hint = el("p", "带证据的邻域图：", "muted");
    hint.append(el("code", "kg render OUT --focus '" + data.names[i] + "' --out focus.html"));
    panel.append(hint);
    panel.scrollIntoView({ block: "nearest" });
  }

  function search(query) {
    const q = query.trim();
    if (!q) return [];
    const exact = [], part = [];
    for (let i = 0; i < n; i++) {
      const name = data.names[i], aliases = data.aliases[i];
      if (name === q || aliases.indexOf(q) >= 0) exact.push(i);
      else if (name.indexOf(q) >= 0 || aliases.some((a) => a.indexOf(q) >= 0)) part.push(i);
    }
    const byDegree = (a, b) => data.deg[b] - data.deg[a] || (data.names[a] < data.names[b] ? -1 : data.names[a] > data.names[b] ? 1 : a - b);
    exact.sort(byDegree);
    part.sort(byDegree);
    return exact.concat(part);
  }

  function showResults(query) {
    const found = search(query);
    const box = $("results-box"), body = $("results").tBodies[0];
    body.replaceChildren();
    box.hidden = !query.trim();
    $("result-count").textContent = found.length > MAX_RESULTS ? "前 " + MAX_RESULTS + " / " + found.length : String(found.length);
    for (const i of found.slice(0, MAX_RESULTS)) body.append(row([entityButton(i), classOf(i).zh, data.deg[i], data.mentions[i]]));
    return found;
  }

  $("title").textContent = data.title;
  document.title = data.title;
  $("note").textContent = "概览：" + n + " 个实体、" + (data.edges.length / 3) + " 条关系，超过 " + data.limit +
    " 个实体的图谱不画成交互图；可搜索全部实体。";
  const topBody = $("top").tBodies[0];
  for (const i of data.top) topBody.append(row([entityButton(i), classOf(i).zh, data.deg[i], data.mentions[i]]));
  const perClass = new Array(data.classes.length).fill(0), perRelation = new Array(data.relations.length).fill(0);
  for (const c of data.cls) perClass[c]++;
  for (let k = 1; k < data.edges.length; k += 3) perRelation[data.edges[k]]++;
  const summary = $("summary").tBodies[0];
  data.classes.forEach((c, i) => summary.append(row([c.zh, perClass[i]])));
  data.relations.forEach((r, i) => summary.append(row([r.zh, perRelation[i]])));
  const input = $("search");
  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => showResults(input.value), 150); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { clearTimeout(timer); const found = showResults(input.value); if (found.length) show(found[0]); }
  });
  window.kgOverview = { search: search, show: show, data: data };
})();
