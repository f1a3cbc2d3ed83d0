/* What the facilitator asks of a phone after the vote, and bringing it into view
 * (window.PhoneAsks): a reason when its vote lies outside the room's band (until it sent one),
 * then ideas while they are open. The status line says it (participant.js) and, when newly
 * asked, the box scrolls into view instead of waiting at the bottom of a long page.
 */
(function () {
  "use strict";
  var BOXES = { explain: "explain-box", ideas: "ideas-box" };

  /** "explain", "ideas" or null, for a phone in `phase` (participant.js's phase()). */
  function which(phase, stage, outlier, reasonSent) {
    if (phase === "voting" || phase === "voted") return null;
    if (outlier && !reasonSent[stage.explain.round_id]) return "explain";
    return stage.ideas_open ? "ideas" : null;
  }

  /** A function to call after each drawing with what is asked now: it scrolls when that changes. */
  function follower() {
    var last = null;
    return function (now) {
      if (now && now !== last) document.getElementById(BOXES[now]).scrollIntoView({ block: "start" });
      last = now;
    };
  }

  window.PhoneAsks = { which: which, follower: follower };
})();
