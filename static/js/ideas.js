/* The room's ideas, strengths and OFIs of a criterion in the order every screen lists them: most
 * upvoted first, then the oldest first (the phone, the projector and the facilitator's curation).
 */
(function () {
  "use strict";

  /** The ideas (id -> IDEA) of a criterion code (all of them when none is given), in order. */
  function ideasOf(ideas, criterion) {
    return Object.keys(ideas).map(function (id) { return ideas[id]; })
      .filter(function (idea) { return !criterion || idea.criterion === criterion; })
      .sort(function (a, b) { return b.upvotes - a.upvotes || a.id - b.id; });
  }

  window.Live.ideasOf = ideasOf;
})();
