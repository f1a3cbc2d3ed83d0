/* The plan editor's two views of the whole plan (templates/plan/editor.html):
 * - the three-year upgrade plan: per item, its current level and the level to reach by the end
 *   of each of the plan's three fiscal years (a select per year; the one-level-a-year path the
 *   server computed is shown until someone chooses another level);
 * - the annual action plan: per item, its project (or first action), owner, and a mark in each
 *   quarter (ต.ค.–ธ.ค. … ก.ค.–ก.ย.) of the plan's fiscal year that the server says its period covers.
 * Words come through Live.t; user text only via textContent.
 */
(function () {
  "use strict";

  var L = window.Live, el = L.el, t = L.t, tx = L.tx;

  function levelOptions(levels) {
    return levels.map(function (l) {
      return el("option", { value: String(l.value), text: t("level_short", { n: l.value }) + " " + tx(l.label) });
    });
  }

  /** Fill `table` with the upgrade plan; `choose(item, year, level, select)` saves a choice. */
  function upgrade(table, plan, items, choose) {
    var head = el("tr", {}, [el("th", { scope: "col", text: t("upgrade_item") }),
                             el("th", { scope: "col", "class": "num", text: t("upgrade_current") })]
      .concat(plan.plan_years.map(function (year) {
        return el("th", { scope: "col", text: t("target_in_year", { year: year }) });
      })));
    var rows = items.map(function (item) {
      var cells = plan.plan_years.map(function (year, index) {
        var id = "y-" + item.id + "-" + year;
        var select = el("select", { id: id, dataset: { year: String(year) },
                                    "aria-label": t("target_for", { code: item.criterion_code, year: year }) },
                        levelOptions(plan.levels));
        var typed = (item.year_targets || {})[String(year)];
        select.value = String(typed === undefined ? item.upgrade_default[index] : typed);
        select.addEventListener("change", function () { choose(item, String(year), Number(select.value), select); });
        return el("td", {}, el("div", { "class": "field field-year" }, [select,
          el("p", { "class": "field-note", role: "alert" })]));
      });
      return el("tr", { dataset: { code: item.criterion_code } }, [
        el("th", { scope: "row" }, [el("span", { "class": "code", text: item.criterion_code }), " ", tx(item.title)]),
        el("td", { "class": "num", text: String(item.current_level) })].concat(cells));
    });
    L.fill(table, [el("thead", {}, head), el("tbody", {}, rows)]);
  }

  /** Fill `table` with the annual action plan's quarter grid. */
  function annual(table, items) {
    var months = t("quarter_months");
    var head = el("tr", {}, [el("th", { scope: "col", text: t("project") }),
                             el("th", { scope: "col", text: t("owner_short") })]
      .concat([1, 2, 3, 4].map(function (n) {
        return el("th", { scope: "col", "class": "quarter" }, [t("quarter_n", { n: n }), el("br"),
          el("span", { "class": "muted small", text: months[n - 1] })]);
      })));
    var rows = items.map(function (item) {
      var project = item.project || (item.actions[0] ? item.actions[0].text : "");
      return el("tr", { dataset: { code: item.criterion_code } }, [
        el("th", { scope: "row" }, [el("span", { "class": "code", text: item.criterion_code }), " ",
                                    el("span", { text: project })]),
        el("td", { text: [item.owner, item.owner_person].filter(Boolean).join(" · ") })]
        .concat((item.quarter_grid || [false, false, false, false]).map(function (on) {
          return el("td", { "class": "quarter" + (on ? " is-on" : ""), dataset: { on: on ? "1" : "0" } },
                    on ? el("span", { "aria-label": t("in_quarter"), text: "●" }) : null);
        })));
    });
    L.fill(table, [el("thead", {}, head), el("tbody", {}, rows)]);
  }

  window.PlanViews = { upgrade: upgrade, annual: annual };
})();
