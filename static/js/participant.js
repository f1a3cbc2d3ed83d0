/* The phone: join, vote a level or "not sure" (or answer each line of a checklist round), add a
 * note, explain an outlying vote, and submit and upvote ideas. The phone's token is kept per join
 * code in localStorage, so a phone that sleeps, reloads or changes network comes back as the same
 * participant. Shared with the other screens: the criterion card (criterion.js), the results
 * (results.js), the ideas' order (ideas.js), checklist rounds (checklist.js), sending (live_client.js).
 * What it is asked after the vote, and bringing that into view: phone_asks.js.
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, tx = L.tx, el = L.el, fill = L.fill;

  var app = document.getElementById("app");
  var code = app.dataset.code;
  var TOKEN_KEY = "workshop.token." + code;
  var JOIN_KEY = "workshop.join-key." + code;  // the pending join's client key, until a token

  var state = {
    snap: null,        // the last snapshot
    stage: null,       // STAGE
    me: null,
    vote: null,        // VOTE as the server holds it (ack, snapshot, `vote` event)
    pending: null,     // the level key ("2" or "not_sure") being sent
    error: "",
    ideas: {},         // id -> IDEA
    reasonSent: {},    // round_id -> true
    checklistsOpen: null, // the criterion code whose level checklists the phone has unfolded
    lost: null,        // {round_id, key}: a vote the server refused because voting had closed
  };
  var checklist = new window.Checklist.Phone(function () { return client; }, function () { render(); });

  function storedToken() {
    try { return window.localStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }
  function storeToken(token) {
    try { window.localStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode: session only */ }
    sessionToken = token;
  }
  var sessionToken = storedToken();

  /** The client key of this phone's join: the same for every copy of it, even after a reload,
   * so a join whose acknowledgement was lost is the same participant when sent again. */
  function joinKey() {
    var key = null;
    try { key = window.localStorage.getItem(JOIN_KEY); } catch (e) { /* private mode */ }
    if (!key) {
      key = L.randomKey();
      try { window.localStorage.setItem(JOIN_KEY, key); } catch (e) { /* this page only */ }
    }
    return key;
  }

  var client = L.connect({
    auth: function () {
      var auth = { role: "participant", code: code, lang: L.lang() };
      if (sessionToken) auth.token = sessionToken;
      return auth;
    },
    onSnapshot: applySnapshot,
    on: {
      stage: function (stage) { setStage(stage); render(); },
      vote: function (vote) { state.vote = vote; render(); },
      my_answers: function (mine) { checklist.hold(mine); render(); },
      ideas: function (data) {
        var previous = state.ideas;
        if (data.full) state.ideas = {};
        mergeIdeas(data.items || [], false, previous);
        renderIdeas();
      },
    },
  });

  function applySnapshot(snap) {
    state.snap = snap;
    state.me = snap.me;
    state.vote = snap.my_vote;
    checklist.hold(snap.my_answers);
    state.ideas = {};
    mergeIdeas(snap.ideas || [], true);
    setStage(snap.stage);
    render();
  }

  function setStage(stage) {
    var before = state.stage && state.stage.round ? state.stage.round.id : null;
    state.stage = stage;
    var now = stage && stage.round ? stage.round.id : null;
    if (before !== now) { state.error = ""; state.pending = null; state.lost = null; checklist.reset(); }
    if (stage && state.snap) {
      var crit = stage.criterion ? stage.criterion.code : null;
      Object.keys(state.ideas).forEach(function (id) {
        if (state.ideas[id].criterion !== crit) delete state.ideas[id];
      });
    }
  }

  /** Merge ideas by id; batches carry no `mine`/`upvoted`, so those are kept from before. */
  function mergeIdeas(items, authoritative, previous) {
    items.forEach(function (idea) {
      var known = (previous || state.ideas)[idea.id];
      if (idea.hidden) { delete state.ideas[idea.id]; return; }
      if (known && !authoritative) {
        idea = Object.assign({}, idea, { mine: known.mine, upvoted: known.upvoted });
      }
      state.ideas[idea.id] = idea;
    });
  }

  /* ---------- the join form ---------- */

  var joinForm = document.getElementById("join-form");
  joinForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var payload = { observer: document.getElementById("join-observer").checked, client_key: joinKey() };
    var name = document.getElementById("join-name");
    if (name && name.value.trim()) payload.name = name.value.trim().slice(0, L.limit("participant_name"));
    var role = document.getElementById("join-role");
    if (role && role.value) payload.role = role.value;
    var button = joinForm.querySelector("button[type=submit]");
    button.disabled = true;
    fill("join-error", "");
    client.send("join", payload, { queue: "join" }).then(function (ack) {
      button.disabled = false;
      if (!ack.ok) { fill("join-error", ack.error ? ack.error.message : t("server_error")); return; }
      storeToken(ack.token);
      state.me = ack.me;
      render();
    });
  });

  /* ---------- voting ---------- */

  function currentRound() { return state.stage && state.stage.round; }

  function myKey() {
    var round = currentRound();
    var vote = state.vote;
    if (!vote || !round || vote.round_id !== round.id) return null;
    if (vote.not_sure) return "not_sure";
    return vote.level === null || vote.level === undefined ? null : String(vote.level);
  }

  function castVote(key) {
    var round = currentRound();
    if (!round || round.state !== "open") return;
    var payload = { round_id: round.id };
    if (key === "not_sure") payload.not_sure = true; else payload.level = Number(key);
    var note = document.getElementById("note").value.trim();
    if (note) payload.note = note.slice(0, L.limit("vote_note"));
    state.pending = key;
    state.error = "";
    renderVoting();
    client.send("vote", payload, { queue: "vote" }).then(function (ack) {
      if (ack.superseded) return;
      state.pending = null;
      state.lost = null;
      if (ack.ok) { state.vote = ack.vote; noteSaved(ack.vote); }
      else if (ack.error && ack.error.code === "round_not_open") state.lost = { round_id: round.id, key: key };
      else state.error = ack.error ? ack.error.message : t("server_error");
      render();
    });
  }

  function noteSaved(vote) {
    var status = document.getElementById("note-status");
    status.textContent = vote && vote.note ? t("note_saved") : "";
  }

  document.getElementById("note-save").addEventListener("click", function () {
    var key = myKey();
    if (key) castVote(key);
  });

  /* ---------- checklist rounds (checklist.js: each tap is sent at once) ---------- */

  function isChecklist() { var r = currentRound(); return !!(r && r.kind === "checklist"); }

  /* ---------- explain ---------- */

  function isOutlier() {
    var explain = state.stage && state.stage.explain;
    var vote = state.vote;
    if (!explain || !explain.band || !vote || vote.round_id !== explain.round_id) return false;
    if (vote.not_sure || vote.level === null || vote.level === undefined) return false;
    return vote.level < explain.band[0] || vote.level > explain.band[1];
  }

  document.getElementById("explain-box").addEventListener("submit", function (event) {
    event.preventDefault();
    var explain = state.stage && state.stage.explain;
    var input = document.getElementById("reason");
    var text = input.value.trim();
    if (!explain || !text) return;
    var roundId = explain.round_id;
    fill("reason-status", t("sending"));
    client.send("reason", { round_id: roundId, text: text.slice(0, L.limit("reason")) }, { queue: "reason" })
      .then(function (ack) {
        if (ack.superseded) return;
        if (ack.ok) { state.reasonSent[roundId] = true; fill("reason-status", t("reason_sent")); }
        else fill("reason-status", ack.error ? ack.error.message : t("server_error"));
      });
  });

  /* ---------- ideas ---------- */

  document.getElementById("idea-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("idea-text");
    var text = input.value.trim();
    var criterion = state.stage && state.stage.criterion;
    if (!text || !criterion) return;
    var kind = (document.querySelector("input[name=idea-kind]:checked") || { value: "idea" }).value;
    var payload = { criterion: criterion.code, kind: kind, text: text.slice(0, L.limit("idea")), client_key: L.randomKey() };
    input.value = "";
    fill("idea-status", t("sending"));
    client.send("idea", payload).then(function (ack) {
      if (ack.ok) { mergeIdeas([ack.idea], true); fill("idea-status", t("idea_sent")); }
      else { input.value = text; fill("idea-status", ack.error ? ack.error.message : t("server_error")); }
      renderIdeas();
    });
  });

  function upvote(idea) {
    var on = !idea.upvoted;
    idea.upvoted = on;
    renderIdeas();
    client.send("upvote", { idea_id: idea.id, on: on }, { queue: "upvote-" + idea.id }).then(function (ack) {
      if (ack.superseded) return;
      if (ack.ok) mergeIdeas([ack.idea], true);
      else { idea.upvoted = !on; fill("idea-status", ack.error ? ack.error.message : t("server_error")); }
      renderIdeas();
    });
  }

  /* ---------- rendering ---------- */

  function phase() {
    var round = currentRound();
    if (!round) return "waiting";
    if (round.state === "revealed") return "revealed";
    if (round.state === "closed") return "closed";
    if (isChecklist()) return checklist.done(round) ? "voted" : "voting";
    return myKey() ? "voted" : "voting";
  }

  function render() {
    var joined = !!state.me;
    var known = !!state.snap;
    var waitingForSnapshot = !known && !!sessionToken;
    document.getElementById("join-view").hidden = joined || waitingForSnapshot;
    document.getElementById("live-view").hidden = !joined;
    document.getElementById("loading").hidden = joined || !waitingForSnapshot;
    if (!joined || !state.stage) return;
    app.dataset.phase = phase();
    renderMe();
    renderCriterion();
    renderStatus();
    renderVoting();
    renderChecklist();
    renderResults();
    renderExplain();
    renderIdeas();
    bringIntoView(asked());
  }

  function renderMe() {
    var me = state.me;
    var parts = [];
    if (me.name) parts.push(me.name);
    if (me.role) parts.push(me.role);
    if (me.observer) parts.push(t("observer"));
    fill("me", parts.length ? parts.join(" · ") : t("anonymous_participant"));
  }

  function renderCriterion() {
    var c = state.stage.criterion;
    fill("criterion", L.criterionCard(c, { progress: true, guidance: "details", below: c ? [
      L.levelChecklists(c, state.checklistsOpen === c.code, function (open) { state.checklistsOpen = open ? c.code : null; }),
      window.IndicatorView.view(state.stage.indicators),
    ] : [] }));
  }

  /** What the facilitator now asks of this phone after the vote (phone_asks.js). */
  function asked() { return window.PhoneAsks.which(phase(), state.stage, isOutlier(), state.reasonSent); }
  var bringIntoView = window.PhoneAsks.follower();

  function renderStatus() {
    var p = phase();
    var text = {
      waiting: t("status_waiting"), voting: t("status_voting"), voted: t("status_voted"),
      closed: t("status_closed"), revealed: t("status_revealed"),
    }[p];
    if (isChecklist() && (p === "voting" || p === "voted")) {
      text = t(p === "voting" ? "status_checklist" : "status_checklist_done");
    }
    if (state.me.observer && (p === "voting" || p === "voted")) text = t("status_observing");
    var ask = asked();
    if (ask) text = t("status_" + ask);
    var node = fill("status", text);
    node.dataset.phase = ask || p;
    var lost = state.lost;
    fill("vote-lost", lost ? t("vote_not_counted", { level: levelLabel(lost.key) }) : "").hidden = !lost;
  }

  function levelLabel(key) {
    if (key === "not_sure") return t("not_sure");
    var levels = state.stage.criterion ? state.stage.criterion.levels : [];
    for (var i = 0; i < levels.length; i++) {
      if (String(levels[i].value) === key) return levels[i].value + " · " + tx(levels[i].label);
    }
    return key;
  }

  function renderVoting() {
    var round = currentRound();
    var open = round && round.state === "open" && !state.me.observer && !isChecklist();
    var box = document.getElementById("vote-box");
    box.hidden = !open;
    document.getElementById("note-box").hidden = !open || !myKey();
    var mine = myKey();
    fill("my-vote", mine ? t("your_vote", { level: levelLabel(mine) }) : "");
    fill("vote-error", state.error);
    if (!open) return;
    var levels = state.stage.criterion.levels;
    var buttons = levels.map(function (level) {
      return levelButton(String(level.value), String(level.value), tx(level.label), tx(level.descriptor), mine);
    });
    buttons.push(levelButton("not_sure", "?", t("not_sure"), t("not_sure_hint"), mine));
    fill("levels", buttons);
  }

  function renderChecklist() {
    var round = currentRound();
    var open = isChecklist() && round.state === "open" && !state.me.observer;
    document.getElementById("checklist-box").hidden = !open;
    if (open) checklist.render(state.stage.criterion, round);
  }

  function levelButton(key, badge, label, descriptor, mine) {
    var chosen = mine === key;
    var sending = state.pending === key;
    return el("button", {
      type: "button",
      class: "level" + (chosen ? " chosen" : "") + (sending ? " sending" : "") + (key === "not_sure" ? " unsure" : ""),
      "aria-pressed": chosen ? "true" : "false",
      dataset: { level: key },
      onclick: function () { castVote(key); },
    }, [
      el("span", { class: "level-badge", text: badge }),
      el("span", { class: "level-text" }, [
        el("span", { class: "level-label", text: label }),
        el("span", { class: "level-desc", text: descriptor }),
      ]),
      el("span", { class: "level-mark", "aria-hidden": "true", text: chosen ? "✓" : sending ? "…" : "" }),
    ]);
  }

  function renderResults() {
    var round = currentRound();
    var box = document.getElementById("results-box");
    var results = state.stage.results;
    var show = round && round.state === "revealed" && results;
    box.hidden = !show;
    if (!show) {
      var mine = myKey();
      fill("waiting-note", round && round.state === "closed" && mine ? t("your_vote", { level: levelLabel(mine) }) : "");
      return;
    }
    fill("results", L.resultsBlock(state.stage.criterion, results, { className: "phone-result", mine: myKey() }));
    var mineNow = myKey();
    fill("waiting-note", mineNow ? t("your_vote", { level: levelLabel(mineNow) }) : "");
  }

  function renderExplain() {
    var box = document.getElementById("explain-box");
    var show = isOutlier();
    box.hidden = !show;
    if (show && !state.reasonSent[state.stage.explain.round_id]) fill("reason-status", "");
  }

  function renderIdeas() {
    if (!state.stage || !state.me) return;
    var open = !!state.stage.ideas_open;
    document.getElementById("ideas-box").hidden = !open;
    if (!open) return;
    var list = L.ideasOf(state.ideas);
    fill("ideas-list", list.length ? list.map(function (idea) {
      var kind = idea.kind || "idea";
      return el("li", { class: "idea kind-" + kind + (idea.mine ? " mine" : "") }, [
        el("span", { class: "idea-text" }, [el("span", { class: "idea-kind", text: t("kind_" + kind) }), idea.text]),
        idea.mine
          ? el("span", { class: "idea-votes", text: t("upvotes", { n: idea.upvotes }) })
          : el("button", {
              type: "button", class: "upvote" + (idea.upvoted ? " on" : ""),
              "aria-pressed": idea.upvoted ? "true" : "false", onclick: function () { upvote(idea); },
            }, [el("span", { "aria-hidden": "true", text: "▲ " }), String(idea.upvotes),
                // its name holds the count it shows, so "tap 3" by voice control finds it
                el("span", { class: "visually-hidden", text: " · " + t("upvote") })]),
      ]);
    }) : el("li", { class: "muted", text: t("no_ideas") }));
  }

  render();
})();
