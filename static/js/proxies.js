/* The control page's votes for people without a phone (facilitator.js): add such a person, record
 * their vote in the open round (the server flags it as given on their behalf), list them with
 * what was recorded.
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, el = L.el, fill = L.fill;

  /** Wires #proxy-form and draws #proxies; `where()` gives {round, criterion} shown now,
   *  `failed(message)` shows a refusal. Returns {set(proxies) from a snapshot, render()}. */
  function ProxyVotes(client, where, failed) {
    var proxies = [], votes = {};  // votes: round id -> proxy id -> VOTE

    document.getElementById("proxy-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var name = document.getElementById("proxy-name");
      var role = document.getElementById("proxy-role");
      var payload = { name: name.value.trim().slice(0, L.limit("participant_name")), client_key: L.randomKey() };
      if (!payload.name) return;
      if (role && role.value) payload.role = role.value;
      client.send("add_proxy", payload).then(function (ack) {
        if (!ack.ok) { failed(ack.error.message); return; }
        proxies.push(ack.participant);
        name.value = "";
        render();
      });
    });

    function vote(proxy, key) {
      var r = where().round;
      if (!r || r.state !== "open") return;
      var payload = { participant_id: proxy.id, round_id: r.id };
      if (key === "not_sure") payload.not_sure = true; else payload.level = Number(key);
      client.send("proxy_vote", payload, { queue: "proxy-" + proxy.id }).then(function (ack) {
        if (ack.superseded) return;
        if (!ack.ok) { failed(ack.error.message); return; }
        (votes[r.id] = votes[r.id] || {})[proxy.id] = ack.vote;
        render();
      });
    }

    function render() {
      var now = where(), r = now.round, c = now.criterion;
      var open = r && r.state === "open";
      var recorded = r ? votes[r.id] || {} : {};
      fill("proxies", proxies.length ? proxies.map(function (proxy) {
        var given = recorded[proxy.id];
        var mine = given ? (given.not_sure ? "not_sure" : String(given.level)) : null;
        var buttons = open && c ? c.levels.map(function (l) { return String(l.value); }).concat(["not_sure"]).map(function (key) {
          return el("button", { type: "button", class: "secondary small-button" + (mine === key ? " chosen" : ""),
                                "aria-pressed": mine === key ? "true" : "false",
                                text: key === "not_sure" ? "?" : key, title: key === "not_sure" ? t("not_sure") : null,
                                onclick: function () { vote(proxy, key); } });
        }) : [];
        return el("li", {}, [
          el("span", { class: "proxy-name", text: proxy.name + (proxy.role ? " (" + proxy.role + ")" : "") }),
          el("span", { class: "flag", text: t("proxy") }),
          el("span", { class: "proxy-buttons" }, buttons),
          given ? el("span", { class: "muted small", text: t("proxy_voted", { level: mine === "not_sure" ? t("not_sure") : mine }) }) : null,
        ]);
      }) : el("li", { class: "muted", text: t("no_proxies") }));
    }

    return { set: function (list) { proxies = (list || []).slice(); }, render: render };
  }

  window.ProxyVotes = ProxyVotes;
})();
