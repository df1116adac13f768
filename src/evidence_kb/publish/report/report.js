/* The evidence map's behaviour: filters, the gap map, the side panel, the crosswalk and the
   findings list, all drawn from the JSON in #ekb-data. Text from the data is only ever set
   as text (textContent, never innerHTML), so a statement cannot inject markup. */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("ekb-data").textContent);
  const FINDINGS = new Map(DATA.findings.map((f) => [f.id, f]));
  const REVIEWS = new Map(DATA.reviews.map((r) => [r.id, r]));
  const CONCEPTS = new Map(DATA.concepts.map((c) => [c.id, c]));
  const FRAMEWORKS = new Map(DATA.frameworks.map((fw) => [fw.id, fw]));
  const PAGE = 40; // findings shown per review before "show all"
  const LINKS_OF = new Map(); // element id -> indices of its crosswalk links
  DATA.crosswalk.forEach((link, i) => {
    for (const end of [link.source, link.target]) {
      if (!LINKS_OF.has(end)) LINKS_OF.set(end, []);
      LINKS_OF.get(end).push(i);
    }
  });

  const WORDS = {
    nl: {
      element: "Element", findings: "bevindingen", finding: "bevinding", of: "van",
      promoting: "Bevorderend", hindering: "Belemmerend", other: "Overig",
      promotingLower: "bevorderend", hinderingLower: "belemmerend", otherLower: "overig",
      mapCaption: "Bevindingen per element en review", asWhole: "als geheel",
      noInfo: "geen info", noInfoLong: "de review meldt ‘Geen relevante informatie gevonden’",
      noFindings: "geen bevindingen", notAtLevel: "de review rapporteert niet op dit niveau", filteredOut: "alle bevindingen weggefilterd",
      reportsNoInfo: "De review meldt: ‘Geen relevante informatie gevonden’.",
      hiddenByFilters: "verborgen door de filters", references: "Referenties (APA 7)",
      source: "Bron", printed: "gedrukt", asPrinted: "zoals gedrukt", unresolved: "niet herleid tot een referentie",
      noCitation: "zonder bronvermelding", theme: "Thema", topic: "Onderwerp",
      gapNote: "Geen bevindingen over dit raamwerk in: ", cellKicker: "Gap-map-cel",
      linkKicker: "Crosswalk", overlapKicker: "Berekende overlap", grounds: "Onderbouwing",
      from: "Van", relation: "Relatie", to: "Naar", evidence: "Bevindingen",
      noneStated: "geen; zie onderbouwing", strength: "Sterkte", sharedConcepts: "Gedeelde concepten",
      sharedRefs: "gedeelde referenties", computed: "Berekende overlap: gedeelde concepten en referenties",
      computedNote: "Sterkte is de Jaccard-index van wat twee elementen delen (concepten in hun labels en bevindingen, referenties, vermelde verbanden). Alleen paren vanaf 0,2; de sterkste eerst.",
      links: "verbanden", linksLong: "crosswalk-verbanden met andere raamwerken", wholeFrameworks: "De raamwerken als geheel", betweenElements: "Tussen elementen", showAll: "Toon alle", showFewer: "Toon minder", allConcepts: "Alle concepten",
      noneMatch: "Geen bevindingen voor deze filters.", count: "bevindingen zichtbaar",
      openFindings: "Open de bevindingen", frameworkWhole: "raamwerk als geheel", open: "open",
      rel_overlap: "overlap", rel_difference: "verschil", rel_relationship: "onderlinge relatie", rel_same_as: "gelijk",
      kind_factor: "Factor", kind_working_element: "Werkzaam element", kind_outcome: "Uitkomst",
      kind_condition: "Conditie", kind_risk: "Risico", kind_overlap: "Overeenkomst",
      kind_difference: "Verschil", kind_relationship: "Onderlinge relatie", kind_advice: "Advies",
      kind_no_evidence: "Geen informatie",
    },
    en: {
      element: "Element", findings: "findings", finding: "finding", of: "of",
      promoting: "Promoting", hindering: "Hindering", other: "Other",
      promotingLower: "promoting", hinderingLower: "hindering", otherLower: "other",
      mapCaption: "Findings per element and review", asWhole: "as a whole",
      noInfo: "no info", noInfoLong: "the review reports ‘No relevant information found’",
      noFindings: "no findings", notAtLevel: "the review does not report at this level", filteredOut: "all findings filtered out",
      reportsNoInfo: "The review reports: ‘No relevant information found’ (Geen relevante informatie gevonden).",
      hiddenByFilters: "hidden by the filters", references: "References (APA 7)",
      source: "Source", printed: "printed", asPrinted: "as printed", unresolved: "not resolved to a reference",
      noCitation: "no source given", theme: "Theme", topic: "Topic",
      gapNote: "No findings about this framework in: ", cellKicker: "Gap map cell",
      linkKicker: "Crosswalk", overlapKicker: "Computed overlap", grounds: "Grounds",
      from: "From", relation: "Relation", to: "To", evidence: "Findings",
      noneStated: "none; see grounds", strength: "Strength", sharedConcepts: "Shared concepts",
      sharedRefs: "shared references", computed: "Computed overlap: shared concepts and references",
      computedNote: "Strength is the Jaccard index of what two elements share (concepts in their labels and findings, references, stated links). Only pairs from 0.2; strongest first.",
      links: "links", linksLong: "crosswalk links to other frameworks", wholeFrameworks: "The frameworks as a whole", betweenElements: "Between elements", showAll: "Show all", showFewer: "Show fewer", allConcepts: "All concepts",
      noneMatch: "No findings for these filters.", count: "findings shown",
      openFindings: "Open the findings", frameworkWhole: "framework as a whole", open: "open",
      rel_overlap: "overlap", rel_difference: "difference", rel_relationship: "relationship", rel_same_as: "same",
      kind_factor: "Factor", kind_working_element: "Working element", kind_outcome: "Outcome",
      kind_condition: "Condition", kind_risk: "Risk", kind_overlap: "Similarity",
      kind_difference: "Difference", kind_relationship: "Relationship", kind_advice: "Advice",
      kind_no_evidence: "No information",
    },
  };
  const RELATION_MARK = { overlap: "≈", difference: "≠", relationship: "↔", same_as: "=" };
  const DIR_MARK = { promoting: "+", hindering: "−", other: "○" };

  const state = {
    lang: "nl",
    q: "",
    dirs: new Set(["promoting", "hindering", "other"]),
    reviews: new Set(DATA.reviews.map((r) => r.id)),
    fws: new Set(DATA.frameworks.map((fw) => fw.id)),
    concept: "",
    view: (DATA.frameworks.find((fw) => DATA.maps[fw.id] && DATA.maps[fw.id].rows.length) || {}).id,
    active: null, // [row, column] of the cell that takes the tab stop
    panel: null, // what the side panel shows
    opener: null,
    expanded: new Set(),
  };
  let visible = new Set(FINDINGS.keys());

  // -- helpers ---------------------------------------------------------------------------------
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }
  const w = (key) => (WORDS[state.lang][key] !== undefined ? WORDS[state.lang][key] : key);
  const fold = (s) => String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  function label(id) {
    const e = DATA.elements[id];
    if (!e) return id;
    return state.lang === "en" && e.en ? e.en : e.nl;
  }
  function fwLabel(id) {
    const fw = FRAMEWORKS.get(id);
    return fw ? fw[state.lang] || fw.nl : label(id);
  }
  function elementName(id) {
    const e = DATA.elements[id];
    if (e && e.level === "framework") return fwLabel(id) + " (" + w("frameworkWhole") + ")";
    return label(id);
  }
  const reviewLabel = (id) => (REVIEWS.get(id) ? REVIEWS.get(id)["label_" + state.lang] : id);
  const conceptLabel = (id) => (CONCEPTS.get(id) ? CONCEPTS.get(id)[state.lang] : id);
  const dirClass = (f) => (f.dir === "promoting" || f.dir === "hindering" ? f.dir : "other");
  const plural = (n) => n + " " + (n === 1 ? w("finding") : w("findings"));

  // -- filtering -------------------------------------------------------------------------------
  const HAYSTACK = new Map(
    DATA.findings.map((f) => {
      const refs = f.refs.map((k) => DATA.references[k]).filter(Boolean);
      const parts = [f.id, f.statement, f.citation, f.topic, f.source, f.review]
        .concat([f.element, f.theme].filter(Boolean).map((e) => DATA.elements[e] ? DATA.elements[e].nl + " " + DATA.elements[e].en : e))
        .concat(refs.map((r) => r.cite_nl + " " + r.apa_nl.map((p) => p[0]).join("")))
        .concat(f.concepts.map((c) => (CONCEPTS.get(c) ? CONCEPTS.get(c).nl + " " + CONCEPTS.get(c).en : c)));
      return [f.id, fold(parts.join(" \u0001 "))];
    })
  );
  function passes(f) {
    if (!state.dirs.has(dirClass(f))) return false;
    if (!state.reviews.has(f.review)) return false;
    if (f.fw.length && !f.fw.some((fw) => state.fws.has(fw))) return false;
    if (state.concept && !f.concepts.includes(state.concept)) return false;
    // the charting fields (charting.csv): the finding cites a study with the chosen value
    for (const [field, value] of Object.entries(state.chart || {})) {
      if (!((f.chart || {})[field] || []).includes(value)) return false;
    }
    if (state.q) {
      const hay = HAYSTACK.get(f.id);
      if (!fold(state.q).split(/\s+/).filter(Boolean).every((term) => hay.includes(term))) return false;
    }
    return true;
  }
  const findingFilterActive = () =>
    Boolean(state.q || state.concept || state.dirs.size < 3 || state.reviews.size < REVIEWS.size ||
      Object.keys(state.chart || {}).length);

  function readForm() {
    const form = $("#filters");
    state.q = form.q.value.trim();
    state.dirs = new Set($$('input[name="dir"]:checked', form).map((i) => i.value));
    state.reviews = new Set($$('input[name="review"]:checked', form).map((i) => i.value));
    state.fws = new Set($$('input[name="framework"]:checked', form).map((i) => i.value));
    state.concept = form.concept.value;
    state.chart = Object.fromEntries($$('select[name="chart"]', form).filter((s) => s.value).map((s) => [s.dataset.field, s.value]));
  }
  function writeForm() {
    const form = $("#filters");
    form.q.value = state.q;
    $$('input[name="dir"]', form).forEach((i) => (i.checked = state.dirs.has(i.value)));
    $$('input[name="review"]', form).forEach((i) => (i.checked = state.reviews.has(i.value)));
    $$('input[name="framework"]', form).forEach((i) => (i.checked = state.fws.has(i.value)));
    form.concept.value = state.concept;
    $$('select[name="chart"]', form).forEach((s) => (s.value = (state.chart || {})[s.dataset.field] || ""));
  }
  function refresh() {
    visible = new Set(DATA.findings.filter(passes).map((f) => f.id));
    const count = $("#filter-count");
    count.textContent = "";
    count.append(h("strong", { text: String(visible.size) }), " " + w("of") + " " + FINDINGS.size + " " + w("count"));
    renderTabs();
    renderMap();
    renderCrosswalk();
    renderFindings();
    if (state.panel) renderPanel();
  }

  // -- the finding card ------------------------------------------------------------------------
  function citationLine(f) {
    const refs = f.refs.filter((k) => DATA.references[k]);
    if (f.kind === "no_evidence") return null;
    if (refs.length) {
      const resolved = refs.map((k) => DATA.references[k]["cite_" + state.lang]).join("; ");
      const same = (s) => fold(s).replace(/\bet al\.?|\be\.?a\.?(?=[ ,])/g, "").replace(/[^a-z0-9]+/g, "");
      const printed = f.citation && same(f.citation) !== same(resolved) ? " (" + w("printed") + ": " + f.citation + ")" : "";
      return h("p", { class: "cite" }, h("span", { class: "label", text: w("source") + ": " }), resolved, h("span", { class: "printed", text: printed }));
    }
    if (f.citation) {
      return h("p", { class: "cite" },
        h("span", { class: "label", text: w("source") + " (" + w("asPrinted") + "): " }), f.citation,
        f.status === "unresolved" || f.status === "ambiguous" ? h("span", { class: "unresolved", text: " · " + w("unresolved") }) : null);
    }
    return h("p", { class: "cite printed", text: w("noCitation") });
  }
  function card(f, opts) {
    const options = opts || {};
    const dir = dirClass(f);
    const lines = f.statement.split("\n");
    const subs = lines.slice(1).map((l) => l.trim().replace(/^- /, "")).filter(Boolean);
    const place = f.theme || f.element;
    return h("article", { class: "finding dir-" + dir + " kind-" + f.kind, "data-fid": f.id },
      h("div", { class: "finding-badges" },
        dir !== "other" && !options.grouped ? h("span", { class: "badge badge-" + dir, text: DIR_MARK[dir] + " " + w(dir) }) : null,
        h("span", { class: "badge", text: w("kind_" + f.kind) }),
        options.review ? h("span", { class: "badge badge-review", text: reviewLabel(f.review) }) : null,
        options.element && place && place !== options.row ? h("span", { class: "badge badge-review", text: elementName(place) }) : null),
      h("p", { class: "statement", lang: "nl", text: lines[0] }),
      subs.length ? h("ul", { class: "sub", lang: "nl" }, subs.map((s) => h("li", { text: s }))) : null,
      citationLine(f),
      h("p", { class: "finding-meta" },
        [f.id, f.topic ? w("topic") + ": " + f.topic : null, f.theme && !options.element ? w("theme") + ": " + label(f.theme) : null, f.source]
          .filter(Boolean).join(" · ")),
      f.concepts.length
        ? h("ul", { class: "concepts", "aria-label": "Concepten / Concepts" }, f.concepts.map((c) =>
          h("li", {}, h("button", { type: "button", class: "chip", "data-concept": c, "aria-pressed": String(state.concept === c), text: conceptLabel(c) }))))
        : null);
  }
  function referenceList(ids) {
    const keys = Array.from(new Set(ids.flatMap((id) => FINDINGS.get(id).refs))).filter((k) => DATA.references[k]);
    if (!keys.length) return null;
    const apa = (k) => DATA.references[k]["apa_" + state.lang];
    keys.sort((a, b) => fold(apa(a).map((p) => p[0]).join("")).localeCompare(fold(apa(b).map((p) => p[0]).join(""))));
    return [h("h3", { text: w("references") }),
      h("ul", { class: "apa-list" }, keys.map((k) => {
        const ref = DATA.references[k];
        return h("li", { id: "apa-" + k },
          apa(k).map(([text, italic]) => (italic ? h("em", { text }) : text.startsWith(" http") && ref.link ? null : text)),
          ref.link ? [" ", h("a", { href: ref.link, rel: "noopener noreferrer", text: ref.link })] : null);
      }))];
  }

  // -- the gap map -----------------------------------------------------------------------------
  function cellStats(ids) {
    const stats = { p: 0, h: 0, o: 0, noev: 0, all: 0 };
    for (const id of ids) {
      const f = FINDINGS.get(id);
      if (f.kind === "no_evidence") { stats.noev += 1; continue; }
      stats.all += 1;
      if (!visible.has(id)) continue;
      stats[dirClass(f)[0]] += 1;
    }
    stats.total = stats.p + stats.h + stats.o;
    return stats;
  }
  function renderTabs() {
    const usable = (fw) => state.fws.has(fw) && DATA.maps[fw] && DATA.maps[fw].rows.length;
    if (!usable(state.view)) {
      const next = DATA.frameworks.find((fw) => usable(fw.id));
      if (next) { state.view = next.id; state.active = null; }
    }
    $$(".fw-tab").forEach((b) => {
      b.disabled = !usable(b.dataset.fw);
      b.setAttribute("aria-pressed", String(b.dataset.fw === state.view));
    });
  }
  function renderMap() {
    const table = $("#gap-table");
    const map = DATA.maps[state.view];
    const thead = $("thead", table);
    $$("tbody", table).forEach((tb) => tb.remove());
    thead.textContent = "";
    if (!map || !state.fws.has(state.view)) {
      $("#gap-caption").textContent = w("noneMatch");
      $("#gap-note").textContent = "";
      return;
    }
    const columns = map.reviews.filter((r) => state.reviews.has(r));
    $("#gap-caption").textContent = w("mapCaption") + ": " + fwLabel(state.view);
    thead.append(h("tr", {},
      h("th", { scope: "col", class: "rowhead", text: w("element") }),
      columns.map((r) => h("th", { scope: "col", title: REVIEWS.get(r) ? REVIEWS.get(r).title : r },
        h("span", { class: "rv-label", text: reviewLabel(r) }), h("span", { class: "rv-id", text: r })))));
    const stats = map.rows.map((row) => columns.map((r) => Object.assign(cellStats(map.cells[row.id][r] || []),
      { outside: (map.outside[row.id] || []).includes(r) })));
    const max = Math.max(1, ...stats.flat().map((s) => s.total));
    if (!state.active || state.active[0] >= map.rows.length || state.active[1] >= columns.length) state.active = [0, 0];
    let body = null;
    map.rows.forEach((row, i) => {
      if (!body || row.depth <= 1) { body = h("tbody"); table.append(body); }
      const name = row.own ? fwLabel(row.id) + " — " + w("asWhole") : label(row.id);
      body.append(h("tr", { class: "depth-" + row.depth + (row.depth === 1 ? " core" : "") + (row.own ? " own" : "") },
        h("th", { scope: "row", title: name }, h("div", { class: "rowhead-inner" },
          h("span", { class: "el-label", text: name }),
          LINKS_OF.has(row.id) ? h("button", {
            type: "button", class: "xw-button", "aria-haspopup": "dialog", "data-xw": row.id,
            "aria-label": name + ": " + LINKS_OF.get(row.id).length + " " + w("linksLong"),
            title: LINKS_OF.get(row.id).length + " " + w("linksLong"),
            onclick: (ev) => openPanel({ kind: "element", id: row.id }, ev.currentTarget),
            text: "↔ " + LINKS_OF.get(row.id).length,
          }) : null)),
        columns.map((r, j) => h("td", {}, cellButton(row, r, stats[i][j], max, i, j, name)))));
    });
    const missing = DATA.reviews.filter((r) => !map.reviews.includes(r.id)).map((r) => reviewLabel(r.id));
    $("#gap-note").textContent = missing.length ? (w("gapNote") + missing.join("; ") + ".").replace("….", "…") : "";
  }
  function cellButton(row, review, s, max, i, j, name) {
    let kind = "";
    let text = String(s.total);
    let split = [];
    if (s.total === 0 && s.all) { kind = "filtered"; text = "0"; }
    else if (s.total === 0 && s.noev) { kind = "noev"; text = "∅"; split = [h("span", { text: w("noInfo") })]; }
    else if (s.total === 0 && s.outside) { kind = "na"; text = "·"; }
    else if (s.total === 0) { kind = "empty"; text = "–"; }
    else {
      split = [s.p ? h("span", { class: "p", text: "+" + s.p }) : null, s.h ? h("span", { class: "h", text: "−" + s.h }) : null, s.o ? h("span", { class: "o", text: "○" + s.o }) : null];
    }
    const detail = s.total
      ? plural(s.total) + ": " + s.p + " " + w("promotingLower") + ", " + s.h + " " + w("hinderingLower") + ", " + s.o + " " + w("otherLower")
      : kind === "noev" ? w("noInfoLong") : kind === "filtered" ? w("filteredOut") : kind === "na" ? w("notAtLevel") : w("noFindings");
    const extra = s.noev && kind !== "noev" ? "; " + w("noInfoLong") : "";
    const open = state.panel && state.panel.kind === "cell" && state.panel.row === row.id && state.panel.review === review && state.panel.fw === state.view;
    const [ai, aj] = state.active;
    return h("button", {
      type: "button", class: "cell" + (kind ? " " + kind : ""), "data-r": i, "data-c": j,
      "data-row": row.id, "data-review": review, "data-count": s.total,
      tabindex: ai === i && aj === j ? "0" : "-1", "aria-haspopup": "dialog", "aria-expanded": String(Boolean(open)),
      "aria-label": name + " — " + reviewLabel(review) + ": " + detail + extra,
    },
      h("span", { class: "cell-n", "aria-hidden": "true" }, text, s.noev && kind !== "noev" ? h("span", { class: "noev-mark", text: "∅" }) : null),
      h("span", { class: "cell-split", "aria-hidden": "true" }, split),
      h("span", { class: "bar", "aria-hidden": "true" },
        h("span", { class: "bar-fill", style: "width:" + (100 * s.total / max).toFixed(1) + "%" },
          ["p", "h", "o"].map((k) => (s[k] ? h("span", { class: "seg " + k, style: "flex-grow:" + s[k] }) : null)))));
  }
  function moveFocus(event) {
    const button = event.target.closest("button.cell");
    if (!button) return;
    const rows = DATA.maps[state.view].rows.length;
    const cols = $$("#gap-table thead th").length - 1;
    let [i, j] = [Number(button.dataset.r), Number(button.dataset.c)];
    switch (event.key) {
      case "ArrowRight": j += 1; break;
      case "ArrowLeft": j -= 1; break;
      case "ArrowDown": i += 1; break;
      case "ArrowUp": i -= 1; break;
      case "PageDown": i += 5; break;
      case "PageUp": i -= 5; break;
      case "Home": j = 0; if (event.ctrlKey) i = 0; break;
      case "End": j = cols - 1; if (event.ctrlKey) i = rows - 1; break;
      default: return;
    }
    event.preventDefault();
    i = Math.max(0, Math.min(rows - 1, i));
    j = Math.max(0, Math.min(cols - 1, j));
    const next = $('#gap-table button.cell[data-r="' + i + '"][data-c="' + j + '"]');
    if (next) {
      button.tabIndex = -1;
      next.tabIndex = 0;
      state.active = [i, j];
      next.focus();
    }
  }

  // -- the side panel --------------------------------------------------------------------------
  function openPanel(spec, opener) {
    state.panel = spec;
    state.opener = opener || null;
    renderPanel();
    $("#panel").hidden = false;
    $$("#gap-table button.cell").forEach((b) => b.setAttribute("aria-expanded", String(b === opener)));
    $("#panel-title").focus();
  }
  function closePanel() {
    if (!state.panel) return;
    const spec = state.panel;
    state.panel = null;
    $("#panel").hidden = true;
    $$('#gap-table button.cell[aria-expanded="true"]').forEach((b) => b.setAttribute("aria-expanded", "false"));
    let target = state.opener && state.opener.isConnected ? state.opener : null;
    if (!target && spec.kind === "cell") {
      target = $$("#gap-table button.cell").find((b) => b.dataset.row === spec.row && b.dataset.review === spec.review);
    }
    if (!target && spec.kind === "element") target = $$("#gap-table .xw-button").find((b) => b.dataset.xw === spec.id);
    if (target) target.focus();
  }
  function renderPanel() {
    const spec = state.panel;
    let kicker = "", title = "", sub = "", ids = [];
    let notes = []; // [heading or null, text]
    if (spec.kind === "cell") {
      const map = DATA.maps[spec.fw];
      kicker = w("cellKicker") + " · " + fwLabel(spec.fw);
      title = (spec.row === spec.fw ? fwLabel(spec.fw) + " — " + w("asWhole") : label(spec.row));
      sub = reviewLabel(spec.review);
      ids = (map.cells[spec.row] || {})[spec.review] || [];
    } else if (spec.kind === "link") {
      const link = DATA.crosswalk[spec.index];
      kicker = w("linkKicker") + " · " + RELATION_MARK[link.relation] + " " + w("rel_" + link.relation);
      title = elementName(link.source) + " " + RELATION_MARK[link.relation] + " " + elementName(link.target);
      sub = fwLabel(DATA.elements[link.source].fw) + " · " + fwLabel(DATA.elements[link.target].fw);
      ids = link.findings;
      notes = [[null, link.note]];
    } else if (spec.kind === "element") {
      const indices = LINKS_OF.get(spec.id) || [];
      kicker = w("linkKicker") + " · " + fwLabel(DATA.elements[spec.id].fw);
      title = elementName(spec.id);
      sub = indices.length + " " + w("links");
      ids = Array.from(new Set(indices.flatMap((i) => DATA.crosswalk[i].findings)));
      notes = indices.map((i) => {
        const link = DATA.crosswalk[i];
        const other = link.source === spec.id ? link.target : link.source;
        return [h("h3", {}, relationBadge(link.relation), elementName(other) + " · " + fwLabel(DATA.elements[other].fw)), link.note];
      });
    } else {
      const o = DATA.overlaps[spec.index];
      kicker = w("overlapKicker") + " · " + w("strength") + " " + o.strength.toFixed(2);
      title = elementName(o.a) + " ≈ " + elementName(o.b);
      sub = o.concepts.map(conceptLabel).join(", ");
      ids = o.findings;
    }
    $("#panel-kicker").textContent = kicker;
    $("#panel-title").textContent = title;
    $("#panel-sub").textContent = sub;
    const body = $("#panel-body");
    body.textContent = "";
    const all = ids.map((id) => FINDINGS.get(id)).filter(Boolean);
    const noev = all.filter((f) => f.kind === "no_evidence");
    const shown = all.filter((f) => f.kind !== "no_evidence" && visible.has(f.id));
    const hidden = all.length - noev.length - shown.length;
    for (const [heading, text] of notes) {
      body.append(heading || h("h3", { text: w("grounds") }), h("p", { class: "note", text }));
    }
    for (const f of noev) {
      body.append(h("div", { class: "callout" }, h("p", { text: w("reportsNoInfo") }),
        h("p", { class: "finding-meta", text: [f.id, f.theme ? label(f.theme) : label(f.element), f.source].join(" · ") })));
    }
    const summary = [];
    for (const dir of ["promoting", "hindering", "other"]) {
      const group = shown.filter((f) => dirClass(f) === dir);
      summary.push(group.length + " " + w(dir + "Lower"));
      if (!group.length) continue;
      body.append(h("h3", {}, h("span", { class: "swatch swatch-" + dir, "aria-hidden": "true", text: DIR_MARK[dir] }), w(dir) + " (" + group.length + ")"));
      group.forEach((f) => body.append(card(f, { review: spec.kind !== "cell", element: true, grouped: true, row: spec.row })));
    }
    $("#panel-sub").textContent = [sub, plural(shown.length) + " (" + summary.join(", ") + ")"].filter(Boolean).join(" · ");
    if (hidden) body.append(h("p", { class: "note", text: hidden + " " + (hidden === 1 ? w("finding") : w("findings")) + " " + w("hiddenByFilters") + "." }));
    if (!shown.length && !noev.length && !hidden) body.append(h("p", { class: "empty-state", text: w("noFindings") }));
    const refs = referenceList(shown.map((f) => f.id));
    if (refs) body.append(...refs);
  }

  // -- the crosswalk ---------------------------------------------------------------------------
  function evidenceButton(ids, onclick) {
    const total = ids.filter((id) => FINDINGS.has(id)).length;
    const n = ids.filter((id) => visible.has(id)).length;
    if (!total) return h("button", { type: "button", class: "evidence-button", disabled: true, text: w("noneStated") });
    const text = n === total ? plural(n) : n + " " + w("of") + " " + plural(total);
    return h("button", { type: "button", class: "evidence-button", "aria-haspopup": "dialog", onclick, text: text });
  }
  function elementCell(id, tag) {
    const e = DATA.elements[id];
    const text = e && e.level === "framework" ? fwLabel(id) + " (" + w("frameworkWhole") + ")" : label(id);
    return h(tag, tag === "th" ? { scope: "row", text } : { text });
  }
  const isFramework = (id) => DATA.elements[id] && DATA.elements[id].level === "framework";
  const relationBadge = (r) => h("span", { class: "badge badge-rel rel-" + r, text: RELATION_MARK[r] + " " + w("rel_" + r) });
  function groundsCell(note) {
    const short = note.length > 90 ? note.slice(0, 88).replace(/\s+\S*$/, "") + " …" : note;
    return h("td", { class: "grounds" }, note.length > 90 ? h("details", {}, h("summary", { text: short }), h("p", { text: note })) : note);
  }
  function linkRow(index, cells) {
    const link = DATA.crosswalk[index];
    const muted = findingFilterActive() && link.findings.length && !link.findings.some((id) => visible.has(id));
    return h("tr", { class: muted ? "muted" : "" }, cells,
      groundsCell(link.note),
      h("td", {}, evidenceButton(link.findings, (ev) => openPanel({ kind: "link", index }, ev.currentTarget))));
  }
  function linkTable(caption, heads, rows) {
    return h("div", { class: "table-scroll" }, h("table", { class: "data-table crosswalk-table" },
      h("caption", { text: caption }),
      h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, rows)));
  }
  function renderCrosswalk() {
    const root = $("#crosswalk-body");
    root.textContent = "";
    const order = DATA.frameworks.map((fw) => fw.id);
    const rank = { overlap: 0, same_as: 1, difference: 2, relationship: 3 };
    const pairs = new Map();
    DATA.crosswalk.forEach((link, index) => {
      const a = DATA.elements[link.source].fw, b = DATA.elements[link.target].fw;
      const key = [a, b].sort((x, y) => order.indexOf(x) - order.indexOf(y)).join("|");
      if (!pairs.has(key)) pairs.set(key, []);
      pairs.get(key).push(index);
    });
    for (const [key, indices] of pairs) {
      const [a, b] = key.split("|");
      if (!state.fws.has(a) || !state.fws.has(b)) continue;
      const counts = {};
      indices.forEach((i) => { const r = DATA.crosswalk[i].relation; counts[r] = (counts[r] || 0) + 1; });
      const byRelation = (x, y) => rank[DATA.crosswalk[x].relation] - rank[DATA.crosswalk[y].relation] || x - y;
      const whole = indices.filter((i) => isFramework(DATA.crosswalk[i].source) && isFramework(DATA.crosswalk[i].target)).sort(byRelation);
      const parts = indices.filter((i) => !whole.includes(i)).sort(byRelation);
      const topic = (i) => Array.from(new Set(DATA.crosswalk[i].findings.map((id) => FINDINGS.get(id)).filter(Boolean).map((f) => f.topic).filter(Boolean))).join(" / ") || "—";
      const oriented = (i) => {
        const link = DATA.crosswalk[i];
        return DATA.elements[link.source].fw === a ? [link.source, link.target] : [link.target, link.source];
      };
      const overlaps = DATA.overlaps.map((o, i) => [o, i]).filter(([o]) => [o.fa, o.fb].sort().join("|") === [a, b].sort().join("|"));
      root.append(h("section", { class: "pair", "aria-labelledby": "pair-" + a + "-" + b },
        h("h3", { id: "pair-" + a + "-" + b }, fwLabel(a), h("span", { class: "pair-arrow", "aria-hidden": "true", text: "↔" }), h("span", { class: "sr-only", text: " – " }), fwLabel(b)),
        h("div", { class: "pair-summary" }, Object.entries(counts).sort((x, y) => rank[x[0]] - rank[y[0]]).map(([r, n]) =>
          h("span", { class: "badge badge-rel rel-" + r, text: RELATION_MARK[r] + " " + n + " × " + w("rel_" + r) }))),
        whole.length ? linkTable(w("wholeFrameworks"), [w("relation"), w("topic"), w("grounds"), w("evidence")],
          whole.map((i) => linkRow(i, [h("td", {}, relationBadge(DATA.crosswalk[i].relation)), h("th", { scope: "row", lang: "nl", text: topic(i) })]))) : null,
        parts.length ? linkTable(w("betweenElements"), [fwLabel(a), w("relation"), fwLabel(b), w("grounds"), w("evidence")],
          parts.map((i) => { const [x, y] = oriented(i); return linkRow(i, [elementCell(x, "th"), h("td", {}, relationBadge(DATA.crosswalk[i].relation)), elementCell(y, "td")]); })) : null,
        overlaps.length ? overlapBlock(overlaps) : null));
    }
  }
  function overlapBlock(overlaps) {
    return h("details", { class: "block" },
      h("summary", {}, h("span", { class: "summary-kind", text: w("computed") }), " (" + overlaps.length + ")"),
      h("p", { class: "note", text: w("computedNote") }),
      h("div", { class: "table-scroll" }, h("table", { class: "data-table" },
        h("thead", {}, h("tr", {}, [w("element") + " A", w("element") + " B", w("strength"), w("sharedConcepts"), w("evidence")].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, overlaps.map(([o, i]) => h("tr", {},
          elementCell(o.a, "th"), elementCell(o.b, "td"),
          h("td", {}, h("span", { class: "strength" }, h("span", { class: "strength-bar", "aria-hidden": "true" }, h("span", { style: "width:" + (o.strength * 100).toFixed(0) + "%" })), o.strength.toFixed(2))),
          h("td", {}, h("ul", { class: "concepts" }, o.concepts.map((c) => h("li", {}, h("button", { type: "button", class: "chip", "data-concept": c, "aria-pressed": String(state.concept === c), text: conceptLabel(c) })))),
            o.refs.length ? h("span", { class: "fw-tag", text: o.refs.length + " " + w("sharedRefs") }) : null),
          h("td", {}, evidenceButton(o.findings, (ev) => openPanel({ kind: "overlap", index: i }, ev.currentTarget)))))))));
  }

  // -- all findings ----------------------------------------------------------------------------
  function renderFindings() {
    const root = $("#findings-body");
    root.textContent = "";
    let any = false;
    for (const review of DATA.reviews) {
      if (!state.reviews.has(review.id)) continue;
      const mine = DATA.findings.filter((f) => f.review === review.id);
      const shown = mine.filter((f) => visible.has(f.id));
      if (!shown.length) continue;
      any = true;
      const all = state.expanded.has(review.id);
      const list = all ? shown : shown.slice(0, PAGE);
      const more = shown.length > PAGE
        ? h("button", { type: "button", class: "button-secondary more", "aria-expanded": String(all),
          onclick: () => { all ? state.expanded.delete(review.id) : state.expanded.add(review.id); renderFindings(); },
          text: all ? w("showFewer") : w("showAll") + " " + shown.length })
        : null;
      root.append(h("section", { class: "findings-group", "aria-labelledby": "fg-" + review.id },
        h("h3", { id: "fg-" + review.id }, reviewLabel(review.id), h("span", { class: "count", text: shown.length + " " + w("of") + " " + plural(mine.length) })),
        list.map((f) => card(f, { element: true })), more));
    }
    if (!any) root.append(h("p", { class: "empty-state", text: w("noneMatch") }));
  }

  // -- language --------------------------------------------------------------------------------
  function setLanguage(lang) {
    state.lang = lang === "en" ? "en" : "nl";
    document.documentElement.lang = state.lang;
    $$(".lang-switch button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang)));
    $$("[data-placeholder-" + state.lang + "]").forEach((el) => (el.placeholder = el.getAttribute("data-placeholder-" + state.lang)));
    $$("[data-label-" + state.lang + "]").forEach((el) => el.setAttribute("aria-label", el.getAttribute("data-label-" + state.lang)));
    const select = $("#concept");
    const chosen = select.value;
    select.textContent = "";
    select.append(h("option", { value: "", text: w("allConcepts") }));
    DATA.concepts.slice().sort((a, b) => fold(a[state.lang]).localeCompare(fold(b[state.lang])))
      .forEach((c) => select.append(h("option", { value: c.id, text: c[state.lang] })));
    select.value = chosen;
    try { window.localStorage.setItem("evidence-map-lang", state.lang); } catch (e) { /* file:// may refuse storage */ }
    refresh();
  }

  // -- wiring ----------------------------------------------------------------------------------
  let timer = null;
  const form = $("#filters");
  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("input", (ev) => {
    if (ev.target.name !== "q") return;
    clearTimeout(timer);
    timer = setTimeout(() => { readForm(); refresh(); }, 150);
  });
  form.addEventListener("change", () => { readForm(); refresh(); });
  form.addEventListener("reset", () => setTimeout(() => { readForm(); refresh(); }, 0));
  $$(".lang-switch button").forEach((b) => b.addEventListener("click", () => setLanguage(b.dataset.lang)));
  $$(".fw-tab").forEach((b) => b.addEventListener("click", () => { state.view = b.dataset.fw; state.active = null; renderTabs(); renderMap(); }));
  $("#gap-table").addEventListener("click", (ev) => {
    const button = ev.target.closest("button.cell");
    if (!button) return;
    state.active = [Number(button.dataset.r), Number(button.dataset.c)];
    $$("#gap-table button.cell").forEach((b) => (b.tabIndex = b === button ? 0 : -1));
    openPanel({ kind: "cell", fw: state.view, row: button.dataset.row, review: button.dataset.review }, button);
  });
  $("#gap-table").addEventListener("keydown", moveFocus);
  $("#panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && state.panel) { ev.preventDefault(); closePanel(); }
  });
  document.addEventListener("click", (ev) => {
    const chip = ev.target.closest("button.chip[data-concept]");
    if (chip) {
      state.concept = state.concept === chip.dataset.concept ? "" : chip.dataset.concept;
      writeForm();
      refresh();
      return;
    }
    const only = ev.target.closest("button[data-only-review]");
    if (only) {
      state.reviews = new Set([only.dataset.onlyReview]);
      const view = DATA.frameworks.find((fw) => DATA.maps[fw.id] && DATA.maps[fw.id].reviews.includes(only.dataset.onlyReview));
      if (view) state.view = view.id;
      writeForm();
      refresh();
      document.getElementById("gapmap").scrollIntoView();
      const first = $('#gap-table button.cell[tabindex="0"]');
      if (first) first.focus({ preventScroll: true });
    }
  });

  let initial = document.documentElement.lang === "en" ? "en" : "nl"; // the page's language
  try { initial = window.localStorage.getItem("evidence-map-lang") || initial; } catch (e) { /* no storage */ }
  if (/[#&]lang=en\b/.test(window.location.hash)) initial = "en";
  if (/[#&]lang=nl\b/.test(window.location.hash)) initial = "nl";
  if (window.matchMedia && window.matchMedia("(max-width: 1000px)").matches) $("#filters-box").open = false;
  writeForm();
  setLanguage(initial);
  window.evidenceMap = { state: state, visible: () => Array.from(visible), data: DATA };
})();
