/* The shared live client of every screen (docs/protocol.md): connect with `auth`, show the
 * connection state, send events that are retried until the server acknowledges them, and
 * small helpers to build the page safely (text only: user text never goes through innerHTML).
 */
(function () {
  "use strict";

  var ACK_TIMEOUT_MS = 8000;
  var RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

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

  /* ---- connection banner ---- */

  function Banner(node) {
    this.node = node;
  }
  Banner.prototype.show = function (state) {
    if (!this.node) return;
    this.node.dataset.state = state;
    this.node.hidden = state === "online";
    this.node.textContent = state === "online" ? "" : t("conn_" + state);
  };

  /* ---- the client ---- */

  /**
   * connect({auth: () => object, onSnapshot, on: {event: fn}, onRefused})
   * Returns {socket, send(event, payload, options) -> Promise<ack>}.
   */
  function connect(options) {
    var banner = new Banner(document.getElementById("conn-banner"));
    var everConnected = false;
    banner.show("connecting");

    /* global io */
    var socket = io({
      auth: function (cb) { cb(options.auth()); },
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
    });

    socket.on("connect", function () {
      everConnected = true;
      banner.show("online");
    });
    socket.on("disconnect", function (reason) {
      banner.show(navigator.onLine === false ? "offline" : "reconnecting");
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", function (err) {
      if (!socket.active) {
        banner.show("refused");
        if (options.onRefused) options.onRefused(err && err.data ? err.data : {});
        return;
      }
      banner.show(navigator.onLine === false ? "offline" : everConnected ? "reconnecting" : "connecting");
    });
    window.addEventListener("offline", function () { if (!socket.connected) banner.show("offline"); });
    window.addEventListener("online", function () {
      if (!socket.connected) { banner.show("reconnecting"); socket.connect(); }
    });

    socket.on("snapshot", function (data) { options.onSnapshot(data); });
    Object.keys(options.on || {}).forEach(function (name) { socket.on(name, options.on[name]); });

    var queues = {};

    /** Emit once connected; on a missing acknowledgement, send the same payload again. */
    function deliver(event, payload) {
      return new Promise(function (resolve) {
        var attempt = 0;
        function tryOnce() {
          if (!socket.connected) {
            socket.once("connect", tryOnce);
            return;
          }
          socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, function (err, ack) {
            if (err) {
              var delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
              attempt += 1;
              setTimeout(tryOnce, delay);
              return;
            }
            resolve(ack || { ok: false, error: { code: "server_error", message: t("server_error") } });
          });
        }
        tryOnce();
      });
    }

    /**
     * send(event, payload, {queue: "vote"}): with a queue name, one event of that queue is in
     * flight at a time and a newer payload replaces one still waiting, so the last tap wins.
     */
    function send(event, payload, opts) {
      var queue = opts && opts.queue;
      if (!queue) return deliver(event, payload);
      var q = queues[queue] || (queues[queue] = { busy: false, next: null });
      return new Promise(function (resolve) {
        if (q.next) q.next.resolve({ ok: false, superseded: true });
        q.next = { event: event, payload: payload, resolve: resolve };
        pump(q);
      });
    }

    function pump(q) {
      if (q.busy || !q.next) return;
      var job = q.next;
      q.next = null;
      q.busy = true;
      deliver(job.event, job.payload).then(function (ack) {
        q.busy = false;
        job.resolve(ack);
        pump(q);
      });
    }

    return { socket: socket, send: send };
  }

  /** A random key, so that an idea sent twice is stored once. */
  function randomKey() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /** Bars of a distribution: one per level plus "not sure", heights relative to the largest. */
  function distribution(levels, results, options) {
    options = options || {};
    var counts = (results && results.counts) || {};
    var notSure = (results && results.not_sure) || 0;
    var rows = levels.map(function (level) {
      return { key: String(level.value), value: level.value, label: tx(level.label),
               count: counts[String(level.value)] || 0 };
    });
    if (options.notSure !== false) rows.push({ key: "not_sure", value: null, label: t("not_sure"), count: notSure });
    var max = rows.reduce(function (m, r) { return Math.max(m, r.count); }, 0);
    var total = rows.reduce(function (s, r) { return s + r.count; }, 0);
    var median = results && results.summary ? results.summary.median : null;
    return el("div", { class: "bars" + (options.className ? " " + options.className : ""),
                       role: "img", "aria-label": t("distribution") },
      rows.map(function (row) {
        var share = max ? row.count / max : 0;
        var bar = el("span", { class: "bar-fill h" + Math.round(share * 20) });
        var isMine = options.mine !== undefined && options.mine === row.key;
        var nearMedian = median !== null && row.value !== null && Math.floor(median) === row.value;
        return el("div", { class: "bar" + (row.value === null ? " bar-unsure" : "") +
                                  (nearMedian ? " bar-median" : "") + (isMine ? " bar-mine" : ""),
                           dataset: { level: row.key, count: row.count } }, [
          el("span", { class: "bar-count", text: String(row.count) }),
          el("span", { class: "bar-track" }, bar),
          el("span", { class: "bar-level", text: row.value === null ? "?" : String(row.value) }),
          el("span", { class: "bar-label", text: row.label }),
          total ? el("span", { class: "bar-share", text: percent(row.count / total) }) : null,
        ]);
      }));
  }

  /** The agreement index (Tastle–Wierman, 0 to 1) as "0.69": an index, never a percentage. */
  function agreement(value) {
    return value === null || value === undefined ? "–" : value.toFixed(2);
  }

  /** The verdict of a summary: a short phrase, a class name, and the rule with the figures it
   * used (docs/consensus.md, "Names on the screens"), so no figure is mistaken for the verdict. */
  function verdict(summary) {
    if (!summary || !summary.n) return { text: t("no_votes"), cls: "verdict-none", basis: "" };
    var pair = summary.top_adjacent_pair || [], rule = summary.thresholds || {};
    var basis = t("verdict_basis", {
      share: percent(summary.top_adjacent_share), low: pair[0], high: pair[pair.length - 1],
      min_share: percent(rule.min_adjacent_share), iqr: number(summary.iqr), max_iqr: number(rule.max_iqr),
    });
    return summary.consensus_reached
      ? { text: t("consensus_reached"), cls: "verdict-ok", basis: basis }
      : { text: t("consensus_not_reached"), cls: "verdict-low", basis: basis };
  }

  /** One named figure of a results block (<dt> name, <dd> value). */
  function figure(name, value) {
    return el("div", {}, [el("dt", { text: name }), el("dd", { text: value })]);
  }

  /** The verdict as the screens show it: the phrase, then the rule and the share it used. */
  function verdictBlock(summary, bigger) {
    var v = verdict(summary);
    return el("div", { class: "verdict-block" }, [
      el("p", { class: "verdict " + v.cls + (bigger ? " verdict-big" : ""), text: v.text }),
      v.basis ? el("p", { class: "verdict-basis" + (bigger ? " verdict-basis-big" : ""), text: v.basis }) : null,
    ]);
  }

  window.Live = {
    t: t, tx: tx, el: el, fill: fill, append: append, connect: connect, readJson: readJson,
    percent: percent, number: number, randomKey: randomKey, distribution: distribution,
    verdict: verdict, verdictBlock: verdictBlock, figure: figure, agreement: agreement,
    lang: pageLang,
  };
})();
