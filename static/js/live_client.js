/* The live screens' socket client (docs/protocol.md): connect with `auth`, show the connection
 * state in #conn-banner (and a refusal in #fatal), and send events that the Socket.IO client itself resends until the
 * server acknowledges them (`ackTimeout`, `retries`: a bounded number of tries; a send waits
 * for the connection without using them up). When the bound is reached the page says so in
 * #send-failed and offers to try again: nothing is dropped silently, and the server makes the
 * copies harmless ("Sending an event twice").
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t;

  // Above the server's wait for a locked database (WRITE_WAIT_SECONDS, workshop/store/faults.py),
  // so its answer, even database_busy, arrives before the page gives up waiting.
  var ACK_TIMEOUT_MS = 8000;
  // Tries after the first, each waiting ACK_TIMEOUT_MS (or ended by a lost connection).
  var RETRIES = 4;

  function Banner(node) {
    this.node = node;
  }
  Banner.prototype.show = function (state) {
    if (!this.node) return;
    this.node.dataset.state = state;
    this.node.hidden = state === "online";
    this.node.textContent = state === "online" ? "" : t("conn_" + state);
  };

  /** The sends that ran out of tries: #send-failed shows while there are any; its button sends
   * them all again. */
  function Undelivered(node) {
    var jobs = [];
    var button = node ? node.querySelector("button") : null;
    function show() { if (node) node.hidden = jobs.length === 0; }
    if (button) {
      button.addEventListener("click", function () {
        var again = jobs;
        jobs = [];
        show();
        again.forEach(function (job) { job.retry(); });
      });
    }
    return {
      add: function (job) { jobs.push(job); show(); },
      /** Forget a job (a newer payload replaced it); true when it was waiting here. */
      drop: function (job) {
        var i = jobs.indexOf(job);
        if (i >= 0) { jobs.splice(i, 1); show(); }
        return i >= 0;
      },
    };
  }

  /** The server refused the screen (a wrong link, a closed session): its reason in #fatal. */
  function showRefusal(data) {
    var node = L.fill("fatal", data && data.message ? data.message : t("refused"));
    if (node) node.hidden = false;
  }

  function watchConnection(socket, banner) {
    var everConnected = false;
    banner.show("connecting");
    socket.on("connect", function () {
      everConnected = true;
      banner.show("online");
    });
    socket.on("disconnect", function (reason) {
      banner.show(navigator.onLine === false ? "offline" : "reconnecting");
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", function (err) {
      if (!socket.active) {
        banner.show("refused");
        showRefusal(err && err.data ? err.data : {});
        return;
      }
      banner.show(navigator.onLine === false ? "offline" : everConnected ? "reconnecting" : "connecting");
    });
    window.addEventListener("offline", function () { if (!socket.connected) banner.show("offline"); });
    window.addEventListener("online", function () {
      if (!socket.connected) { banner.show("reconnecting"); socket.connect(); }
    });
  }

  /**
   * connect({auth: () => object, onSnapshot, on: {event: fn}})
   * Returns {socket, send(event, payload, options) -> Promise<ack>}.
   */
  function connect(options) {
    /* global io */
    var socket = io({
      auth: function (cb) { cb(options.auth()); },
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      ackTimeout: ACK_TIMEOUT_MS,
      retries: RETRIES,
    });
    watchConnection(socket, new Banner(document.getElementById("conn-banner")));
    socket.on("snapshot", function (data) { options.onSnapshot(data); });
    Object.keys(options.on || {}).forEach(function (name) { socket.on(name, options.on[name]); });

    var undelivered = new Undelivered(document.getElementById("send-failed"));
    var queues = {};

    /** Send a job's event; it resolves with the acknowledgement, however many tries it takes. */
    function deliver(job) {
      job.retry = function () {
        socket.emit(job.event, job.payload, function (err, ack) {
          if (err) { undelivered.add(job); return; }
          job.resolve(ack || { ok: false, error: { code: "server_error", message: t("server_error") } });
        });
      };
      job.retry();
    }

    /**
     * send(event, payload, {queue: "vote"}): with a queue name, one event of that queue is in
     * flight at a time and a newer payload replaces one still waiting (or one that ran out of
     * tries), so the last tap wins.
     */
    function send(event, payload, opts) {
      var queue = opts && opts.queue;
      return new Promise(function (resolve) {
        var job = { event: event, payload: payload, resolve: resolve };
        if (!queue) { deliver(job); return; }
        var q = queues[queue] || (queues[queue] = { busy: null, next: null });
        if (q.next) q.next.resolve({ ok: false, superseded: true });
        q.next = job;
        if (q.busy && undelivered.drop(q.busy)) q.busy.resolve({ ok: false, superseded: true });  // pumps
        pump(q);
      });
    }

    function pump(q) {
      if (q.busy || !q.next) return;
      var job = q.next, resolve = job.resolve;
      q.next = null;
      q.busy = job;
      job.resolve = function (ack) {
        if (q.busy === job) q.busy = null;
        resolve(ack);
        pump(q);
      };
      deliver(job);
    }

    return { socket: socket, send: send };
  }

  L.connect = connect;
})();
