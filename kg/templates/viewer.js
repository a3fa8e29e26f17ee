/* The kg graph page: draws the data block with vis-network and builds every other element
   with createElement and textContent, never from markup, so text from the papers is shown as
   text. Only http(s) addresses become links. Nothing is loaded from anywhere. */
(function () {
  "use strict";

  var LABEL_CHARS = 32, TIP_CHARS = 240, LIST_STEP = 100, RESULTS = 15;
  var LABELS = 250, TOPIC_LABELS = 12, LABEL_PX = [11, 18], TOPIC_PX = 15, TOPIC_ZOOM = 2.5, FIT_ZOOM = 3, RING_GAP = 70;
  var YEAR_COLORS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];  // viridis, colour-blind safe
  var INCOMING = {
    cites: "cited by", builds_on: "built on by", mentions: "mentioned by",
    proposes: "proposed by", co_occurs: "co-occurs with"
  };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = data.nodes, edges = data.edges, sentences = data.sentences;
  var edgeKinds = data.edgeKinds, groups = data.options.groups;
  var kindStyles = new Map(data.nodeKinds.map(function (k) { return [k.kind, k]; }));
  var topics = data.topics || [];
  var status = byId("kg-status");
  var colorBy = topics.length ? "topic" : "kind", focused = null;

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
  var datedPapers = nodes.map(function (node, i) {
    var seen = new Set(), found = [];
    if (isPaper(i)) return found;
    links[i].forEach(function (e) {
      var other = otherEnd(edges[e], i);
      if (isPaper(other) && !seen.has(other)) { seen.add(other); found.push(other); }
    });
    return found;
  });
  function firstYear(i) {
    var first;
    datedPapers[i].forEach(function (p) {
      var year = nodes[p].year;
      if (typeof year === "number" && (first === undefined || year < first)) first = year;
    });
    return first;
  }

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
    if (node.topic !== undefined) tip.push("topic: " + topics[node.topic].terms.join(", "));
    if (node.aliases && node.aliases.length) tip.push("also: " + node.aliases.slice(0, 5).join(", "));
    return {
      id: i, x: node.x, y: node.y, size: node.size, color: nodeColor(i),
      group: has(groups, node.kind) ? node.kind : "other", title: tip.join("\n")
    };
  }

  // Node colours: by topic, by kind or by year (papers; entities by their first year)

  function nodeColor(i) {
    var node = nodes[i], color;
    if (colorBy === "topic") color = node.topic !== undefined ? topics[node.topic].color : "#cccccc";
    else if (colorBy === "year") color = yearColor(isPaper(i) ? node.year : firstYear(i));
    else color = kindColor(node.kind);
    return { background: color, border: mix(color, "#000000", 0.3) };
  }

  function yearColor(year) {
    if (typeof year !== "number" || !years) return "#dddddd";
    var t = years.max > years.min ? (year - years.min) / (years.max - years.min) : 1;
    var at = t * (YEAR_COLORS.length - 1), k = Math.min(Math.floor(at), YEAR_COLORS.length - 2);
    return mix(YEAR_COLORS[k], YEAR_COLORS[k + 1], at - k);
  }

  function mix(a, b, t) {
    var out = "#";
    for (var k = 1; k < 7; k += 2) {
      var v = Math.round(parseInt(a.slice(k, k + 2), 16) * (1 - t) + parseInt(b.slice(k, k + 2), 16) * t);
      out += (v < 16 ? "0" : "") + v.toString(16);
    }
    return out;
  }

  function recolor(mode) {
    colorBy = mode;
    nodeSet.update(nodes.map(function (node, i) { return { id: i, color: nodeColor(i) }; }));
    document.querySelectorAll("[data-color-legend]").forEach(function (box) {
      box.hidden = box.dataset.colorLegend !== mode;
    });
  }

  function visEdge(edge, i) {
    var style = edgeKinds[edge[2]], info = detail(edge);
    var tip = [shorten(nodes[edge[0]].name, 60) + " \u2192 " + style.kind.replace(/_/g, " ") + " \u2192 " +
      shorten(nodes[edge[1]].name, 60)];
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
    var chosen = [];
    edges.forEach(function (edge, i) { if (edge[2] === kind) chosen.push(i); });
    var limit = edgeKinds[kind].limit;
    if (limit && chosen.length > limit) {  // only the strongest: thousands of links make every frame slow
      chosen.sort(function (a, b) { return (detail(edges[b]).w || 0) - (detail(edges[a]).w || 0) || a - b; });
      chosen = chosen.slice(0, limit).sort(function (a, b) { return a - b; });
    }
    edgeSet.add(chosen.map(function (i) { return visEdge(edges[i], i); }));
  }

  // Labels: drawn by the page over each frame, the most salient first, never overlapping

  var byScore = nodes.map(function (n, i) { return i; }).sort(function (a, b) {
    return nodes[b].score - nodes[a].score || a - b;
  });
  var labelPx = new Float32Array(nodes.length).fill(LABEL_PX[0]);
  byScore.slice(0, LABELS).forEach(function (i, k) {
    labelPx[i] = Math.round(LABEL_PX[1] - (LABEL_PX[1] - LABEL_PX[0]) * Math.sqrt(k / LABELS));
  });
  var labelText = nodes.map(function (node) {
    var name = node.name, colon = name.indexOf(": ");
    if (node.kind === "paper" && colon > 1 && colon <= LABEL_CHARS) name = name.slice(0, colon);
    return shorten(name, LABEL_CHARS);
  });
  var widths = new Map(), openScale = null;

  network.on("afterDrawing", function (ctx) {
    var canvas = network.canvas.frame.canvas, ratio = network.canvas.pixelRatio || 1;
    var width = canvas.clientWidth, height = canvas.clientHeight;
    var scale = network.getScale(), view = network.getViewPosition();
    if (openScale === null) openScale = scale;
    function screen(x, y) { return [(x - view.x) * scale + width / 2, (y - view.y) * scale + height / 2]; }
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    var boxes = new kgLabels.Boxes(), shownTopics = [];
    if (!focused && scale < openScale * TOPIC_ZOOM) {
      shownTopics = kgLabels.place(ctx, topics.map(function (topic, t) {
        var at = screen(topic.x, topic.y);
        return { text: topic.terms.slice(0, 2).join(", "), x: at[0], y: at[1], px: TOPIC_PX, gap: 0, weight: "bold",
          color: mix(topic.color, "#000000", 0.45), topic: t };
      }).filter(function (item, t) { return t < TOPIC_LABELS && topicShown(t); }), width, height, TOPIC_LABELS, boxes,
      widths);
    }
    var items = [], positions = network.body.nodes, order = focused ? [focused.center].concat(byScore) : byScore;
    for (var k = 0; k < order.length && items.length < 4 * LABELS; k++) {
      var i = order[k], body = positions[i];
      if (!visible[i] || !body || (k > 0 && focused && i === focused.center)) continue;
      var at = screen(body.x, body.y);
      if (at[0] < 0 || at[1] < 0 || at[0] > width || at[1] > height) continue;
      items.push({ text: labelText[i], x: at[0], y: at[1], px: labelPx[i], gap: nodes[i].size * scale,
        weight: labelPx[i] >= 15 ? "600" : "normal", node: i });
    }
    var placed = kgLabels.place(ctx, items, width, height, LABELS, boxes, widths);
    kgLabels.draw(ctx, shownTopics);
    kgLabels.draw(ctx, placed);
    ctx.restore();
    window.kg.labels = placed.map(function (box) {
      return { node: box.item.node, text: box.item.text, px: box.item.px, x: box.x, y: box.y, w: box.w, h: box.h };
    });
    window.kg.topicLabels = shownTopics.map(function (box) {
      return { topic: box.item.topic, text: box.item.text, px: box.item.px, x: box.x, y: box.y, w: box.w, h: box.h };
    });
  });

  function topicShown(t) {
    return topicMembers[t].some(function (i) { return visible[i]; });
  }
  var topicMembers = topics.map(function () { return []; });
  nodes.forEach(function (node, i) { if (node.topic !== undefined) topicMembers[node.topic].push(i); });

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
    byId("kg-undated-count").textContent = number(undated.length) + (undated.length === 1 ? " paper" : " papers") +
      " without a year";
    byId("kg-year-scale").textContent = range.min + " \u2013 " + range.max;
    ["kg-year-from", "kg-year-to"].forEach(function (id, end) {
      var input = byId(id), shown = byId(id + "-value");
      input.min = range.min;
      input.max = range.max;
      input.value = end ? range.max : range.min;
      shown.textContent = input.value;
      input.addEventListener("input", function () { shown.textContent = input.value; });
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
    if (focused) focused.members.forEach(function (on, i) { if (!on) visible[i] = 0; });
    nodeView.refresh();
    edgeView.refresh();
    showStatus();
    fit();
  }

  // Frame what is shown, zooming in past 100% when it is small.
  function fit() {
    var shown = [];
    visible.forEach(function (on, i) { if (on) shown.push(i); });
    if (shown.length) network.fit({ nodes: shown, maxZoomLevel: FIT_ZOOM, animation: false });
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
  byId("kg-fit").addEventListener("click", fit);
  byId("kg-color").value = colorBy;
  byId("kg-color").addEventListener("change", function () { recolor(byId("kg-color").value); });
  document.querySelectorAll("#kg-topic-legend button[data-topic]").forEach(function (button) {
    button.addEventListener("click", function () {
      var members = topicMembers[Number(button.dataset.topic)].filter(function (i) { return visible[i]; });
      if (members.length) network.fit({ nodes: members, maxZoomLevel: FIT_ZOOM, animation: false });
    });
  });

  // Focus: one node's neighbourhood drawn in rings round it (1 or 2 links, co-occurrence not
  // followed); the best-connected neighbours go to the outer ring, so none covers it.

  function rings(center, depth) {
    var seen = new Map([[center, 0]]), frontier = [center], result = [[center]];
    for (var d = 1; d <= depth; d++) {
      var next = [];
      frontier.forEach(function (i) {
        links[i].forEach(function (e) {
          var edge = edges[e], other = otherEnd(edge, i);
          if (edgeKinds[edge[2]].kind === "co_occurs" || seen.has(other) || !kindShown.get(nodes[other].kind)) return;
          seen.set(other, d);
          next.push(other);
        });
      });
      result.push(next);
      frontier = next;
    }
    return result;
  }

  function ringPlaces(center, layers) {
    var places = new Map(), angleOf = new Map(), radius = 0;
    var sizes = [].concat.apply([], layers).map(function (i) { return nodes[i].size; }).sort(function (a, b) {
      return a - b;
    });
    var gap = Math.max(RING_GAP, 2.4 * sizes[Math.floor(0.9 * (sizes.length - 1))]);  // nodes do not touch
    places.set(center, [0, 0]);
    layers.slice(1).forEach(function (layer, d) {
      layer = layer.slice();
      if (d === 0) {
        layer.sort(function (a, b) {
          return (nodes[a].kind < nodes[b].kind ? -1 : nodes[a].kind > nodes[b].kind ? 1 : 0) ||
            (nodes[a].topic || 0) - (nodes[b].topic || 0) || nodes[b].score - nodes[a].score || a - b;
        });
      } else {
        layer.forEach(function (i) { angleOf.set(i, meanAngle(i, angleOf)); });
        layer.sort(function (a, b) { return angleOf.get(a) - angleOf.get(b) || a - b; });
      }
      var left = layer.length, at = 0;
      while (left > 0) {
        radius += gap * (d === 0 && radius === 0 ? 3 : 1.5);
        var fits = Math.max(8, Math.floor(2 * Math.PI * radius / gap)), count = Math.min(fits, left);
        for (var k = 0; k < count; k++) {
          var i = layer[at + k], angle = 2 * Math.PI * (k + 0.5 * (at % 2)) / count;
          places.set(i, [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))]);
          angleOf.set(i, angle);
        }
        at += count;
        left -= count;
      }
    });
    return places;
  }

  function meanAngle(i, angleOf) {
    var x = 0, y = 0;
    links[i].forEach(function (e) {
      var a = angleOf.get(otherEnd(edges[e], i));
      if (a !== undefined) { x += Math.cos(a); y += Math.sin(a); }
    });
    return x || y ? Math.atan2(y, x) : 0;
  }

  function focusOn(center, depth) {
    if (focused) restorePlaces();
    var layers = rings(center, depth), members = new Uint8Array(nodes.length);
    // the best-connected first-ring nodes (hubs) move out to the outer ring
    if (depth === 1 && layers[1].length > 12) {
      var degree = function (i) { return links[i].length; };
      var sorted = layers[1].slice().sort(function (a, b) { return degree(b) - degree(a) || a - b; });
      var hubs = new Set(sorted.slice(0, Math.ceil(layers[1].length / 10)));
      layers = [layers[0], layers[1].filter(function (i) { return !hubs.has(i); }), Array.from(hubs)];
    }
    var places = ringPlaces(center, layers);
    places.forEach(function (place, i) { members[i] = 1; });
    focused = { center: center, depth: depth, members: members, moved: Array.from(places.keys()) };
    nodeSet.update(focused.moved.map(function (i) { return { id: i, x: places.get(i)[0], y: places.get(i)[1] }; }));
    byId("kg-back").hidden = false;
    byId("kg-focus-note").textContent = "Around " + shorten(nodes[center].name, 60) + ", " + depth +
      (depth === 1 ? " link" : " links") + " out: " + number(places.size) + " nodes";
    applyFilters();
  }

  function restorePlaces() {
    nodeSet.update(focused.moved.map(function (i) { return { id: i, x: nodes[i].x, y: nodes[i].y }; }));
  }

  function back() {
    if (!focused) return;
    restorePlaces();
    focused = null;
    byId("kg-back").hidden = true;
    byId("kg-focus-note").textContent = "";
    applyFilters();
  }
  byId("kg-back").addEventListener("click", back);

  // Search over names, titles and aliases

  // A name in words: " low rank adaptation "; a query matches at the start of a word.
  function words(text) { return " " + fold(text).replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " "; }
  var names = nodes.map(function (n) {
    return { name: fold(n.name), words: words(n.name), aliases: (n.aliases || []).map(fold),
      aliasWords: (n.aliases || []).map(words), id: n.id.toLowerCase() };
  });
  var searchBox = byId("kg-search"), results = byId("kg-results"), active = -1;

  function search(query) {
    var q = fold(query), w = words(query).trimEnd(), hits = [];
    if (!q) return hits;
    names.forEach(function (entry, i) {
      var score = entry.name === q || entry.id === q ? 0 : entry.name.startsWith(q) ? 2
        : w.length > 1 && entry.words.includes(w) ? 4 : 9;
      var alias = null;
      entry.aliases.forEach(function (a, k) {
        var s = a === q ? 1 : a.startsWith(q) ? 3 : w.length > 1 && entry.aliasWords[k].includes(w) ? 5 : 9;
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
    parts.push(focusButtons(i));
    if (!visible[i]) parts.push(el("p", "kg-hint", "Hidden by the current filters."));
    parts = parts.concat(isPaper(i) ? paperParts(i) : entityParts(i));
    parts.push(attributes(node.attrs));
    parts = parts.concat(linkGroups(i, ["mentions", "proposes"]));
    open(parts);
    if (visible[i]) network.selectNodes([i]);
    if (visible[i] && !(focused && focused.center === i)) {
      network.moveTo({  // centred in the part of the drawing the panel leaves free
        position: network.getPositions([i])[i], scale: Math.max(network.getScale(), 0.8),
        offset: { x: -panel.offsetWidth / 2, y: 0 }, animation: false
      });
    }
  }

  function focusButtons(i) {
    var row = el("p", "kg-actions", null);
    [[1, "focus"], [2, "focus, 2 links out"]].forEach(function (pair) {
      var button = el("button", "kg-action", pair[1]);
      button.type = "button";
      button.dataset.depth = pair[0];
      button.addEventListener("click", function () { focusOn(i, pair[0]); show(i); });
      row.append(button);
    });
    return row;
  }

  // First and last year of the papers naming an entity, and a bar per year.
  function yearParts(i) {
    var counts = new Map(), undated = 0;
    datedPapers[i].forEach(function (p) {
      var year = nodes[p].year;
      if (typeof year === "number") counts.set(year, (counts.get(year) || 0) + 1);
      else undated += 1;
    });
    if (!counts.size) return [];
    var known = Array.from(counts.keys()), first = Math.min.apply(null, known), last = Math.max.apply(null, known);
    var top = Math.max.apply(null, Array.from(counts.values()));
    var line = "First year " + first + ", last year " + last;
    if (undated) line += " (" + number(undated) + " undated)";
    var chart = el("div", "kg-years-chart", null);
    for (var year = first; year <= last; year++) {
      var count = counts.get(year) || 0, column = el("div", "kg-year", null), bar = el("span", "kg-bar", null);
      bar.style.height = Math.round(40 * count / top) + "px";
      column.title = year + ": " + number(count) + (count === 1 ? " paper" : " papers");
      column.append(el("span", "kg-year-count", count ? String(count) : ""), bar, el("span", "kg-year-label",
        String(year).slice(-2)));
      chart.append(column);
    }
    return [el("p", "kg-meta", line), chart];
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
    if (node.topic !== undefined) meta.push("topic: " + topics[node.topic].terms.join(", "));
    parts.push(el("p", "kg-meta", meta.join(" \u00b7 ")));
    parts = parts.concat(yearParts(i));
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
  window.kg = {
    network: network, data: data, show: show, search: search, visible: visible, ready: null,
    focus: focusOn, back: back, fit: fit, recolor: recolor, labels: [], topicLabels: [],
    focused: function () { return focused && { center: focused.center, depth: focused.depth }; }
  };
}());
