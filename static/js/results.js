/* A round's results as every live screen shows them: the distribution's bars, the named figures
 * and the consensus verdict with the rule it used (docs/consensus.md, "Names on the screens"),
 * or a checklist round's lines (checklist.js). The phone, the projector and the control page
 * differ only by the options they pass to `resultsBlock`; the figures are the server's.
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, tx = L.tx, el = L.el;

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
          el("span", { class: "bar-label", text: row.label, title: row.label }),
          total ? el("span", { class: "bar-share", text: L.percent(row.count / total) }) : null,
        ]);
      }));
  }

  /** The verdict of a summary: a short phrase, a class name, and the rule with the figures it
   * used, so no figure is mistaken for the verdict. */
  function verdict(summary) {
    if (!summary || !summary.n) return { text: t("no_votes"), cls: "verdict-none", basis: "" };
    var pair = summary.top_adjacent_pair || [], rule = summary.thresholds || {};
    var basis = t("verdict_basis", {
      share: L.percent(summary.top_adjacent_share), low: pair[0], high: pair[pair.length - 1],
      min_share: L.percent(rule.min_adjacent_share), iqr: L.number(summary.iqr), max_iqr: L.number(rule.max_iqr),
    });
    return summary.consensus_reached
      ? { text: t("consensus_reached"), cls: "verdict-ok", basis: basis }
      : { text: t("consensus_not_reached"), cls: "verdict-low", basis: basis };
  }

  /** The verdict as the screens show it: the phrase, then the rule and the share it used. */
  function verdictBlock(summary, bigger) {
    var v = verdict(summary);
    return el("div", { class: "verdict-block" }, [
      el("p", { class: "verdict " + v.cls + (bigger ? " verdict-big" : ""), text: v.text }),
      v.basis ? el("p", { class: "verdict-basis" + (bigger ? " verdict-basis-big" : ""), text: v.basis }) : null,
    ]);
  }

  /** The named figures a screen may list, each from a round's summary. */
  var FIGURES = {
    median: function (s) { return [t("median"), L.number(s.median)]; },
    iqr: function (s) { return [t("iqr"), L.number(s.iqr)]; },
    agreement: function (s) { return [t("agreement_index"), L.agreement(s.tastle_wierman)]; },
    votes: function (s) { return [t("votes"), String(s.n || 0)]; },
  };

  function figures(summary, names, big) {
    return el("dl", { class: "figures" + (big ? " figures-big" : "") }, names.map(function (name) {
      var pair = FIGURES[name](summary);
      return el("div", {}, [el("dt", { text: pair[0] }), el("dd", { text: pair[1] })]);
    }));
  }

  /**
   * One round's results for `criterion`: resultsBlock(criterion, results, {className, heading
   * ("h2"|"h3"), title, big, figures: ["median", "agreement", ...], mine (the phone's level key)}).
   */
  function resultsBlock(criterion, results, options) {
    var o = options || {};
    var heading = o.heading || "h3";
    if (results.checklist) {  // line by line; earlier rounds' lines are merged in already
      return el("div", { class: o.className + " " + (o.checklistClass || "") }, [
        o.heading ? el(heading, { text: t("checklist_round") + (o.title ? " · " + o.title : "") }) : null,
        window.Checklist.results(criterion, results.checklist)]);
    }
    var summary = results.summary || {};
    return el("div", { class: o.className }, [
      o.title ? el(heading, { text: o.title }) : null,
      distribution(criterion.levels, results, { className: o.big ? "bars-big" : "", mine: o.mine }),
      figures(summary, o.figures || ["median", "agreement", "votes"], o.big),
      verdictBlock(summary, o.big),
    ]);
  }

  L.distribution = distribution;
  L.verdict = verdict;
  L.verdictBlock = verdictBlock;
  L.resultsBlock = resultsBlock;
})();
