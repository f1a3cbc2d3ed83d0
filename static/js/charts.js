/* Hand-drawn SVG charts of the plan (no chart library): a radar of current against target level
 * per category, a priority matrix (gap against importance) and the distribution of one
 * criterion's votes. Text goes in through textContent only; colours come from static/css/plan.css.
 * Every chart is an <svg role="img"> with a <title> and a <desc> that say what it shows.
 */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function frame(width, height, title, desc, cls) {
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "class": "chart-svg " + cls });
    var id = "c" + Math.random().toString(36).slice(2, 9);
    root.setAttribute("aria-labelledby", id + "-t " + id + "-d");
    root.appendChild(svg("title", { id: id + "-t" }, title));
    root.appendChild(svg("desc", { id: id + "-d" }, desc));
    return root;
  }

  function place(container, node) {
    while (container.firstChild) container.removeChild(container.firstChild);
    container.appendChild(node);
    return node;
  }

  function round1(value) { return Math.round(value * 10) / 10; }

  function short(text, limit) {
    text = String(text || "");
    return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
  }

  /** Radar: one axis per category, rings at each level, current and target polygons.
   *  opts: {title, legendCurrent, legendTarget, label(category) -> text, empty} */
  function radar(container, categories, levels, opts) {
    var decided = categories.filter(function (c) { return c.mean_current !== null; });
    var size = 420, cx = size / 2, cy = size / 2 + 10, radius = 140;
    var low = levels[0], high = levels[levels.length - 1], span = Math.max(1, high - low);
    var desc = decided.map(function (c) {
      return opts.label(c) + ": " + round1(c.mean_current) + " → " + round1(c.mean_target);
    }).join("; ") || opts.empty;
    var root = frame(size, size + 30, opts.title, desc, "radar");
    if (!decided.length) {
      root.appendChild(svg("text", { x: cx, y: cy, "class": "chart-empty", "text-anchor": "middle" }, opts.empty));
      return place(container, root);
    }
    if (decided.length < 3) return place(container, pairedBars(decided, levels, opts, desc));
    var n = decided.length;
    function point(index, value) {
      var angle = -Math.PI / 2 + (2 * Math.PI * index) / n;
      var r = radius * (value - low) / span;
      return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
    }
    levels.forEach(function (level) {
      var ring = [];
      for (var i = 0; i < Math.max(n, 3); i += 1) ring.push(pointAt(i, level, Math.max(n, 3)));
      root.appendChild(svg("polygon", { points: ring.map(pair).join(" "), "class": "radar-ring" }));
      var label = point(0, level);
      root.appendChild(svg("text", { x: label[0] + 4, y: label[1] - 2, "class": "radar-tick" }, level));
    });
    function pointAt(index, value, count) {
      var angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
      var r = radius * (value - low) / span;
      return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
    }
    decided.forEach(function (c, i) {
      var end = point(i, high), anchor = Math.abs(end[0] - cx) < 5 ? "middle" : end[0] > cx ? "start" : "end";
      root.appendChild(svg("line", { x1: cx, y1: cy, x2: end[0], y2: end[1], "class": "radar-axis" }));
      var out = point(i, high + span * 0.12);
      var text = svg("text", { x: out[0], y: out[1] + 4, "text-anchor": anchor, "class": "radar-label" },
                     opts.shortLabel(c));
      text.appendChild(svg("title", {}, opts.label(c)));
      root.appendChild(text);
    });
    [["mean_target", "radar-target"], ["mean_current", "radar-current"]].forEach(function (spec) {
      var pts = decided.map(function (c, i) { return point(i, c[spec[0]]); });
      root.appendChild(svg("polygon", { points: pts.map(pair).join(" "), "class": spec[1] }));
      pts.forEach(function (p) { root.appendChild(svg("circle", { cx: p[0], cy: p[1], r: 3.5, "class": spec[1] + "-dot" })); });
    });
    legend(root, 20, size + 16, [[opts.legendCurrent, "radar-current"], [opts.legendTarget, "radar-target"]]);
    return place(container, root);
  }

  /** With fewer than three categories a radar has no area: bars of current and target instead. */
  function pairedBars(categories, levels, opts, desc) {
    var low = levels[0], high = levels[levels.length - 1], span = Math.max(1, high - low);
    var width = 420, left = 110, plotW = 280, rowH = 56, top = 24;
    var height = top + categories.length * rowH + 40;
    var root = frame(width, height, opts.title, desc, "radar radar-bars");
    levels.forEach(function (level) {
      var x = left + plotW * (level - low) / span;
      root.appendChild(svg("line", { x1: x, x2: x, y1: top - 6, y2: top + categories.length * rowH, "class": "matrix-grid" }));
      root.appendChild(svg("text", { x: x, y: top - 10, "text-anchor": "middle", "class": "chart-tick" }, level));
    });
    categories.forEach(function (c, i) {
      var y = top + i * rowH + 8;
      var label = svg("text", { x: left - 8, y: y + 18, "text-anchor": "end", "class": "radar-label" }, opts.shortLabel(c));
      label.appendChild(svg("title", {}, opts.label(c)));
      root.appendChild(label);
      [["mean_current", "radar-current", 0], ["mean_target", "radar-target", 18]].forEach(function (spec) {
        var w = Math.max(2, plotW * (c[spec[0]] - low) / span);
        root.appendChild(svg("rect", { x: left, y: y + spec[2], width: w, height: 14, "class": spec[1] }));
        root.appendChild(svg("text", { x: left + w + 4, y: y + spec[2] + 11, "class": "chart-tick" }, round1(c[spec[0]])));
      });
    });
    legend(root, 20, height - 10, [[opts.legendCurrent, "radar-current"], [opts.legendTarget, "radar-target"]]);
    return root;
  }

  function pair(p) { return round1(p[0]) + "," + round1(p[1]); }

  function legend(root, x, y, entries) {
    entries.forEach(function (entry, i) {
      var left = x + i * 170;
      root.appendChild(svg("rect", { x: left, y: y - 10, width: 14, height: 10, "class": entry[1] }));
      root.appendChild(svg("text", { x: left + 20, y: y, "class": "chart-legend" }, entry[0]));
    });
  }

  /** Priority matrix: importance (1..5) across, gap (levels) up; a dot per plan item.
   *  opts: {title, xLabel, yLabel, maxGap, point(item) -> text, empty} */
  function matrix(container, items, opts) {
    var width = 460, height = 360, left = 56, right = 20, top = 20, bottom = 56;
    var plotW = width - left - right, plotH = height - top - bottom;
    var maxGap = Math.max(1, opts.maxGap);
    var shown = items.filter(function (item) { return !item.out_of_scope; });
    var desc = shown.map(opts.point).join("; ") || opts.empty;
    var root = frame(width, height, opts.title, desc, "matrix");
    function x(importance) { return left + plotW * (importance - 0.5) / 5; }
    function y(gap) { return top + plotH - plotH * (gap + 0.5) / (maxGap + 1); }
    root.appendChild(svg("rect", { x: x(3), y: top, width: left + plotW - x(3), height: y(maxGap / 2) - top,
                                   "class": "matrix-hot" }));
    root.appendChild(svg("rect", { x: left, y: top, width: plotW, height: plotH, "class": "matrix-frame" }));
    for (var imp = 1; imp <= 5; imp += 1) {
      root.appendChild(svg("text", { x: x(imp), y: top + plotH + 18, "text-anchor": "middle", "class": "chart-tick" }, imp));
    }
    for (var g = 0; g <= maxGap; g += 1) {
      root.appendChild(svg("line", { x1: left, x2: left + plotW, y1: y(g), y2: y(g), "class": "matrix-grid" }));
      root.appendChild(svg("text", { x: left - 10, y: y(g) + 4, "text-anchor": "end", "class": "chart-tick" }, g));
    }
    root.appendChild(svg("text", { x: left + plotW / 2, y: height - 10, "text-anchor": "middle", "class": "chart-axis-label" }, opts.xLabel));
    root.appendChild(svg("text", { x: 14, y: top + plotH / 2, "text-anchor": "middle", "class": "chart-axis-label",
                                   transform: "rotate(-90 14 " + (top + plotH / 2) + ")" }, opts.yLabel));
    var groups = {};
    shown.forEach(function (item) {
      var key = item.importance + ":" + Math.min(item.gap, maxGap);
      (groups[key] = groups[key] || []).push(item);
    });
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      group.forEach(function (item, j) {  // points sharing a cell sit side by side, labels alternate
        var px = x(item.importance) + (j - (group.length - 1) / 2) * 22, py = y(Math.min(item.gap, maxGap));
        var node = svg("g", { "class": "matrix-point" });
        node.appendChild(svg("title", {}, opts.point(item)));
        node.appendChild(svg("circle", { cx: px, cy: py, r: 6 }));
        node.appendChild(svg("text", { x: px, y: j % 2 ? py + 20 : py - 10, "text-anchor": "middle",
                                       "class": "matrix-code" }, item.criterion_code));
        root.appendChild(node);
      });
    });
    return place(container, root);
  }

  /** Bars of one round: votes per level, then "not sure"; the median level marked.
   *  opts: {title, levels: [{value, short}], notSure, medianLabel} */
  function distribution(container, dist, opts) {
    var bars = opts.levels.map(function (level) {
      return { label: level.short, count: (dist.counts || {})[String(level.value)] || 0, value: level.value };
    });
    bars.push({ label: opts.notSure, count: dist.not_sure || 0, value: null });
    var most = Math.max(1, Math.max.apply(null, bars.map(function (b) { return b.count; })));
    var width = 40 + bars.length * 56, height = 140, base = 110, top = 30;
    var desc = bars.map(function (b) { return b.label + ": " + b.count; }).join(", ");
    var root = frame(width, height, opts.title, desc, "distribution");
    var median = dist.median === null || dist.median === undefined ? null : Math.floor(dist.median);
    bars.forEach(function (bar, i) {
      var x = 20 + i * 56, h = (base - top) * bar.count / most;
      var cls = bar.value === null ? "dist-bar dist-unsure" : bar.value === median ? "dist-bar dist-median" : "dist-bar";
      root.appendChild(svg("rect", { x: x, y: base - h, width: 40, height: Math.max(h, 1), "class": cls }));
      root.appendChild(svg("text", { x: x + 20, y: base - h - 4, "text-anchor": "middle", "class": "dist-count" }, bar.count));
      root.appendChild(svg("text", { x: x + 20, y: base + 16, "text-anchor": "middle", "class": "chart-tick" }, short(bar.label, 9)));
    });
    if (median !== null) {
      root.appendChild(svg("text", { x: width - 6, y: 10, "text-anchor": "end", "class": "chart-legend" },
                           opts.medianLabel + " " + dist.median));
    }
    return place(container, root);
  }

  window.Charts = { radar: radar, matrix: matrix, distribution: distribution };
})();
