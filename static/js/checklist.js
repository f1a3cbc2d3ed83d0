/* Checklist rounds on every live screen (docs/protocol.md, "Checklist rounds"): the phone's
 * form, one line per practice grouped by level with met / not met / not sure, and the room's
 * results line by line as the server computed them (verdicts and the proposed level are the
 * server's: this file only lays them out).
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, tx = L.tx, el = L.el;
  var ANSWERS = ["met", "not_met", "not_sure"];

  /** The levels of a criterion that hold lines of `asked` (all lines when null), each with
   * only those lines. */
  function askedLevels(criterion, asked) {
    return criterion.levels.map(function (level) {
      var lines = (level.checklist || []).filter(function (line) { return !asked || asked.indexOf(line.id) >= 0; });
      return { level: level, lines: lines };
    }).filter(function (group) { return group.lines.length; });
  }

  /** The phone's form: `answers` {line id: answer} as the server holds them, `pending`
   * {line id: answer} on its way, `onAnswer(lineId, answer)` on a tap. */
  function form(criterion, round, answers, pending, onAnswer) {
    return el("div", { class: "cl-form" }, askedLevels(criterion, round.lines).map(function (group) {
      return el("section", { class: "cl-level" }, [
        el("h2", { class: "cl-level-title", text: group.level.value + " · " + tx(group.level.label) }),
        el("ol", { class: "cl-lines" }, group.lines.map(function (line) {
          var mine = pending[line.id] || answers[line.id];
          return el("li", { class: "cl-line", dataset: { line: line.id } }, [
            el("p", { class: "cl-text", id: "cl-text-" + line.id }, [
              el("span", { class: "cl-id", text: line.id }), " ", tx(line)]),
            el("div", { class: "cl-answers", role: "group", "aria-labelledby": "cl-text-" + line.id },
              ANSWERS.map(function (answer) {
                var chosen = mine === answer;
                return el("button", {
                  type: "button", class: "cl-answer cl-" + answer + (chosen ? " chosen" : "")
                    + (pending[line.id] === answer ? " sending" : ""),
                  "aria-pressed": chosen ? "true" : "false", dataset: { answer: answer },
                  onclick: function () { onAnswer(line.id, answer); },
                  text: t("cl_" + answer),
                });
              })),
          ]);
        })),
      ]);
    }));
  }

  function answeredCount(round, answers) {
    return (round.lines || []).filter(function (id) { return answers[id]; }).length;
  }

  function levelName(criterion, value) {
    var found = criterion.levels.filter(function (l) { return l.value === value; })[0];
    return found ? value + " · " + tx(found.label) : String(value);
  }

  /** The room's lines after the reveal (or live, for the facilitator): CHECKLIST results. */
  function results(criterion, found, options) {
    var byId = {};
    found.lines.forEach(function (line) { byId[line.id] = line; });
    var compact = options && options.compact;
    return el("div", { class: "cl-results" + (compact ? " compact" : "") }, [
      el("p", { class: "cl-proposed" }, [
        t("cl_proposed_level") + ": ", el("strong", { text: levelName(criterion, found.proposed_level) })]),
      found.disputed.length ? el("p", { class: "cl-disputed-note", text: t("cl_disputed_lines", { ids: found.disputed.join(", ") }) }) : null,
    ].concat(askedLevels(criterion, null).map(function (group) {
      return el("section", { class: "cl-level" }, [
        el("h3", { class: "cl-level-title", text: group.level.value + " · " + tx(group.level.label) }),
        el("ol", { class: "cl-lines" }, group.lines.map(function (line) {
          var r = byId[line.id] || {};
          var verdict = r.answered ? r.verdict : "unanswered";
          var counts = r.counts || { met: 0, not_met: 0, not_sure: 0 };
          var share = r.summary && r.summary.top_adjacent_share;
          return el("li", { class: "cl-line cl-verdict-" + verdict + (r.asked ? " asked" : ""), dataset: { line: line.id, verdict: verdict } }, [
            el("p", { class: "cl-text" }, [el("span", { class: "cl-id", text: line.id }), " ", compact ? null : tx(line)]),
            el("span", { class: "cl-pill", text: t("cl_verdict_" + verdict) }),
            el("span", { class: "cl-counts muted small", text: t("cl_counts", counts)
              + (share === null || share === undefined ? "" : " · " + L.percent(share)) }),
          ]);
        })),
      ]);
    })));
  }

  /** The phone's side of a checklist round: its answers as the server holds them, the taps on
   * their way, and each tap sent at once (an upsert per line, retried until acknowledged).
   * `client()` gives the live client, `onChange()` re-renders the page. */
  function Phone(client, onChange) {
    this.client = client;
    this.onChange = onChange;
    this.held = { round_id: null, answers: {} };
    this.pending = {};  // line id -> answer on its way
    this.error = "";
  }
  Phone.prototype.hold = function (mine) { this.held = mine || { round_id: null, answers: {} }; };
  Phone.prototype.reset = function () { this.pending = {}; this.error = ""; };
  Phone.prototype.answers = function (round) {
    return round && this.held.round_id === round.id ? this.held.answers : {};
  };
  Phone.prototype.done = function (round) {
    return answeredCount(round, this.answers(round)) === (round.lines || []).length;
  };
  Phone.prototype.answer = function (round, lineId, answer) {
    if (round.state !== "open") return;
    var self = this, answers = {};
    answers[lineId] = answer;
    this.pending[lineId] = answer;
    this.error = "";
    this.onChange();
    this.client().send("answer_lines", { round_id: round.id, answers: answers }, { queue: "line-" + lineId })
      .then(function (ack) {
        if (ack.superseded) return;
        delete self.pending[lineId];
        if (ack.ok) self.held = ack.my_answers;
        else self.error = ack.error ? ack.error.message : t("server_error");
        self.onChange();
      });
  };
  /** Fill the page's #cl-progress, #cl-error and #cl-form for an open round. */
  Phone.prototype.render = function (criterion, round) {
    var self = this, answers = this.answers(round);
    L.fill("cl-progress", t("cl_answered", { n: answeredCount(round, answers), total: (round.lines || []).length }));
    L.fill("cl-error", this.error);
    L.fill("cl-form", form(criterion, round, answers, this.pending, function (lineId, answer) {
      self.answer(round, lineId, answer);
    }));
  };

  window.Checklist = { form: form, results: results, answeredCount: answeredCount, askedLevels: askedLevels,
                       Phone: Phone };
})();
