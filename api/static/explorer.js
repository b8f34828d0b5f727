// graphkit explorer: search → question → ranked answer with evidence beside the network.
// Plain JS, no build step. Every piece of data is written with textContent, never innerHTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { entityId: null, entityName: null, styles: {}, stylesReady: null, network: null, timer: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function getJSON(path, params) {
  const url = new URL(path, document.baseURI);
  for (const [key, value] of params || []) if (value !== "" && value != null) url.searchParams.append(key, value);
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) {
    const err = new Error(body.detail || body.title || response.statusText);
    err.problem = body;
    throw err;
  }
  return body;
}

// ------------------------------------------------------------------ search suggestions
function chooseEntity(id, name) {
  clearTimeout(state.timer); // a suggestion still pending must not undo the choice
  state.entityId = id;
  state.entityName = name;
  $("entity").value = name;
  $("entity-chosen").textContent = `selected: ${id}`;
  closeSuggestions();
}

function closeSuggestions() {
  $("suggestions").hidden = true;
  $("entity").setAttribute("aria-expanded", "false");
}

async function suggest() {
  const text = $("entity").value.trim();
  if (state.entityId && text === state.entityName) return closeSuggestions();
  state.entityId = null;
  $("entity-chosen").textContent = "";
  if (text.length < 2) return closeSuggestions();
  try {
    const found = await getJSON("entities", [["q", text], ["limit", "8"]]);
    const list = $("suggestions");
    list.replaceChildren();
    found.items.forEach((hit, i) => {
      const item = el("li", { role: "option", id: `sugg-${i}`, "data-id": hit.entity.id, "aria-selected": "false" },
        el("span", { text: hit.entity.name }), el("span", { class: "kind", text: hit.entity.kind }));
      item.addEventListener("mousedown", (event) => { event.preventDefault(); chooseEntity(hit.entity.id, hit.entity.name); });
      list.append(item);
    });
    list.hidden = found.items.length === 0;
    $("entity").setAttribute("aria-expanded", String(!list.hidden));
  } catch (err) {
    closeSuggestions();
  }
}

function moveSelection(step) {
  const items = [...$("suggestions").children];
  if (!items.length) return;
  let index = items.findIndex((li) => li.getAttribute("aria-selected") === "true");
  items.forEach((li) => li.setAttribute("aria-selected", "false"));
  index = (index + step + items.length) % items.length;
  items[index].setAttribute("aria-selected", "true");
  $("entity").setAttribute("aria-activedescendant", items[index].id);
}

// ------------------------------------------------------------------ rendering the answer
function flags(path) {
  const out = [];
  if (path.disputed) out.push(el("span", { class: "flag disputed", text: "disputed" }));
  if (path.undated) out.push(el("span", { class: "flag undated", text: "undated" }));
  return out;
}

function evidenceList(hop) {
  const list = el("div");
  for (const ev of hop.evidence) {
    const line = el("p", { class: `evidence ${ev.stance}` });
    line.append(el("strong", { text: ev.stance === "disputes" ? "Disputed by: " : "Source: " }));
    const title = ev.url ? el("a", { href: ev.url, rel: "noopener", target: "_blank", text: ev.title }) : el("span", { text: ev.title });
    line.append(title, ` (${ev.date || "undated"}) `, el("q", { text: ev.excerpt }));
    list.append(line);
  }
  return list;
}

function pathBlock(path) {
  const hops = el("ol", { class: "hops" });
  for (const hop of path.hops) hops.append(el("li", {}, el("span", { text: hop.explanation }), evidenceList(hop)));
  return hops;
}

function renderRanked(result, heading) {
  const box = $("results");
  box.replaceChildren(el("h2", { text: `${heading} — as of ${result.as_of} — ${result.total} result(s)` }));
  for (const item of result.items) {
    const card = el("article", { class: "actor", "data-entity": item.entity.id });
    const title = el("h3", { text: `${item.rank}. ${item.entity.name}` });
    flags(item.path).forEach((f) => title.append(f));
    card.append(title, el("div", { class: "meta", text: `${item.entity.kind} · strength ${item.strength.toFixed(3)} · ${item.hops} hop(s)` }), pathBlock(item.path));
    box.append(card);
  }
  if (!result.items.length) box.append(el("p", { text: "No actor reaches this under these filters." }), whyEmpty(result.empty) ?? "");
}

// Why an answer is empty, as the server explains it: the filter that cut it, facts that carry
// no influence, an end the data is silent about.
function whyEmpty(empty) {
  if (!empty) return null;
  const list = el("ul", { class: "why-empty" });
  for (const reason of empty.reasons) list.append(el("li", { text: reason }));
  return el("section", { class: "why" }, el("h3", { text: "Why nothing was found" }), list);
}

function renderPaths(result) {
  const box = $("results");
  box.replaceChildren(el("h2", { text: `Paths from ${result.source.name} to ${result.target.name} — as of ${result.as_of}` }));
  result.paths.forEach((path, i) => {
    const card = el("article", { class: "actor" });
    const title = el("h3", { text: `${i + 1}. strength ${path.strength.toFixed(3)}, ${path.length} hop(s)` });
    flags(path).forEach((f) => title.append(f));
    card.append(title, pathBlock(path));
    box.append(card);
  });
  if (!result.paths.length) box.append(el("p", { text: "No path under these filters." }), whyEmpty(result.empty) ?? "");
}

// ------------------------------------------------------------------ the network
function tooltip(text) {
  const div = document.createElement("div");
  div.textContent = text;
  return div;
}

function drawNetwork(paths, highlight) {
  const nodes = new Map();
  const edges = new Map();
  for (const path of paths) {
    for (const ent of path.entities) nodes.set(ent.id, ent);
    for (const hop of path.hops) edges.set(hop.relationship_id, hop);
  }
  for (const ent of highlight) nodes.set(ent.id, ent);
  const visNodes = [...nodes.values()].map((ent) => {
    const style = state.styles[ent.kind] || { color: "#777", shape: "dot" };
    const big = highlight.some((h) => h.id === ent.id);
    return {
      id: ent.id, label: ent.name.length > 28 ? ent.name.slice(0, 27) + "…" : ent.name,
      title: tooltip(`${ent.name}\n${ent.kind}${ent.country ? " · " + ent.country : ""}\nid: ${ent.id}`),
      color: style.color, shape: style.shape, size: big ? 28 : 16, borderWidth: big ? 4 : 1,
    };
  });
  const visEdges = [...edges.values()].map((hop) => ({
    id: hop.relationship_id, from: hop.influence_from, to: hop.influence_to, arrows: "to",
    label: hop.type, width: 1 + 5 * hop.strength, dashes: hop.confidence !== "confirmed" && hop.confidence !== 1,
    color: !hop.active ? "#bbbbbb" : hop.disputed ? "#c0392b" : "#444444",
    title: tooltip(hop.explanation + "\n\n" + hop.evidence.map((ev) => `[${ev.stance}] ${ev.title} (${ev.date || "undated"})\n“${ev.excerpt}”`).join("\n\n")),
  }));
  const data = { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) };
  const options = {
    layout: { randomSeed: 7 }, interaction: { hover: true, tooltipDelay: 120 },
    physics: { stabilization: { iterations: 400 }, barnesHut: { gravitationalConstant: -9000, springLength: 160 } },
    edges: { font: { size: 10, align: "middle" }, smooth: { type: "dynamic" } },
  };
  if (state.network) state.network.destroy();
  state.network = new vis.Network($("network"), data, options);
  state.network.once("stabilizationIterationsDone", () => {
    state.network.setOptions({ physics: false });
    state.network.fit();
    state.network.moveTo({ scale: state.network.getScale() * 0.85 }); // room for labels
  });
  state.network.on("click", (params) => { if (params.nodes.length) showDetails(params.nodes[0]); });
  $("network").setAttribute("data-nodes", String(visNodes.length));
}

async function showDetails(id) {
  const box = $("details");
  box.replaceChildren(el("p", { text: "Loading…" }));
  try {
    const asOf = $("as_of").value;
    const [detail, hood, timeline] = await Promise.all([
      getJSON(`entities/${encodeURIComponent(id)}`),
      getJSON(`entities/${encodeURIComponent(id)}/neighbourhood`, [["as_of", asOf]]),
      getJSON(`entities/${encodeURIComponent(id)}/timeline`),
    ]);
    const ent = detail.entity;
    box.replaceChildren(el("h2", { text: ent.name }),
      el("p", { text: `${ent.kind}${ent.country ? " · " + ent.country : ""} · id ${ent.id}${ent.unnamed ? " · not named in the sources" : ""}` }));
    if (detail.aliases.length) box.append(el("p", { text: `Also known as: ${detail.aliases.join(", ")}` }));
    if (detail.description) box.append(el("p", { text: detail.description }));
    box.append(el("h3", { text: `${detail.relationship_count} relationship(s)` }));
    const list = el("ul");
    for (const hop of hood.relationships) {
      const item = el("li", {}, el("span", { text: hop.explanation + (hop.active ? "" : " (not in force on this date)") }));
      item.append(evidenceList(hop));
      list.append(item);
    }
    box.append(list);
    box.append(el("h3", { text: "Timeline" }));
    const events = el("ol", { class: "timeline" });
    for (const ev of timeline.events) {
      const who = ev.source_title ? ` — ${ev.source_title}` : "";
      events.append(el("li", { text: `${ev.date || "undated"} · ${ev.event}: ${ev.hop.explanation}${who}` }));
    }
    box.append(events);
    box.focus();
  } catch (err) {
    box.replaceChildren(el("p", { text: `Could not load details: ${err.message}` }));
  }
}

// ------------------------------------------------------------------ running a query
function currentParams() {
  const params = new URLSearchParams();
  params.set("entity", state.entityId);
  params.set("mode", $("mode").value);
  for (const key of ["target", "as_of", "max_depth", "min_confidence"]) {
    const value = $(key).value;
    if (value && !(key === "target" && $("mode").value !== "paths")) params.set(key, value);
  }
  return params;
}

async function run(event) {
  if (event) event.preventDefault();
  if (!state.entityId) {
    // Enter on a typed name picks the best match (typos forgiven by the search); text that
    // matches nothing is tried as an id, and the API answers 404 with suggestions.
    const text = $("entity").value.trim();
    if (!text) return;
    try {
      const found = await getJSON("entities", [["q", text], ["limit", "1"]]);
      if (found.items.length) chooseEntity(found.items[0].entity.id, found.items[0].entity.name);
      else state.entityId = text;
    } catch (err) {
      state.entityId = text;
    }
  }
  const params = currentParams();
  history.replaceState(null, "", `?${params}`);
  const mode = params.get("mode");
  const common = [["as_of", params.get("as_of")], ["max_depth", params.get("max_depth")], ["min_confidence", params.get("min_confidence")]];
  $("status").textContent = "Asking…";
  try {
    await state.stylesReady;
    if (mode === "paths") {
      const result = await getJSON("paths", [["source", state.entityId], ["target", params.get("target")], ["k", "5"], ...common]);
      renderPaths(result);
      drawNetwork(result.paths, [result.source, result.target]);
    } else {
      const key = mode === "reach" ? "target" : "source";
      const result = await getJSON(mode, [[key, state.entityId], ["limit", "50"], ...common]);
      renderRanked(result, mode === "reach" ? `Who can reach ${result.target.name}` : `What ${result.source.name} can reach`);
      drawNetwork(result.items.map((i) => i.path), [mode === "reach" ? result.target : result.source]);
    }
    $("status").textContent = `Link to this view: ${location.href}`;
  } catch (err) {
    const known = err.problem && err.problem.suggestions && err.problem.suggestions.length;
    const hint = known && !err.message.includes("Did you mean") ? ` Did you mean: ${err.problem.suggestions.join(", ")}?` : "";
    $("status").textContent = `${err.message}${hint}`;
    $("results").replaceChildren();
  }
}

// ------------------------------------------------------------------ start-up
async function start() {
  // Controls are wired before anything is awaited: typing right after the page loads must
  // not be lost while the styles are still on their way (drawing waits for them instead).
  state.stylesReady = getJSON("ui/styles").then((styles) => {
    state.styles = styles;
    const legend = $("legend");
    for (const [kind, style] of Object.entries(styles)) {
      legend.append(el("li", {}, el("span", { class: "sw", style: `background:${style.color}` }), kind));
    }
  });
  $("entity").addEventListener("input", () => { clearTimeout(state.timer); state.timer = setTimeout(suggest, 150); });
  $("entity").addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { event.preventDefault(); moveSelection(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); moveSelection(-1); }
    else if (event.key === "Escape") closeSuggestions();
    else if (event.key === "Enter" && !$("suggestions").hidden) {
      const chosen = [...$("suggestions").children].find((li) => li.getAttribute("aria-selected") === "true");
      if (chosen) { event.preventDefault(); chooseEntity(chosen.dataset.id, chosen.firstChild.textContent); }
    }
  });
  $("entity").addEventListener("blur", () => setTimeout(closeSuggestions, 100));
  $("mode").addEventListener("change", () => { $("target-field").hidden = $("mode").value !== "paths"; });
  $("query").addEventListener("submit", run);
  // A shared link reproduces the view.
  const params = new URLSearchParams(location.search);
  for (const key of ["mode", "target", "as_of", "max_depth", "min_confidence"]) if (params.get(key)) $(key).value = params.get(key);
  $("target-field").hidden = $("mode").value !== "paths";
  if (params.get("entity")) {
    state.entityId = params.get("entity");
    try { const detail = await getJSON(`entities/${encodeURIComponent(state.entityId)}`); chooseEntity(detail.entity.id, detail.entity.name); } catch (err) { $("entity").value = state.entityId; }
    run();
  }
}

start();
