// The plenary view: shows the slide at the workshop's position, polls the position (the
// organizer's buttons move it), sends the arrow keys, Page Up/Down and space as steps, and
// reloads when the slides themselves changed (a new decision or settlement).
(function () {
  "use strict";
  var POLL_MS = 2000;
  var deck = document.getElementById("plenary");
  if (!deck) { return; }
  var slides = deck.querySelectorAll("section.slide");
  var count = document.getElementById("plenary-count");
  var MIN_SCALE = 0.3;
  function fit(slide) {
    // Shrink the slide's type step by step until its text fits the screen (no clipping).
    var scale = 1;
    slide.style.fontSize = "";
    while (slide.scrollHeight > slide.clientHeight + 1 && scale > MIN_SCALE) {
      scale -= 0.05;
      slide.style.fontSize = scale + "vh";
    }
    slide.setAttribute("data-scale", scale.toFixed(2));
  }
  function show(state) {
    if (state.digest !== deck.getAttribute("data-digest")) { window.location.reload(); return; }
    for (var i = 0; i < slides.length; i += 1) {
      slides[i].hidden = i !== state.position;
      if (i === state.position) { fit(slides[i]); }
    }
    deck.setAttribute("data-position", String(state.position));
    if (count) { count.textContent = (state.position + 1) + " / " + state.total; }
  }
  function request(url, options) {
    return fetch(url, options).then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) { if (state) { show(state); } })
      .catch(function () { /* the next poll tries again */ });
  }
  function step(direction) {
    request(deck.getAttribute("data-step-url"), {method: "POST", cache: "no-store",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({step: direction})});
  }
  var KEYS = {ArrowRight: "next", ArrowDown: "next", PageDown: "next", " ": "next",
              ArrowLeft: "previous", ArrowUp: "previous", PageUp: "previous", Home: "first"};
  document.addEventListener("keydown", function (event) {
    var direction = KEYS[event.key];
    if (direction) { event.preventDefault(); step(direction); }
  });
  window.addEventListener("resize", function () {
    var current = slides[Number(deck.getAttribute("data-position"))];
    if (current) { fit(current); }
  });
  function poll() {
    request(deck.getAttribute("data-state-url"), {cache: "no-store"})
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }
  show({position: Number(deck.getAttribute("data-position")), total: slides.length,
        digest: deck.getAttribute("data-digest")});
  window.setTimeout(poll, POLL_MS);
}());
