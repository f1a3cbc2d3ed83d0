/* The projector never scrolls and never clips, whatever the room sends (window.ScreenFit): after
 * each drawing the shown part of the screen is shrunk (CSS zoom in 5 % steps, classes .fit-95 …
 * .fit-70, never below what is legible from the back of the room) until it ends above the
 * bottom of the window. When it does not fit even then, the longest list (reasons, ideas) keeps
 * its first items and says how many more there are (#<list>-more), and the zoom is raised again
 * as far as it still fits; as a last resort each item is cut to three lines with an ellipsis.
 * A list that was cut turns its pages every ROTATE_MS, so every reason and idea is shown in turn.
 */
(function () {
  "use strict";
  var L = window.Live;
  var STEPS = [100, 95, 90, 85, 80, 75, 70];
  var MARGIN = 8;  // px kept free under the content
  var ROTATE_MS = 8000;  // long enough to read a page of reasons from the back of the room
  var last = null, timer = null;  // the last fitting, redone at each turn of the pages

  function fits(box) {
    var root = document.documentElement;
    return box.getBoundingClientRect().bottom <= window.innerHeight - MARGIN &&
      root.scrollHeight <= window.innerHeight && root.scrollWidth <= window.innerWidth;
  }

  function zoom(box, step) {
    STEPS.forEach(function (s) { if (s !== 100) box.classList.toggle("fit-" + s, s === step); });
  }

  function shown(list) {
    return Array.prototype.filter.call(list.children, function (item) { return !item.classList.contains("fit-cut"); });
  }

  function sayMore(list) {
    var more = document.getElementById(list.id + "-more");
    var cut = list.children.length - shown(list).length;
    if (more) { L.fill(more, cut ? L.t("more_items", { n: cut }) : ""); more.hidden = !cut; }
  }

  /** Cut the last shown item of the tallest list that has more than one; false when none has. */
  function cutOne(lists) {
    var tallest = null, height = 0;
    lists.forEach(function (list) {
      var h = list.getBoundingClientRect().height;
      if (shown(list).length > 1 && h > height) { tallest = list; height = h; }
    });
    if (!tallest) return false;
    var items = shown(tallest);
    items[items.length - 1].classList.add("fit-cut");
    sayMore(tallest);
    return true;
  }

  function isCut(list) { return shown(list).length < list.children.length; }

  /** The next page of each cut list: the items shown now go to the end, the next ones come up. */
  function turnPages() {
    timer = null;
    last.lists.forEach(function (list) {
      if (isCut(list)) shown(list).forEach(function (item) { list.appendChild(item); });
    });
    fit(last.box, last.lists);
  }

  /** fit(box, lists): `box` is the part of the screen shown now, `lists` the lists it may cut. */
  function fit(box, lists) {
    lists = (lists || []).filter(function (list) { return list && box.contains(list); });
    last = { box: box, lists: lists };
    shrink(box, lists);
    var turning = lists.some(isCut);
    if (turning && !timer) timer = window.setTimeout(turnPages, ROTATE_MS);
    if (!turning && timer) { window.clearTimeout(timer); timer = null; }
  }

  function shrink(box, lists) {
    lists.forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (item) { item.classList.remove("fit-cut"); });
      list.classList.remove("fit-clamp");
      sayMore(list);
    });
    var i = 0;
    zoom(box, STEPS[i]);
    while (!fits(box) && i < STEPS.length - 1) zoom(box, STEPS[++i]);
    if (fits(box)) return;
    while (!fits(box) && cutOne(lists)) { /* one item fewer each time */ }
    if (!fits(box)) lists.forEach(function (list) { list.classList.add("fit-clamp"); });
    while (i > 0) {  // with fewer items, the largest zoom that still fits
      zoom(box, STEPS[i - 1]);
      if (!fits(box)) { zoom(box, STEPS[i]); break; }
      i -= 1;
    }
  }

  window.ScreenFit = { fit: fit };
})();
