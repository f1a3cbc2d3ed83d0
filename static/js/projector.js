/* The projector tells the story of the day: the QR code and join code with the by-category
 * overview of what is decided between items, the criterion and its levels while the room votes,
 * the count of votes, the distribution and consensus after the reveal (or live in "live" results
 * mode), the previous round beside a re-vote, outliers' reasons, ideas, the decision of the
 * meeting as it is taken, the criterion's timer, and the end of the agenda.
 * It only listens: the room's state comes from room_view.js, shared with the control page.
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, tx = L.tx, el = L.el, fill = L.fill;
  var app = document.getElementById("app");

  var room = L.watchRoom({
    role: "projector",
    timer: "timer",
    render: {
      all: render,
      tally: function (resultsChanged) { if (resultsChanged) render(); else { renderCounts(); fitScreen(); } },
      decision: render,
      ideas: function () { renderIdeas(); fitScreen(); },
      reasons: function () { renderReasons(); fitScreen(); },
    },
  });
  var state = room.state;

  function mode() {
    var round = state.stage && state.stage.round;
    if (L.agendaPlace(state) === "end") return "end";
    if (!round) return "lobby";
    return state.stage.results ? "results" : "voting";
  }

  function render() {
    if (!state.stage) return;
    var m = mode();
    app.dataset.mode = m;
    document.getElementById("lobby").hidden = m !== "lobby";
    document.getElementById("end").hidden = m !== "end";
    document.getElementById("round").hidden = m === "lobby" || m === "end";
    document.getElementById("corner-join").hidden = m === "lobby" || m === "end";
    renderProgress();
    renderCounts();
    if (m === "lobby") { renderLobby(); renderOverview("overview"); fitScreen(); return; }
    if (m === "end") { renderEnd(); fitScreen(); return; }
    renderCriterion();
    renderDecision();
    renderLevels(m === "voting");
    renderResults(m === "results");
    renderReasons();
    renderIdeas();
    fitScreen();
  }

  /** The side column widens while it lists reasons or ideas. */
  function sideWidth() {
    var lists = !document.getElementById("reasons-box").hidden || !document.getElementById("ideas-box").hidden;
    document.querySelector(".proj-body").classList.toggle("with-lists", lists && mode() === "results");
  }

  /** Whatever the room sent fits the screen (screen_fit.js): no scrolling, nothing cut off. */
  function fitScreen() {
    if (!state.stage) return;
    sideWidth();
    var lobby = mode() === "lobby";
    window.ScreenFit.fit(document.getElementById(lobby ? "lobby" : "round"),
                         lobby ? [] : [document.getElementById("reasons"), document.getElementById("ideas")]);
  }
  window.addEventListener("resize", fitScreen);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitScreen);

  function renderProgress() {
    var agenda = state.snap.agenda;
    var c = state.stage.criterion;
    var decided = L.decidedCount(state);
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
    fill("criterion", L.criterionCard(state.stage.criterion, {
      round: state.stage.round, below: [window.IndicatorView.view(state.stage.indicators)] }));
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
    return L.resultsBlock(state.stage.criterion, results, {
      className: "proj-result", checklistClass: "proj-checklist", heading: "h2", title: title, big: true });
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
    fill("ideas", L.ideasOf(state.ideas, code).slice(0, 8).map(function (idea) {
      var kind = idea.kind || "idea";
      return el("li", { class: "kind-" + kind + (idea.kept ? " kept" : "") }, [
        el("span", { class: "idea-kind", text: t("kind_" + kind) }),
        el("span", { class: "idea-text", text: idea.text }),
        el("span", { class: "idea-votes", text: "▲ " + idea.upvotes })]);
    }));
  }

  /** A level of the criterion `c` as "2 · label". */
  function levelName(c, value) {
    var level = (c ? c.levels : state.snap.framework.levels).filter(function (l) { return l.value === value; })[0];
    return level ? value + " · " + tx(level.label) : String(value);
  }

  /** The decision of the meeting on this criterion, once taken and while no round is open on it
   * (a decision is the room's, not a vote: the projector has it as soon as it is taken). */
  function renderDecision() {
    var c = state.stage.criterion, round = state.stage.round;
    var d = c && state.decisions[c.code];
    var box = document.getElementById("decision-box");
    box.hidden = !d || !round || round.state === "open";
    if (box.hidden) return;
    fill("decision-agreed", t("decision_agreed", { level: levelName(c, d.agreed_level) }));
    fill("decision-target", t("decision_target", { level: levelName(c, d.target_level) }));
  }

  /** The end of the agenda: how much is decided, the last decision and the whole overview. */
  function renderEnd() {
    var c = state.stage.criterion, d = state.decisions[c.code];
    fill("end-count", t("end_count", { n: L.decidedCount(state), total: state.snap.agenda.length }));
    fill("end-last", t("end_last", { code: c.code, level: d.agreed_level, target: d.target_level }));
    renderOverview("end-overview");
  }

  /** Criteria by category: decided ones coloured by their agreed level, the current one outlined. */
  function renderOverview(into) {
    if (!state.snap) return;
    var here = state.stage && state.stage.criterion ? state.stage.criterion.code : null;
    var levels = state.snap.framework.levels.map(function (l) { return l.value; });
    var low = levels[0], high = levels[levels.length - 1];
    var rows = [], byCategory = {};
    state.snap.agenda.forEach(function (item) {
      if (!byCategory[item.category]) { byCategory[item.category] = []; rows.push(item.category); }
      byCategory[item.category].push(item);
    });
    fill(into, el("div", { class: "heat" }, rows.map(function (category) {
      return el("div", { class: "heat-col" }, [el("div", { class: "heat-head", text: category })].concat(
        byCategory[category].map(function (item) {
          var d = state.decisions[item.code];
          var shade = d ? Math.round(4 * (d.agreed_level - low) / Math.max(1, high - low)) : null;
          return el("div", { class: (d ? "heat-cell shade-" + shade : "heat-cell undecided") + (item.code === here ? " current" : ""),
                             title: tx(item.title),
                             dataset: { criterion: item.code } }, [
            el("span", { class: "heat-code", text: item.code }),
            el("span", { class: "heat-level", text: d ? t("level_short", { n: d.agreed_level }) : "" }),
            d ? el("span", { class: "heat-target", text: t("target_short", { n: d.target_level }) }) : null,
          ]);
        })));
    })));
  }
})();
