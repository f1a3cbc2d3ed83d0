/* The projector: the QR code and join code, the criterion and its levels while the room votes,
 * the count of votes, the distribution and consensus after the reveal (or live in "live" results
 * mode), the previous round beside a re-vote, outliers' reasons, ideas, and the decided overview.
 * It only listens.
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, tx = L.tx, el = L.el, fill = L.fill;
  var app = document.getElementById("app");

  var state = { snap: null, stage: null, presence: { present: 0, voted: 0 }, decisions: {},
                ideas: {}, reasons: { round_id: null, items: [] } };

  L.connect({
    auth: function () {
      return { role: "projector", session: app.dataset.session, key: app.dataset.key, lang: L.lang() };
    },
    onSnapshot: function (snap) {
      state.snap = snap;
      state.presence = snap.presence || state.presence;
      state.decisions = snap.decisions || {};
      state.ideas = {};
      (snap.ideas || []).forEach(function (idea) { if (!idea.hidden) state.ideas[idea.id] = idea; });
      setStage(snap.stage);
      render();
    },
    onRefused: function (data) {
      var node = fill("fatal", data && data.message ? data.message : t("refused"));
      node.hidden = false;
    },
    on: {
      stage: function (stage) { setStage(stage); render(); },
      tally: function (data) {
        state.presence = { present: data.present, voted: data.voted };
        var round = state.stage && state.stage.round;
        if (round && data.round_id === round.id && data.checklist) {
          state.stage.results = { round: round, checklist: data.checklist };
          render();
        } else if (round && data.round_id === round.id && data.counts) {
          state.stage.results = { round: round, counts: data.counts, not_sure: data.not_sure, summary: data.summary };
          render();
        } else {
          renderCounts();
        }
      },
      decision: function (data) {
        if (data.decision) state.decisions[data.criterion] = data.decision;
        else delete state.decisions[data.criterion];
        renderProgress();
        renderOverview();
      },
      ideas: function (data) {
        if (data.full) state.ideas = {};
        (data.items || []).forEach(function (idea) {
          if (idea.hidden) delete state.ideas[idea.id]; else state.ideas[idea.id] = idea;
        });
        renderIdeas();
      },
      reasons: function (data) { state.reasons = data; renderReasons(); },
    },
  });

  function setStage(stage) {
    var before = state.stage;
    state.stage = stage;
    if (stage.round && (!before || !before.round || before.round.id !== stage.round.id)) {
      state.presence.voted = 0;
    }
    if (!stage.explain || state.reasons.round_id !== stage.explain.round_id) {
      state.reasons = { round_id: stage.explain ? stage.explain.round_id : null, items: [] };
    }
  }

  function mode() {
    var round = state.stage && state.stage.round;
    if (!round) return "lobby";
    return state.stage.results ? "results" : "voting";
  }

  function render() {
    if (!state.stage) return;
    var m = mode();
    app.dataset.mode = m;
    document.getElementById("lobby").hidden = m !== "lobby";
    document.getElementById("round").hidden = m === "lobby";
    document.getElementById("corner-join").hidden = m === "lobby";
    renderProgress();
    renderCounts();
    if (m === "lobby") { renderLobby(); renderOverview(); return; }
    renderCriterion();
    renderLevels(m === "voting");
    renderResults(m === "results");
    renderReasons();
    renderIdeas();
  }

  function renderProgress() {
    var agenda = state.snap.agenda;
    var c = state.stage.criterion;
    var decided = agenda.filter(function (item) { return state.decisions[item.code]; }).length;
    fill("progress-text", c ? c.code + " · " + t("criterion_of", { n: c.index + 1, total: c.total }) : "");
    var bar = document.getElementById("progress");
    bar.max = agenda.length || 1;
    bar.value = decided;
  }

  function renderCounts() {
    var p = state.presence;
    fill("present", String(p.present));
    fill("lobby-present", String(p.present));
    fill("voted", String(p.voted));
    fill("voted-present", String(p.present));
    var round = state.stage && state.stage.round;
    var label = !round ? "" : round.state === "open" ? t("voting_open") : round.state === "closed" ? t("voting_closed")
              : t("round_n", { n: round.number });
    fill("count-label", [label, el("br"), t("voted_of", { voted: p.voted, present: p.present })]);
    var box = document.getElementById("count-box");
    box.dataset.state = round ? round.state : "none";
  }

  function renderLobby() {
    var c = state.stage.criterion;
    fill("lobby-next", c ? [el("span", { class: "crit-code", text: c.code }), " ", tx(c.title)] : "");
  }

  function renderCriterion() {
    var c = state.stage.criterion, round = state.stage.round;
    fill("criterion", [
      el("p", { class: "crit-meta" }, [
        el("span", { class: "crit-code", text: c.code }), " ", el("span", { text: tx(c.category.title) }),
        round && round.number > 1 ? el("span", { class: "pill", text: t("round_n", { n: round.number }) }) : null,
      ]),
      el("h1", { class: "crit-title", text: tx(c.title) }),
    ]);
  }

  function renderLevels(show) {
    var list = document.getElementById("levels");
    list.hidden = !show;
    if (!show) return;
    fill(list, state.stage.criterion.levels.map(function (level) {
      return el("li", { class: "proj-level" }, [
        el("span", { class: "level-badge", text: String(level.value) }),
        el("span", { class: "level-text" }, [
          el("span", { class: "level-label", text: tx(level.label) }),
          el("span", { class: "level-desc", text: tx(level.descriptor) }),
        ]),
      ]);
    }));
  }

  function resultBlock(results, title) {
    if (results.checklist) {  // line by line; earlier rounds' lines are merged in already
      return el("div", { class: "proj-result proj-checklist" }, [
        el("h2", { text: t("checklist_round") + (title ? " · " + title : "") }),
        window.Checklist.results(state.stage.criterion, results.checklist)]);
    }
    var summary = results.summary || {};
    return el("div", { class: "proj-result" }, [
      title ? el("h2", { text: title }) : null,
      L.distribution(state.stage.criterion.levels, results, { className: "bars-big" }),
      el("dl", { class: "figures figures-big" }, [
        L.figure(t("median"), L.number(summary.median)),
        L.figure(t("agreement_index"), L.agreement(summary.tastle_wierman)),
        L.figure(t("votes"), String(summary.n || 0)),
      ]),
      L.verdictBlock(summary, true),
    ]);
  }

  function renderResults(show) {
    var box = document.getElementById("results");
    box.hidden = !show;
    if (!show) return;
    var previous = state.stage.results.checklist ? null : state.stage.previous;
    box.classList.toggle("with-previous", !!previous);
    fill(box, [
      previous ? resultBlock(previous, t("previous_round") + " · " + t("round_n", { n: previous.round.number })) : null,
      resultBlock(state.stage.results, previous ? t("this_round") + " · " + t("round_n", { n: state.stage.round.number }) : ""),
    ]);
  }

  function renderReasons() {
    var items = state.reasons.items || [];
    var show = !!(state.stage && state.stage.explain) && mode() !== "lobby";
    document.getElementById("reasons-box").hidden = !show;
    if (!show) return;
    fill("reasons", items.map(function (item) {
      return el("li", {}, [el("span", { class: "reason-level", text: String(item.level) }), el("span", { text: item.text })]);
    }));
  }

  function renderIdeas() {
    var show = !!(state.stage && state.stage.ideas_open) && mode() !== "lobby";
    document.getElementById("ideas-box").hidden = !show;
    if (!show) return;
    var code = state.stage.criterion.code;
    var list = Object.keys(state.ideas).map(function (id) { return state.ideas[id]; })
      .filter(function (idea) { return idea.criterion === code; });
    list.sort(function (a, b) { return b.upvotes - a.upvotes || a.id - b.id; });
    fill("ideas", list.slice(0, 8).map(function (idea) {
      return el("li", {}, [el("span", { class: "idea-text", text: idea.text }),
                           el("span", { class: "idea-votes", text: "▲ " + idea.upvotes })]);
    }));
  }

  /** Decided criteria by category: each cell coloured by its agreed level. */
  function renderOverview() {
    if (!state.snap) return;
    var levels = state.snap.framework.levels.map(function (l) { return l.value; });
    var low = levels[0], high = levels[levels.length - 1];
    var rows = [], byCategory = {};
    state.snap.agenda.forEach(function (item) {
      if (!byCategory[item.category]) { byCategory[item.category] = []; rows.push(item.category); }
      byCategory[item.category].push(item);
    });
    fill("overview", el("div", { class: "heat" }, rows.map(function (category) {
      return el("div", { class: "heat-col" }, [el("div", { class: "heat-head", text: category })].concat(
        byCategory[category].map(function (item) {
          var d = state.decisions[item.code];
          var shade = d ? Math.round(4 * (d.agreed_level - low) / Math.max(1, high - low)) : null;
          return el("div", { class: d ? "heat-cell shade-" + shade : "heat-cell undecided", title: tx(item.title),
                             dataset: { criterion: item.code } }, [
            el("span", { class: "heat-code", text: item.code }),
            el("span", { class: "heat-level", text: d ? t("level_short", { n: d.agreed_level }) : "" }),
            d ? el("span", { class: "heat-target", text: t("target_short", { n: d.target_level }) }) : null,
          ]);
        })));
    })));
  }
})();
