/* The room as the control page and the projector see it, kept up to date from the server's
 * events (docs/protocol.md): the snapshot, the stage, the live tally and presence, decisions,
 * ideas and outliers' reasons. Each page passes what it draws after each kind of change; the
 * rules for keeping the state live here once.
 */
(function () {
  "use strict";
  var L = window.Live;

  /**
   * watchRoom({role, keepHiddenIdeas, snapshot(snap), render: {all, tally(resultsChanged),
   * decision, ideas, reasons}, timer: id of the node that shows the criterion's timer}) connects the
   * screen of #app and returns {state, client, setStage}.
   */
  function watchRoom(options) {
    var app = document.getElementById("app");
    var render = options.render;
    var state = { snap: null, stage: null, presence: { present: 0, voted: 0 }, decisions: {}, ideas: {},
                  reasons: { round_id: null, items: [] } };

    function setStage(stage) {
      var before = state.stage;
      state.stage = stage;
      /* The server's elapsed seconds when it built this stage, counted on with this screen's clock. */
      state.timerFrom = stage.timer ? performance.now() - stage.timer.elapsed * 1000 : null;
      if (stage.round && (!before || !before.round || before.round.id !== stage.round.id)) {
        var results = stage.results;
        state.presence.voted = results && results.checklist ? results.checklist.voted
          : results && results.summary ? (results.summary.n || 0) + (results.not_sure || 0) : 0;
      }
      if (!stage.explain || state.reasons.round_id !== stage.explain.round_id) {
        state.reasons = { round_id: stage.explain ? stage.explain.round_id : null, items: [] };
      }
    }

    /** The projector drops hidden ideas; the control page keeps them (with their text) to show again. */
    function mergeIdeas(items) {
      items.forEach(function (idea) {
        var known = state.ideas[idea.id];
        if (!options.keepHiddenIdeas) {
          if (idea.hidden) delete state.ideas[idea.id]; else state.ideas[idea.id] = idea;
        } else {
          state.ideas[idea.id] = known && idea.hidden && !idea.text ? Object.assign({}, known, idea, { text: known.text }) : idea;
        }
      });
    }

    /** A tally brings presence, and the results when the room's results are shown live. */
    function applyTally(data) {
      state.presence = { present: data.present, voted: data.voted };
      var round = state.stage && state.stage.round;
      if (!round || data.round_id !== round.id) return false;
      if (data.checklist) state.stage.results = { round: round, checklist: data.checklist };
      else if (data.counts) state.stage.results = { round: round, counts: data.counts, not_sure: data.not_sure, summary: data.summary };
      // the level the room's answers propose: sent to the control page only (docs/protocol.md)
      if (state.stage.results && "proposed_level" in data) state.stage.results.proposed_level = data.proposed_level;
      return !!(data.checklist || data.counts);
    }

    var client = L.connect({
      auth: function () {
        return { role: options.role, session: app.dataset.session, key: app.dataset.key, lang: L.lang() };
      },
      onSnapshot: function (snap) {
        state.snap = snap;
        state.presence = snap.presence || state.presence;
        state.decisions = snap.decisions || {};
        state.ideas = {};
        mergeIdeas(snap.ideas || []);
        if (options.snapshot) options.snapshot(snap);
        setStage(snap.stage);
        render.all();
      },
      on: {
        stage: function (stage) { setStage(stage); render.all(); },
        tally: function (data) { render.tally(applyTally(data)); },
        decision: function (data) {
          if (data.decision) state.decisions[data.criterion] = data.decision;
          else delete state.decisions[data.criterion];
          render.decision();
        },
        ideas: function (data) {
          if (data.full) state.ideas = {};
          mergeIdeas(data.items || []);
          render.ideas();
        },
        reasons: function (data) { state.reasons = data; render.reasons(); },
      },
    });
    if (options.timer) showTimer(state, document.getElementById(options.timer));
    return { state: state, client: client, setStage: setStage };
  }

  /** The criterion's timer (docs/protocol.md, TIMER) in `node` as m:ss, hidden when none runs. */
  function showTimer(state, node) {
    function tick() {
      node.hidden = state.timerFrom === null || state.timerFrom === undefined;
      if (node.hidden) return;
      var seconds = Math.max(0, Math.floor((performance.now() - state.timerFrom) / 1000));
      var text = Math.floor(seconds / 60) + ":" + ("0" + seconds % 60).slice(-2);
      var shown = node.querySelector(".timer-time");
      if (shown.textContent !== text) shown.textContent = text;
    }
    tick();
    setInterval(tick, 250);
    return tick;
  }

  /** Where the room stands in its agenda: "end" once the last criterion is decided and no round
   * is open on it, "last" on the last criterion before that, otherwise null. */
  function agendaPlace(state) {
    var agenda = state.snap ? state.snap.agenda : [], c = state.stage && state.stage.criterion;
    if (!c || !agenda.length || c.code !== agenda[agenda.length - 1].code) return null;
    var open = state.stage.round && state.stage.round.state === "open";
    return state.decisions[c.code] && !open ? "end" : "last";
  }

  /** How many criteria of the agenda have a decision in force. */
  function decidedCount(state) {
    return (state.snap ? state.snap.agenda : []).filter(function (item) { return state.decisions[item.code]; }).length;
  }

  L.watchRoom = watchRoom;
  L.agendaPlace = agendaPlace;
  L.decidedCount = decidedCount;
})();
