/* A results item's indicators as every live page shows them (STAGE.indicators, docs/protocol.md):
 * each indicator's name, unit and target, its three fiscal years as a small SVG line (drawn
 * here, nothing loaded from elsewhere) with the values written beside it, whether it met its
 * target and its trend; then the level the framework's rule suggests. The control page adds a
 * form to enter one and a button to remove one (IndicatorView.editor).
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, el = L.el;
  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function number(value) {
    if (value === null || value === undefined) return "–";
    return Number(value).toLocaleString(L.lang() === "th" ? "th-TH" : "en-GB", { maximumFractionDigits: 2 });
  }

  /** Three years as a line from left to right, the target as a dashed line; 0 at no value. */
  function trendChart(item) {
    var w = 120, h = 48, pad = 6;
    var known = item.values.filter(function (v) { return v !== null && v !== undefined; });
    var all = known.concat([item.target]);
    var low = Math.min.apply(null, all), high = Math.max.apply(null, all);
    var span = high - low || 1;
    function y(v) { return h - pad - (v - low) / span * (h - 2 * pad); }
    function x(i) { return pad + i * (w - 2 * pad) / (item.values.length - 1 || 1); }
    var points = [], dots = [];
    item.values.forEach(function (v, i) {
      if (v === null || v === undefined) return;
      points.push(x(i).toFixed(1) + "," + y(v).toFixed(1));
      dots.push(svg("circle", { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 4, class: "ind-dot" }));
    });
    var title = svg("title");
    title.textContent = item.name + ": " + item.values.map(number).join(" → ");
    return svg("svg", { viewBox: "0 0 " + w + " " + h, class: "ind-chart", role: "img", "aria-label": title.textContent },
      [title, svg("line", { x1: pad, x2: w - pad, y1: y(item.target).toFixed(1), y2: y(item.target).toFixed(1), class: "ind-target" }),
       svg("polyline", { points: points.join(" "), class: "ind-line", fill: "none" })].concat(dots));
  }

  function row(item, years, extra) {
    return el("li", { class: "ind " + (item.met ? "ind-met" : "ind-not-met") + " trend-" + item.trend, dataset: { id: item.id } }, [
      el("p", { class: "ind-name" }, [item.name, item.unit ? el("span", { class: "muted", text: " (" + item.unit + ")" }) : null]),
      el("div", { class: "ind-body" }, [
        trendChart(item),
        el("dl", { class: "ind-values" }, years.map(function (year, i) {
          return el("div", {}, [el("dt", { text: String(year) }), el("dd", { text: number(item.values[i]) })]);
        }).concat([el("div", { class: "ind-target-value" }, [el("dt", { text: t("ind_target") }),
                                                            el("dd", { text: number(item.target) })])])),
      ]),
      el("p", { class: "ind-verdict" }, [
        el("span", { class: "pill", text: item.met ? t("ind_met") : t("ind_not_met") }), " ",
        el("span", { class: "pill", text: t("trend_" + item.trend) }), " ",
        el("span", { class: "muted small", text: t(item.direction === "lower" ? "lower_better" : "higher_better") }),
      ]),
      extra ? extra(item) : null,
    ]);
  }

  /** The indicators block, or null when the criterion is not a results item. */
  function view(results, extra) {
    if (!results) return null;
    return el("section", { class: "indicators" }, [
      el("h2", { class: "ind-heading", text: t("indicators") }),
      results.items.length ? el("ul", { class: "ind-list" }, results.items.map(function (item) { return row(item, results.years, extra); }))
                           : el("p", { class: "muted", text: t("no_indicators") }),
      results.suggested_level === null ? null
        : el("p", { class: "ind-suggested", text: t("suggested_level", { level: results.suggested_level }) }),
    ]);
  }

  function field(name, attrs) {
    return el("label", { class: "ind-field" }, [t("ind_" + name), el("input", Object.assign({ name: name }, attrs))]);
  }

  /** The control page: the block with a remove button per indicator and a form to add one. */
  function editor(results, criterion, client, onError) {
    if (!results) return null;
    function send(event, payload) {
      client.send(event, payload).then(function (ack) { if (!ack.ok) onError(ack.error ? ack.error.message : t("server_error")); });
    }
    var block = view(results, function (item) {
      return el("button", { type: "button", class: "secondary small-button", text: t("ind_remove"),
                            onclick: function () { send("remove_indicator", { id: item.id }); } });
    });
    var inputs = [field("name", { maxlength: L.limit("indicator_name"), required: true }), field("unit", { maxlength: L.limit("indicator_unit") }),
      el("label", { class: "ind-field" }, [t("ind_direction"), el("select", { name: "direction" }, [
        el("option", { value: "higher", text: t("higher_better") }), el("option", { value: "lower", text: t("lower_better") })])]),
      field("target", { type: "number", step: "any", required: true })].concat(results.years.map(function (year) {
        return el("label", { class: "ind-field" }, [String(year), el("input", { name: "y" + year, type: "number", step: "any" })]);
      }));
    var form = el("form", { class: "ind-form", autocomplete: "off" }, inputs.concat([
      el("button", { type: "submit", class: "secondary", text: t("ind_add") })]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = {};
      results.years.forEach(function (year) {
        var raw = form.elements["y" + year].value;
        if (raw !== "") values[String(year)] = Number(raw);
      });
      send("set_indicator", { criterion: criterion, client_key: L.randomKey(), name: form.elements.name.value,
                              unit: form.elements.unit.value, direction: form.elements.direction.value,
                              target: Number(form.elements.target.value), values: values });
      form.reset();
    });
    block.appendChild(form);
    return block;
  }

  window.IndicatorView = { view: view, editor: editor };
})();
