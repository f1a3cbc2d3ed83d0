/* The criterion as every live screen heads it: its code and category, where it stands in the
 * agenda (or which round), its title, and below it what the screen adds (guidance, the levels'
 * checklists, indicators).
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, tx = L.tx, el = L.el;

  /**
   * The criterion card's nodes: criterionCard(c, {progress: true} or {round: ROUND}, guidance:
   * "line" | "details" | absent, below: [nodes]}). With no criterion chosen, a line that says so.
   */
  function criterionCard(c, options) {
    var o = options || {};
    if (!c) return el("p", { class: "muted", text: t("no_criterion") });
    var round = o.round;
    var guidance = tx(c.guidance);
    return [
      el("p", { class: "crit-meta" }, [
        el("span", { class: "crit-code", text: c.code }), " ", el("span", { text: tx(c.category.title) }),
        o.progress ? el("span", { class: "crit-progress", text: t("criterion_of", { n: c.index + 1, total: c.total }) }) : null,
        round && round.number > 1 ? el("span", { class: "pill", text: t("round_n", { n: round.number }) }) : null,
      ]),
      el("h1", { class: "crit-title", text: tx(c.title) }),
      o.guidance === "line" ? el("p", { class: "muted small", text: guidance }) : null,
      o.guidance === "details" && guidance ? el("details", { class: "crit-guidance" }, [
        el("summary", { text: t("guidance") }), el("p", { text: guidance }),
      ]) : null,
    ].concat(o.below || []);
  }

  /** What the room checks before it claims each level of `c`, folded unless `open`; `toggled(open)`
   * hears the reader unfold or fold it, so a re-render keeps it as it was. */
  function levelChecklists(c, open, toggled) {
    var levels = c.levels.filter(function (level) { return level.checklist && level.checklist.length; });
    if (!levels.length) return null;
    var box = el("details", {
      class: "crit-checklists", open: open, ontoggle: function () { toggled(box.open); },
    }, [el("summary", { text: t("level_checklists") })].concat(levels.map(function (level) {
      return el("section", { class: "checklist-level" }, [
        el("h2", { class: "checklist-heading", text: level.value + " · " + tx(level.label) }),
        el("ul", { class: "checklist" }, level.checklist.map(function (line) {
          return el("li", { text: tx(line) });
        })),
      ]);
    })));
    return box;
  }

  L.criterionCard = criterionCard;
  L.levelChecklists = levelChecklists;
})();
