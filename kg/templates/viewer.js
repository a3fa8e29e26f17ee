/* The kg graph page: draws the data block with vis-network and builds every other element
   with createElement and textContent, never from markup, so text from the papers is shown as
   text. Only http(s) addresses become links. Nothing is loaded from anywhere. */
(function () {
  "use strict";

  var LABEL_CHARS = 40, TIP_CHARS = 240, LIST_STEP = 100, RESULTS = 15;
  var INCOMING = {
    cites: "cited by", builds_on: "built on by", mentions: "mentioned by",
    proposes: "proposed by", co_occurs: "co-occurs with"
  };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = data.nodes, edges = data.edges, sentences = data.sentences;
  var edgeKinds = data.edgeKinds, groups = data.options.groups;
  var kindStyles = new Map(data.nodeKinds.map(function (k) { return [k.kind, k]; }));
  var status = byId("kg-status");

  // Links of every node (edge indexes), and the filter state.
  var links = nodes.map(function () { return []; });
  edges.forEach(function (edge, i) {
    links[edge[0]].push(i);
    if (edge[1] !== edge[0]) links[edge[1]].push(i);
  });
  var kindShown = new Map(data.nodeKinds.map(function (k) { return [k.kind, true]; }));
  var edgeShown = edgeKinds.map(function (k) { return k.shown; });
  var edgeLoaded = edgeKinds.map(function () { return false; });
  var visible = new Uint8Array(nodes.length).fill(1);
  var years = yearRange();

  function byId(id) { return document.getElementById(id); }
  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function shorten(text, limit) {
    return text.length <= limit ? text : text.slice(0, limit - 1).trimEnd() + "\u2026";
  }
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }
  function number(n) { return Number(n).toLocaleString("en"); }
  function isPaper(i) { return nodes[i].kind === "paper"; }
  function kindColor(kind) { return (kindStyles.get(kind) || groups.other).color; }
  function otherEnd(edge, i) { return edge[0] === i ? edge[1] : edge[0]; }
  function detail(edge) { return edge[3] || {}; }

  // The drawing

  function visNode(node, i) {
    var tip = [node.name, node.kind + (node.year ? ", " + node.year : "")];
    if (node.aliases && node.aliases.length) tip.push("also: " + node.aliases.slice(0, 5).join(", "));
    return {
      id: i, label: shorten(node.name, LABEL_CHARS), x: node.x, y: node.y, size: node.size,
      group: has(groups, node.kind) ? node.kind : "other", title: tip.join("\n")
    };
  }

  function visEdge(edge, i) {
    var style = edgeKinds[edge[2]], info = detail(edge);
    var tip = [style.kind.replace(/_/g, " ")];
    if (info.w !== undefined) tip.push("weight " + info.w);
    if (info.c !== undefined) tip.push("confidence " + info.c);
    if (info.s !== undefined) tip.push(shorten(sentences[info.s], TIP_CHARS));
    var item = {
      id: i, from: edge[0], to: edge[1], kind: edge[2], title: tip.join("\n"),
      color: style.color, width: style.width, dashes: style.dashes, arrows: style.arrows
    };
    if (info.w !== undefined && style.kind === "co_occurs") {
      item.width = Math.min(6, 1 + Math.round(Math.log2(Math.max(info.w, 1)) * 10) / 10);
    }
    return item;
  }

  var nodeSet = new vis.DataSet(nodes.map(visNode));
  var edgeSet = new vis.DataSet();
  edgeKinds.forEach(function (k, index) { if (k.shown) loadEdges(index); });
  var nodeView = new vis.DataView(nodeSet, { filter: function (n) { return visible[n.id] === 1; } });
  var edgeView = new vis.DataView(edgeSet, {
    filter: function (e) { return edgeShown[e.kind] && visible[e.from] === 1 && visible[e.to] === 1; }
  });
  var network = new vis.Network(byId("kg-graph"), { nodes: nodeView, edges: edgeView }, data.options);

  function loadEdges(kind) {
    if (edgeLoaded[kind]) return;
    edgeLoaded[kind] = true;
    var items = [];
    edges.forEach(function (edge, i) { if (edge[2] === kind) items.push(visEdge(edge, i)); });
    edgeSet.add(items);
  }

  network.once("afterDrawing", function () {
    requestAnimationFrame(function () {
      window.kg.ready = {
        firstFrameMs: performance.now(),
        nodes: network.body.nodeIndices.length,
        edges: network.body.edgeIndices.length
      };
      showStatus();
      if (data.focus !== null && data.focus !== undefined) show(data.focus);
    });
  });
  network.on("click", function (params) {
    if (params.nodes.length) show(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  function showStatus(text) {
    status.textContent = text || "Showing " + number(nodeView.length) + " of " + number(nodes.length) +
      " nodes and " + number(edgeView.length) + " of " + number(edges.length) + " links";
  }

  // Filters: node kinds, link kinds, paper years

  function yearRange() {
    var known = nodes.filter(function (n) { return n.kind === "paper" && typeof n.year === "number"; })
      .map(function (n) { return n.year; });
    var undated = nodes.filter(function (n) { return n.kind === "paper" && typeof n.year !== "number"; });
    if (!known.length) return null;
    var range = { min: Math.min.apply(null, known), max: Math.max.apply(null, known) };
    byId("kg-years").hidden = false;
    byId("kg-undated-count").textContent = number(undated.length);
    ["kg-year-from", "kg-year-to"].forEach(function (id, end) {
      var input = byId(id);
      input.min = range.min;
      input.max = range.max;
      input.value = end ? range.max : range.min;
      input.addEventListener("change", applyFilters);
    });
    byId("kg-undated").addEventListener("change", applyFilters);
    return range;
  }

  function yearTest() {
    if (!years) return null;
    var from = parseInt(byId("kg-year-from").value, 10), to = parseInt(byId("kg-year-to").value, 10);
    if (isNaN(from)) from = years.min;
    if (isNaN(to)) to = years.max;
    var undated = byId("kg-undated").checked;
    if (from <= years.min && to >= years.max && undated) return null;
    return function (i) {
      var year = nodes[i].year;
      return typeof year === "number" ? year >= from && year <= to : undated;
    };
  }

  function applyFilters() {
    var inYears = yearTest();
    nodes.forEach(function (node, i) {
      var shown = kindShown.get(node.kind);
      if (shown && inYears) shown = isPaper(i) ? inYears(i) : linkedInYears(i, inYears);
      visible[i] = shown ? 1 : 0;
    });
    nodeView.refresh();
    edgeView.refresh();
    showStatus();
  }

  function linkedInYears(i, inYears) {
    var papers = links[i].map(function (e) { return otherEnd(edges[e], i); }).filter(isPaper);
    return !papers.length || papers.some(inYears);
  }

  document.querySelectorAll("#kg-node-legend input").forEach(function (input) {
    input.addEventListener("change", function () {
      kindShown.set(input.dataset.kind, input.checked);
      applyFilters();
    });
  });
  document.querySelectorAll("#kg-edge-legend input").forEach(function (input) {
    var kind = edgeKinds.findIndex(function (k) { return k.kind === input.dataset.kind; });
    input.addEventListener("change", function () {
      edgeShown[kind] = input.checked;
      if (input.checked && !edgeLoaded[kind]) {
        showStatus("Drawing " + number(edgeKinds[kind].count) + " links\u2026");
        setTimeout(function () { loadEdges(kind); edgeView.refresh(); showStatus(); }, 20);
      } else {
        edgeView.refresh();
        showStatus();
      }
    });
  });
  var physics = byId("kg-physics");
  physics.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physics.checked } });
  });
  byId("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); });

  // Search over names, titles and aliases

  var names = nodes.map(function (n) {
    return { name: fold(n.name), aliases: (n.aliases || []).map(fold), id: n.id.toLowerCase() };
  });
  var searchBox = byId("kg-search"), results = byId("kg-results"), active = -1;

  function search(query) {
    var q = fold(query), hits = [];
    if (!q) return hits;
    names.forEach(function (entry, i) {
      var score = entry.name === q || entry.id === q ? 0 : entry.name.startsWith(q) ? 2
        : entry.name.includes(q) ? 4 : 9;
      var alias = null;
      entry.aliases.forEach(function (a, k) {
        var s = a === q ? 1 : a.startsWith(q) ? 3 : a.includes(q) ? 5 : 9;
        if (s < score) { score = s; alias = nodes[i].aliases[k]; }
      });
      if (score < 9) hits.push({ node: i, score: score, alias: alias });
    });
    hits.sort(function (a, b) {
      return a.score - b.score || nodes[b.node].rank - nodes[a.node].rank || a.node - b.node;
    });
    return hits;
  }

  function showResults() {
    var hits = search(searchBox.value);
    results.replaceChildren();
    active = -1;
    if (!searchBox.value.trim()) { results.hidden = true; return; }
    hits.slice(0, RESULTS).forEach(function (hit) {
      var node = nodes[hit.node], button = el("button", "", null);
      button.type = "button";
      button.append(kindBadge(node.kind), el("span", "", node.name));
      if (hit.alias) button.append(el("span", "kg-hint", "alias " + hit.alias));
      if (node.year) button.append(el("span", "kg-hint", String(node.year)));
      button.addEventListener("click", function () { pick(hit.node); });
      var item = el("li", "", null);
      item.setAttribute("role", "option");
      item.dataset.node = hit.node;
      item.append(button);
      results.append(item);
    });
    if (!hits.length) results.append(el("li", "kg-empty", "Nothing found"));
    else if (hits.length > RESULTS) results.append(el("li", "kg-empty", number(hits.length - RESULTS) + " more"));
    results.hidden = false;
  }

  function pick(i) {
    results.hidden = true;
    show(i);
  }

  function moveActive(step) {
    var items = results.querySelectorAll("li[data-node]");
    if (!items.length) return;
    if (active >= 0) items[active].classList.remove("kg-active");
    active = (active + step + items.length) % items.length;
    items[active].classList.add("kg-active");
    items[active].scrollIntoView({ block: "nearest" });
  }

  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveActive(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      var items = results.querySelectorAll("li[data-node]");
      if (items.length) pick(Number(items[Math.max(active, 0)].dataset.node));
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  document.addEventListener("click", function (event) {
    if (!byId("kg-search-box").contains(event.target)) results.hidden = true;
  });

  // The side panel

  var panel = byId("kg-panel"), body = byId("kg-panel-body");
  byId("kg-close").addEventListener("click", function () { panel.hidden = true; network.unselectAll(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target === document.body) panel.hidden = true;
  });

  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== null && text !== undefined) element.textContent = text;
    return element;
  }

  function kindBadge(kind) {
    var badge = el("span", "kg-kind", kind);
    badge.style.background = kindColor(kind);
    return badge;
  }

  function nodeButton(i) {
    var button = el("button", "kg-node", nodes[i].name);
    button.type = "button";
    button.title = nodes[i].kind;
    button.addEventListener("click", function () { show(i); });
    return button;
  }

  function webLink(url, text) {
    if (!/^https?:\/\/[^\s<>"]+$/i.test(String(url))) return el("span", "", text || String(url));
    var link = el("a", "", text || url);
    link.href = url;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    return link;
  }

  function segments(parts, className, tag) {
    var box = el(tag || "p", className, null);
    (parts || []).forEach(function (part) {
      if (typeof part === "string") { box.append(part); return; }
      var mark = el("mark", "kg-mark", part[0]), node = nodes[part[1]];
      mark.style.background = kindColor(node.kind) + "44";
      mark.title = node.name + " (" + node.kind + ")";
      mark.tabIndex = 0;
      mark.setAttribute("role", "button");
      mark.addEventListener("click", function () { show(part[1]); });
      mark.addEventListener("keydown", function (event) { if (event.key === "Enter") show(part[1]); });
      box.append(mark);
    });
    return box;
  }

  function evidence(edge) {
    var info = detail(edge);
    if (info.s === undefined) return null;
    var text = sentences[info.s], quote = el("blockquote", "kg-evidence", null);
    if (info.h) {
      var start = info.h[0], end = info.h[0] + info.h[1];
      quote.append(text.slice(0, start), el("mark", "kg-name", text.slice(start, end)), text.slice(end));
    } else {
      quote.textContent = text;
    }
    return quote;
  }

  function heading(text, count) {
    return el("h3", "", count === undefined ? text : text + " (" + number(count) + ")");
  }

  // A list that shows LIST_STEP items and a button for the rest.
  function longList(items, render) {
    var list = el("ul", "", null);
    function more(from) {
      items.slice(from, from + LIST_STEP).forEach(function (item) { list.append(render(item)); });
      if (items.length > from + LIST_STEP) {
        var button = el("button", "kg-node", "show " + number(items.length - from - LIST_STEP) + " more");
        button.type = "button";
        var row = el("li", "", null);
        row.append(button);
        button.addEventListener("click", function () { row.remove(); more(from + LIST_STEP); });
        list.append(row);
      }
    }
    more(0);
    return list;
  }

  function attributes(pairs) {
    if (!pairs || !pairs.length) return null;
    var list = el("dl", "kg-attrs", null);
    pairs.forEach(function (pair) {
      var value = el("dd", "", null);
      if (Array.isArray(pair[1])) {
        pair[1].forEach(function (i, k) { if (k) value.append(", "); value.append(nodeButton(i)); });
      } else {
        value.textContent = pair[1];
      }
      list.append(el("dt", "", pair[0]), value);
    });
    return list;
  }

  function open(parts) {
    body.replaceChildren();
    parts.forEach(function (part) { if (part) body.append(part); });
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function show(i) {
    var node = nodes[i], parts = [];
    var title = node.title && node.title.length ? segments(node.title, "", "h2") : el("h2", "", node.name);
    title.prepend(kindBadge(node.kind), " ");
    parts.push(title);
    if (!visible[i]) parts.push(el("p", "kg-hint", "Hidden by the current filters."));
    parts = parts.concat(isPaper(i) ? paperParts(i) : entityParts(i));
    parts.push(attributes(node.attrs));
    parts = parts.concat(linkGroups(i, ["mentions", "proposes"]));
    open(parts);
    if (visible[i]) {
      network.selectNodes([i]);
      network.moveTo({  // centred in the part of the drawing the panel leaves free
        position: network.getPositions([i])[i], scale: Math.max(network.getScale(), 0.8),
        offset: { x: -panel.offsetWidth / 2, y: 0 }, animation: false
      });
    }
  }

  function entityParts(i) {
    var node = nodes[i], parts = [];
    if (node.aliases && node.aliases.length) parts.push(el("p", "", "Also called: " + node.aliases.join(", ")));
    var byPaper = new Map();
    links[i].forEach(function (e) {
      var edge = edges[e], other = otherEnd(edge, i), kind = edgeKinds[edge[2]].kind;
      if (!isPaper(other) || (kind !== "mentions" && kind !== "proposes")) return;
      var entry = byPaper.get(other) || { paper: other, evidence: null, proposes: false };
      if (kind === "proposes") entry.proposes = true;
      if (kind === "mentions" || !entry.evidence) entry.evidence = edge;
      byPaper.set(other, entry);
    });
    var meta = [];
    if (node.paperCount !== undefined) meta.push("mentioned by " + number(node.paperCount) + " paper(s)");
    meta.push("importance (PageRank) " + node.rank);
    parts.push(el("p", "kg-meta", meta.join(" \u00b7 ")));
    var papers = Array.from(byPaper.values()).sort(function (a, b) {
      return (nodes[b.paper].year || 0) - (nodes[a.paper].year || 0) || nodes[b.paper].rank - nodes[a.paper].rank;
    });
    if (papers.length) {
      parts.push(heading("Papers and evidence", papers.length));
      parts.push(longList(papers, function (entry) {
        var paper = nodes[entry.paper], item = el("li", "", null);
        item.append(nodeButton(entry.paper));
        if (paper.year) item.append(" (" + paper.year + ")");
        if (entry.proposes) item.append(el("span", "kg-tag", "proposes"));
        var page = (paper.links || [])[0];
        if (page) item.append(" ", webLink(page[1], page[0]));
        var quote = evidence(entry.evidence);
        if (quote) item.append(quote);
        return item;
      }));
    }
    return parts;
  }

  function paperParts(i) {
    var node = nodes[i], parts = [], meta = [];
    if (node.date || node.year) meta.push(node.date || String(node.year));
    if (node.authors && node.authors.length) {
      meta.push(node.authors.slice(0, 8).join(", ") + (node.authors.length > 8 ? " and " +
        (node.authors.length - 8) + " more" : ""));
    } else if (node.authorCount) {
      meta.push(node.authorCount + " authors");
    }
    if (node.organization) meta.push(node.organization);
    if (meta.length) parts.push(el("p", "kg-meta", meta.join(" \u00b7 ")));
    if (node.links && node.links.length) {
      var row = el("p", "kg-links", null);
      node.links.forEach(function (pair, k) { if (k) row.append(" \u00b7 "); row.append(webLink(pair[1], pair[0])); });
      parts.push(row);
    }
    if (node.abstract && node.abstract.length) {
      parts.push(heading("Abstract"));
      parts.push(segments(node.abstract, "kg-abstract"));
    }
    var found = links[i].map(function (e) { return edges[e]; }).filter(function (edge) {
      var kind = edgeKinds[edge[2]].kind;
      return edge[0] === i && (kind === "mentions" || kind === "proposes");
    });
    var proposed = new Set(found.filter(function (e) { return edgeKinds[e[2]].kind === "proposes"; })
      .map(function (e) { return e[1]; }));
    var entities = Array.from(new Set(found.map(function (e) { return e[1]; })));
    if (entities.length) {
      parts.push(heading("Entities", entities.length));
      var byKind = new Map();
      entities.forEach(function (e) {
        var kind = nodes[e].kind;
        if (!byKind.has(kind)) byKind.set(kind, []);
        byKind.get(kind).push(e);
      });
      var list = el("ul", "", null);
      Array.from(byKind.keys()).sort().forEach(function (kind) {
        var item = el("li", "", null);
        item.append(kindBadge(kind), " ");
        byKind.get(kind).sort(function (a, b) { return nodes[a].name.localeCompare(nodes[b].name); })
          .forEach(function (e, k) {
            if (k) item.append(", ");
            item.append(nodeButton(e));
            if (proposed.has(e)) item.append(el("span", "kg-tag", "proposed"));
          });
        list.append(item);
      });
      parts.push(list);
    }
    if (node.sources && node.sources.length) parts.push(el("p", "kg-hint", "From " + node.sources.join(", ")));
    return parts;
  }

  // Every other link of a node, grouped by kind and direction (any kind, known or not).
  function linkGroups(i, shownElsewhere) {
    var groupsByName = new Map();
    links[i].forEach(function (e) {
      var edge = edges[e], kind = edgeKinds[edge[2]].kind;
      if (shownElsewhere.indexOf(kind) >= 0) return;
      var outgoing = edge[0] === i || kind === "co_occurs";
      var name = outgoing ? kind.replace(/_/g, " ") : (INCOMING[kind] || kind.replace(/_/g, " ") + " (incoming)");
      if (!groupsByName.has(name)) groupsByName.set(name, []);
      groupsByName.get(name).push(edge);
    });
    var parts = [];
    Array.from(groupsByName.keys()).sort().forEach(function (name) {
      var group = groupsByName.get(name).sort(function (a, b) {
        return (detail(b).w || 0) - (detail(a).w || 0) || nodes[otherEnd(b, i)].rank - nodes[otherEnd(a, i)].rank;
      });
      parts.push(heading(name, group.length));
      parts.push(longList(group, function (edge) {
        var item = el("li", "", null), info = detail(edge);
        item.append(nodeButton(otherEnd(edge, i)));
        if (info.w !== undefined) item.append(el("span", "kg-hint", " weight " + info.w));
        var quote = evidence(edge);
        if (quote) item.append(quote);
        var extra = attributes(info.attrs);
        if (extra) item.append(extra);
        return item;
      }));
    });
    return parts;
  }

  function showEdge(e) {
    var edge = edges[e], info = detail(edge), title = el("h2", "", edgeKinds[edge[2]].kind.replace(/_/g, " "));
    var ends = el("p", "", null);
    ends.append(nodeButton(edge[0]), " \u2192 ", nodeButton(edge[1]));
    var meta = [];
    if (info.c !== undefined) meta.push("confidence " + info.c);
    if (info.w !== undefined) meta.push("weight " + info.w);
    open([title, ends, meta.length ? el("p", "kg-meta", meta.join(" \u00b7 ")) : null, evidence(edge),
      attributes(info.attrs)]);
  }

  showStatus("Drawing " + number(nodes.length) + " nodes\u2026");
  window.kg = { network: network, data: data, show: show, search: search, visible: visible, ready: null };
}());
