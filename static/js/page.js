/* What every page script builds on (window.Live): the page's words (`t`, from the JSON data in
 * #i18n), framework texts in the page's language (`tx`), safe DOM building (`el`, `fill`: user
 * text never goes through innerHTML) and the number formats the screens share. No socket here:
 * the plan editor loads this file alone; the live screens add live_client.js.
 */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  var STRINGS = readJson("i18n");

  /** A UI string by key; `{name}` placeholders filled from `values`. */
  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(STRINGS, key) ? STRINGS[key] : key;
    if (values) {
      text = text.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
      });
    }
    return text;
  }

  function pageLang() {
    return document.documentElement.lang === "en" ? "en" : "th";
  }

  /** A framework TEXT ({th, en}) in the page's language, falling back to the other one. */
  function tx(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    var lang = pageLang();
    return value[lang] || value[lang === "th" ? "en" : "th"] || "";
  }

  /** el("p", {class: "x", dataset: {k: 1}, onclick: fn}, ["text", child]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var key;
    attrs = attrs || {};
    for (key in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
      var value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "dataset") Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined) return node;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  /** Replace the children of `node` (found by id when a string) with `children`. */
  function fill(node, children) {
    if (typeof node === "string") node = document.getElementById(node);
    if (!node) return null;
    while (node.firstChild) node.removeChild(node.firstChild);
    return append(node, children);
  }

  function percent(fraction) {
    return fraction === null || fraction === undefined ? "–" : Math.round(fraction * 100) + "%";
  }

  function number(value) {
    if (value === null || value === undefined) return "–";
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }

  /** The agreement index (Tastle–Wierman, 0 to 1) as "0.69": an index, never a percentage. */
  function agreement(value) {
    return value === null || value === undefined ? "–" : value.toFixed(2);
  }

  /** A random key, so that a request sent twice (an idea, a join) is stored once. */
  function randomKey() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /** How many characters a text may hold: the server's one list of limits (workshop/domain/
   * limits.py), rendered into the page's `data-limits` attribute. */
  var LIMITS = (function () {
    var holder = document.querySelector("[data-limits]");
    return holder ? JSON.parse(holder.dataset.limits) : {};
  })();
  function limit(name) {
    if (!(name in LIMITS)) throw new Error("no text limit named " + name);
    return LIMITS[name];
  }

  window.Live = {
    t: t, tx: tx, el: el, fill: fill, append: append, readJson: readJson, lang: pageLang,
    percent: percent, number: number, agreement: agreement, randomKey: randomKey, limit: limit,
  };
})();
