// graphkit explorer: search → question → answer with evidence beside the network.
// Plain JS, no build step. Every piece of data is written with textContent, never innerHTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  entityId: null, entityName: null, styles: {}, stylesReady: null, network: null, timer: null,
  asked: 0, // numbers each suggestion lookup, so a late answer to an old one is dropped
  last: null, // the query behind the answer on screen: what cite and export run again
};
const STRENGTH_NOTE = "Strength multiplies the hops' strengths along a path: each hop counts its " +
  "ownership share, or its type's weight, times how well its sources establish it (1 = full control).";
const MODES_WITH_DEPTH = new Set(["reach", "exposure", "paths", "diff"]);

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

// ------------------------------------------------------------------ talking to the API
function apiKey() { return sessionStorage.getItem("graphkit-key") || ""; }

function askForKey(message) {
  $("key-field").hidden = false;
  $("api_key").focus();
  $("status").textContent = message;
}

async function request(path, params) {
  const url = new URL(path, document.baseURI);
  for (const [key, value] of params || []) if (value !== "" && value != null) url.searchParams.append(key, value);
  const headers = apiKey() ? { "X-API-Key": apiKey() } : {};
  const response = await fetch(url, { headers });
  if (response.status === 401) {
    const err = new Error("This server needs an API key: enter it in the key field and run again.");
    err.needsKey = true;
    throw err;
  }
  return response;
}

async function getJSON(path, params) {
  const response = await request(path, params);
  const body = await response.json();
  if (!response.ok) {
    const err = new Error(body.detail || body.title || response.statusText);
    err.problem = body;
    throw err;
  }
  return body;
}

// A file from the API (cite, export), fetched with the key and saved or opened.
async function download(path, params, name, open) {
  const response = await request(path, params);
  if (!response.ok) {
    const body = await response.json();
    throw new Error(body.detail || response.statusText);
  }
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = el("a", { href, download: open ? "" : name });
  if (open) { link.removeAttribute("download"); link.target = "_blank"; link.rel = "noopener"; }
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return blob;
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
  // A lookup still waiting to start or on its way must not reopen the list once it was
  // closed (Escape, leaving the field, a choice, a run): the list would cover the answer.
  clearTimeout(state.timer);
  state.asked += 1;
  $("suggestions").hidden = true;
  $("entity").setAttribute("aria-expanded", "false");
}

async function suggest() {
  const text = $("entity").value.trim();
  if (state.entityId && text === state.entityName) return closeSuggestions();
  state.entityId = null;
  $("entity-chosen").textContent = "";
  if (text.length < 2) return closeSuggestions();
  const asked = ++state.asked;
  try {
    const found = await getJSON("entities", [["q", text], ["limit", "8"]]);
    if (asked !== state.asked || document.activeElement !== $("entity")) return;
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
    if (err.needsKey) askForKey(err.message);
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

// A typed name (typos forgiven by the search) as an id; text matching nothing is tried as an
// id, and the API answers 404 with suggestions.
async function resolveName(text) {
  try {
    const found = await getJSON("entities", [["q", text], ["limit", "1"]]);
    if (found.items.length) return found.items[0].entity;
  } catch (err) {
    if (err.needsKey) throw err;
  }
  return { id: text, name: text };
}

// ------------------------------------------------------------------ rendering answers
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
    if (ev.note) line.append(el("span", { class: "ev-note", text: ` Note: ${ev.note}` }));
    list.append(line);
  }
  return list;
}

function pathBlock(path) {
  const hops = el("ol", { class: "hops" });
  for (const hop of path.hops) hops.append(el("li", {}, el("span", { text: hop.explanation }), evidenceList(hop)));
  return hops;
}

function heading(text, result) {
  const known = result.known_by ? `, known by ${result.known_by}` : "";
  const profile = result.profile && result.profile.name !== "default" ? ` — profile ${result.profile.name} (${result.profile.fingerprint})` : "";
  return el("h2", { text: `${text} — as of ${result.as_of}${known}${profile}` });
}

function renderRanked(result, title) {
  const box = $("results");
  box.replaceChildren(heading(`${title} — ${result.total} result(s)`, result));
  if (result.items.length) box.append(el("p", { class: "note", text: STRENGTH_NOTE }));
  for (const item of result.items) {
    const card = el("article", { class: "actor", "data-entity": item.entity.id });
    const head = el("h3", { text: `${item.rank}. ${item.entity.name}` });
    flags(item.path).forEach((f) => head.append(f));
    card.append(head, el("div", { class: "meta", text: `${item.entity.kind} · strength ${item.strength.toFixed(3)} · ${item.hops} hop(s)` }), pathBlock(item.path));
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
  box.replaceChildren(heading(`Paths from ${result.source.name} to ${result.target.name}`, result));
  if (result.paths.length) box.append(el("p", { class: "note", text: STRENGTH_NOTE }));
  result.paths.forEach((path, i) => {
    const card = el("article", { class: "actor" });
    const head = el("h3", { text: `${i + 1}. strength ${path.strength.toFixed(3)}, ${path.length} hop(s)` });
    flags(path).forEach((f) => head.append(f));
    card.append(head, pathBlock(path));
    box.append(card);
  });
  if (!result.paths.length) box.append(el("p", { text: "No path under these filters." }), whyEmpty(result.empty) ?? "");
}

function renderAsset(result) {
  const box = $("results");
  box.replaceChildren(heading(`Around ${result.asset.name}`, result));
  for (const group of result.groups) {
    const section = el("section", { class: "group", "data-role": group.role });
    section.append(el("h3", { text: `${group.title} (${group.facts.length})` }));
    const list = el("ul", { class: "facts" });
    for (const fact of group.facts) {
      const via = fact.distance > 1 ? ` (via ${fact.via.name})` : "";
      const off = fact.hop.active ? "" : " — not in force on this day";
      const item = el("li", { class: fact.hop.active ? "" : "inactive" }, el("span", { text: fact.hop.claim + via + off }));
      if (fact.hop.disputed) item.append(el("span", { class: "flag disputed", text: "disputed" }));
      item.append(evidenceList(fact.hop));
      list.append(item);
    }
    section.append(list);
    box.append(section);
  }
  if (!result.groups.length) box.append(el("p", { text: "Nothing is recorded around it under these filters." }));
  if (result.not_yet_known) box.append(el("p", { class: "note", text: `${result.not_yet_known} relationship(s) left out: no source had reported them by the known-by day.` }));
  if (result.truncated) box.append(el("p", { class: "note", text: "More relationships than shown: narrow the types." }));
}

function pct(x) { return `${(100 * x).toFixed(1).replace(/\.0$/, "")}%`; }

function renderOwners(result) {
  const box = $("results");
  box.replaceChildren(heading(`Who owns ${result.entity.name}`, result));
  box.append(el("p", { class: "note", text: `Held by state bodies and party organisations, through every chain: ${pct(result.state_share)}. Integrated shares add up every chain of known stakes, cycles included.` }));
  for (const owner of result.owners) {
    const card = el("article", { class: "actor", "data-entity": owner.entity.id });
    card.append(el("h3", { text: `${owner.entity.name}${owner.ultimate ? " (ultimate owner)" : ""}` }),
      el("div", { class: "meta", text: `${owner.entity.kind} · integrated ${pct(owner.integrated)} · direct ${pct(owner.direct)}` }));
    for (const chain of owner.paths) card.append(pathBlock(chain.path));
    box.append(card);
  }
  if (!result.owners.length) box.append(el("p", { text: "No owner with a known share is recorded." }));
  if (result.unknown_share_stakes.length) {
    box.append(el("h3", { text: "Stakes of unknown size (not in the arithmetic)" }));
    const list = el("ul", { class: "facts" });
    for (const hop of result.unknown_share_stakes) list.append(el("li", {}, el("span", { text: hop.explanation }), evidenceList(hop)));
    box.append(list);
  }
  for (const warning of result.warnings) box.append(el("p", { class: "note", text: warning }));
}

function renderDiff(result) {
  const box = $("results");
  const who = result.target ? result.target.name : result.source.name;
  box.replaceChildren(el("h2", { text: `What changed for ${who} between ${result.from_date} and ${result.to_date}` }));
  for (const item of result.items) {
    const card = el("article", { class: `actor ${item.change}`, "data-entity": item.entity.id });
    const before = item.strength_before == null ? "—" : item.strength_before.toFixed(3);
    const after = item.strength_after == null ? "—" : item.strength_after.toFixed(3);
    card.append(el("h3", { text: `${item.entity.name}: ${item.change}` }),
      el("div", { class: "meta", text: `strength ${before} → ${after}` }), el("p", { text: item.explanation }));
    for (const hop of item.changed_hops) card.append(el("p", { class: "changed", text: hop.explanation }), evidenceList(hop));
    box.append(card);
  }
  box.append(el("p", { class: "note", text: `${result.unchanged} unchanged.` }));
}

// ------------------------------------------------------------------ the network
function tooltip(text) {
  const div = document.createElement("div");
  div.textContent = text;
  return div;
}

function drawNetwork(entities, hops, highlight) {
  const nodes = new Map();
  const edges = new Map();
  for (const ent of entities) nodes.set(ent.id, ent);
  for (const hop of hops) {
    edges.set(hop.relationship_id, hop);
    nodes.set(hop.source.id, hop.source);
    nodes.set(hop.target.id, hop.target);
  }
  for (const ent of highlight) nodes.set(ent.id, ent);
  const visNodes = [...nodes.values()].map((ent) => {
    const style = state.styles[ent.kind] || { color: "#777", shape: "dot" };
    const big = highlight.some((h) => h.id === ent.id);
    return {
      id: ent.id, label: ent.name, widthConstraint: { maximum: 170 }, // whole names, wrapped
      title: tooltip(`${ent.name}\n${ent.kind}${ent.country ? " · " + ent.country : ""}\nid: ${ent.id}`),
      color: style.color, shape: style.shape, size: big ? 28 : 16, borderWidth: big ? 4 : 1,
    };
  });
  const visEdges = [...edges.values()].map((hop) => ({
    id: hop.relationship_id, from: hop.influence_from, to: hop.influence_to, arrows: "to",
    label: hop.type, width: 1 + 5 * hop.strength, dashes: hop.confidence !== "confirmed" && hop.confidence !== 1,
    color: !hop.active ? "#bbbbbb" : hop.disputed ? "#c0392b" : "#444444",
    title: tooltip(hop.explanation + `\nstrength ${hop.strength.toFixed(3)}` + "\n\n" + hop.evidence.map((ev) => `[${ev.stance}] ${ev.title} (${ev.date || "undated"})\n“${ev.excerpt}”`).join("\n\n")),
  }));
  const data = { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) };
  const options = {
    layout: { randomSeed: 7 }, interaction: { hover: true, tooltipDelay: 120 },
    physics: { stabilization: { iterations: 400 }, barnesHut: { gravitationalConstant: -9000, springLength: 160 } },
    edges: { font: { size: 10, align: "middle" }, smooth: { type: "dynamic" } },
    nodes: { font: { size: 13 } },
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

const pathsOf = (paths) => [paths.flatMap((p) => p.entities), paths.flatMap((p) => p.hops)];

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
const FIELDS = ["mode", "target", "from_date", "as_of", "known_by", "max_depth", "min_confidence", "profile", "pattern"];
const MODES_WITH_PATTERN = new Set(["reach", "exposure", "paths"]);

function chosenTypes() { return [...$("types").selectedOptions].map((o) => o.value); }

function currentParams() {
  const params = new URLSearchParams();
  params.set("entity", state.entityId);
  const mode = $("mode").value;
  for (const key of FIELDS) {
    const value = $(key).value;
    if (!value) continue;
    if (key === "target" && mode !== "paths") continue;
    if (key === "from_date" && mode !== "diff") continue;
    if (key === "pattern" && !MODES_WITH_PATTERN.has(mode)) continue;
    params.set(key, value);
  }
  for (const t of chosenTypes()) params.append("types", t);
  return params;
}

function showFields() {
  const mode = $("mode").value;
  $("target-field").hidden = mode !== "paths";
  $("from-field").hidden = mode !== "diff";
  $("max_depth").disabled = !MODES_WITH_DEPTH.has(mode);
  $("pattern").disabled = !MODES_WITH_PATTERN.has(mode);
}

async function run(event) {
  if (event) event.preventDefault();
  if ($("api_key").value) sessionStorage.setItem("graphkit-key", $("api_key").value);
  closeSuggestions();
  $("actions").hidden = true;
  try {
    if (!state.entityId) {
      const text = $("entity").value.trim();
      if (!text) return;
      const best = await resolveName(text);
      if (best.name !== text || best.id !== text) chooseEntity(best.id, best.name);
      else state.entityId = text;
    }
    const mode = $("mode").value;
    let target = null;
    if (mode === "paths") {
      const text = $("target").value.trim();
      if (!text) { $("status").textContent = "Paths need a target: type its name."; return; }
      target = await resolveName(text);
      $("target").value = target.name;
    }
    const params = currentParams();
    history.replaceState(null, "", `?${params}`);
    const filters = [["as_of", params.get("as_of")], ["known_by", params.get("known_by")], ["min_confidence", params.get("min_confidence")], ["profile", params.get("profile")], ...params.getAll("types").map((t) => ["types", t])];
    const depth = [["max_depth", params.get("max_depth")], ["pattern", params.get("pattern")]];
    $("status").textContent = "Asking…";
    await state.stylesReady;
    let named = null;
    if (mode === "paths") {
      const result = await getJSON("paths", [["source", state.entityId], ["target", target.id], ["k", "5"], ...depth, ...filters]);
      renderPaths(result);
      drawNetwork(...pathsOf(result.paths), [result.source, result.target]);
      named = [["query", "paths"], ["entity", state.entityId], ["target", target.id], ...depth, ...filters];
    } else if (mode === "asset") {
      const result = await getJSON(`assets/${encodeURIComponent(state.entityId)}`, [["depth", "2"], ...filters]);
      renderAsset(result);
      drawNetwork(result.entities, result.groups.flatMap((g) => g.facts.map((f) => f.hop)), [result.asset]);
      named = [["query", "asset"], ["entity", state.entityId], ["depth", "2"], ...filters];
    } else if (mode === "owners") {
      const result = await getJSON("owners", [["entity", state.entityId], ["as_of", params.get("as_of")], ["known_by", params.get("known_by")]]);
      renderOwners(result);
      const paths = result.owners.flatMap((o) => o.paths.map((c) => c.path));
      const [ents, hops] = pathsOf(paths);
      drawNetwork(ents, hops.concat(result.unknown_share_stakes), [result.entity]);
    } else if (mode === "diff") {
      const from = params.get("from_date");
      if (!from) { $("status").textContent = "Give the earlier day to compare with."; return; }
      const result = await getJSON("diff", [["query", "reach"], ["target", state.entityId], ["from_date", from], ["to_date", params.get("as_of")], ...depth, ["min_confidence", params.get("min_confidence")], ["profile", params.get("profile")], ...params.getAll("types").map((t) => ["types", t])]);
      renderDiff(result);
      const paths = result.items.flatMap((i) => [i.before, i.after].filter(Boolean));
      drawNetwork(...pathsOf(paths), [result.target]);
    } else {
      const key = mode === "reach" ? "target" : "source";
      const result = await getJSON(mode, [[key, state.entityId], ["limit", "50"], ...depth, ...filters]);
      renderRanked(result, mode === "reach" ? `Who can reach ${result.target.name}` : `What ${result.source.name} can reach`);
      drawNetwork(...pathsOf(result.items.map((i) => i.path)), [mode === "reach" ? result.target : result.source]);
      named = [["query", mode], ["entity", state.entityId], ["limit", "50"], ...depth, ...filters];
    }
    state.last = named;
    $("actions").hidden = !named;
    $("status").textContent = `Link to this view: ${location.href}`;
  } catch (err) {
    if (err.needsKey) return askForKey(err.message);
    const known = err.problem && err.problem.suggestions && err.problem.suggestions.length;
    const hint = known && !err.message.includes("Did you mean") ? ` Did you mean: ${err.problem.suggestions.join(", ")}?` : "";
    $("status").textContent = `${err.message}${hint}`;
    $("results").replaceChildren();
  }
}

async function act(event) {
  const button = event.target.closest("button");
  if (!button || !state.last) return;
  const entity = state.last.find(([k]) => k === "entity")[1];
  try {
    if (button.dataset.cite) {
      const format = button.dataset.cite;
      await download("cite", [...state.last, ["format", format]], `graphkit-cite-${entity}.${format}`, format === "html");
    } else {
      const format = button.dataset.export;
      const ext = { csv: "csv", gexf: "gexf", png: "png", svg: "svg", html: "html" }[format];
      await download("export", [...state.last, ["format", format]], `graphkit-${entity}.${ext}`, false);
    }
    $("status").textContent = `Made the ${button.textContent} of this answer.`;
  } catch (err) {
    if (err.needsKey) return askForKey(err.message);
    $("status").textContent = `Could not make it: ${err.message}`;
  }
}

// ------------------------------------------------------------------ start-up
async function loadTypes() {
  try {
    const profiles = await getJSON("profiles");
    for (const p of profiles) {
      if (p.name === "default") continue;
      $("profile").append(el("option", { value: p.name, title: p.description, text: p.name }));
    }
    $("profile").addEventListener("change", () => {
      const chosen = profiles.find((p) => p.name === $("profile").value);
      $("profile-hint").textContent = chosen ? chosen.description : "";
    });
    const schema = await getJSON("schema");
    const select = $("types");
    for (const rel of schema.relationships) {
      if (rel.flow === "none") continue; // facts that carry no influence are never traversed
      select.append(el("option", { value: rel.type, title: rel.description, text: rel.type }));
    }
  } catch (err) {
    // The field and the reason appear together: a field that showed up with no word of why
    // left the user (and a test reading the status as the field appeared) guessing.
    if (err.needsKey) askForKey(err.message);
  }
}

async function start() {
  // Controls are wired before anything is awaited: typing right after the page loads must
  // not be lost while the styles are still on their way (drawing waits for them instead).
  state.stylesReady = getJSON("ui/styles").then((styles) => {
    state.styles = styles;
    const legend = $("legend-kinds");
    for (const [kind, style] of Object.entries(styles)) {
      legend.append(el("li", {}, el("span", { class: `sw ${style.shape}`, style: `background:${style.color}` }), kind));
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
  $("mode").addEventListener("change", showFields);
  $("types").addEventListener("change", () => {
    const n = chosenTypes().length;
    $("types-hint").textContent = n ? `${n} chosen (Ctrl-click to change)` : "none chosen: all types";
  });
  $("query").addEventListener("submit", run);
  $("actions").addEventListener("click", act);
  if (apiKey()) $("key-field").hidden = false;
  await loadTypes();
  // A shared link reproduces the view.
  const params = new URLSearchParams(location.search);
  for (const key of FIELDS) if (params.get(key)) $(key).value = params.get(key);
  for (const option of $("types").options) option.selected = params.getAll("types").includes(option.value);
  showFields();
  if (params.get("entity")) {
    state.entityId = params.get("entity");
    try { const detail = await getJSON(`entities/${encodeURIComponent(state.entityId)}`); chooseEntity(detail.entity.id, detail.entity.name); } catch (err) { $("entity").value = state.entityId; }
    run();
  }
}

start();
