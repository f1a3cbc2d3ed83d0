/* The plan editor's line to the server (plan.js): JSON requests to the plan's URLs with the CSRF
 * header, one change of an item at a time and in order, retried a bounded number of times on a
 * network failure, and the save state shown to the organizer (#save-state).
 */
(function () {
  "use strict";
  var t = window.Live.t;
  var RETRY_MS = 3000, MAX_RETRIES = 5;

  /** The line to the plan at `BASE` (its URL prefix), sending `CSRF`, reporting in `stateNode`. */
  function PlanSaving(BASE, CSRF, stateNode) {
    var inFlight = 0;

    function send(method, path, body) {
      return fetch(BASE + path, {
        method: method, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF, "Accept": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; },
                                    function () { return { status: response.status, data: {} }; });
      });
    }

    function showState(state, text) {
      stateNode.dataset.state = state;
      stateNode.textContent = text;
    }

    function refusal(answer) {
      var error = (answer.data && answer.data.error) || {};
      if (error.code === "csrf") return t("expired");
      return t("save_refused", { message: error.message || "" });
    }

    var queues = {};  // item id -> the promise of its last change: one change of an item at a time

    /** Send a change of item `id` once its previous change is answered (so the version and the
     *  base are those the server last sent, never a stale copy of our own edit); `body` may be a
     *  function, called at sending time. Retried on a network failure; `done(answer)` at the end. */
    function change(id, method, path, body, done) {
      inFlight += 1;
      showState("saving", t("saving"));
      queues[id] = (queues[id] || Promise.resolve()).then(function () {
        return new Promise(function (finish) {
          var payload = typeof body === "function" ? body() : body;
          var attempt = function (tries) {
            send(method, path, payload).then(function (answer) {
              inFlight -= 1;
              finish();
              done(answer);
            }, function () {
              showState("error", t("save_failed"));
              if (tries < MAX_RETRIES) setTimeout(function () { attempt(tries + 1); }, RETRY_MS);
              else { inFlight -= 1; finish(); }
            });
          };
          attempt(0);
        });
      });
    }

    return { send: send, change: change, showState: showState, refusal: refusal,
             busy: function () { return inFlight > 0; } };
  }

  window.PlanSaving = PlanSaving;
})();
