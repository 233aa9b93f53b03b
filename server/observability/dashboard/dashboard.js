// Live dashboard: subscribes to /api/events (Server-Sent Events) and plots the last two minutes.
// Plain script (no build step), served under the app's strict CSP.
(function () {
  'use strict';
  var SERIES = [
    { key: 'peers', label: 'Connected peers', fmt: function (v) { return String(v); } },
    { key: 'rooms', label: 'Rooms', fmt: function (v) { return String(v); } },
    { key: 'signalsPerSec', label: 'Signals / s', fmt: function (v) { return v.toFixed(1); } },
    { key: 'relayMbps', label: 'Relayed Mbit/s', fmt: function (v) { return v.toFixed(2); } },
    { key: 'allocations', label: 'TURN allocations', fmt: function (v) { return String(v); } },
  ];
  var KEEP = 120;
  var samples = [];
  var main = document.getElementById('charts');
  var status = document.getElementById('status');
  var cards = SERIES.map(function (s) {
    var sec = document.createElement('section');
    sec.dataset.testid = 'chart-' + s.key;
    sec.innerHTML = '<h2></h2><div class="value">–</div><canvas width="600" height="160"></canvas>';
    sec.querySelector('h2').textContent = s.label;
    main.appendChild(sec);
    return { s: s, value: sec.querySelector('.value'), canvas: sec.querySelector('canvas') };
  });

  function draw(card) {
    var ctx = card.canvas.getContext('2d');
    var w = card.canvas.width, h = card.canvas.height;
    ctx.clearRect(0, 0, w, h);
    var vals = samples.map(function (x) { return x[card.s.key]; });
    if (!vals.length) return;
    var max = Math.max.apply(null, vals.concat([1]));
    ctx.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue('--line') || '#3b6fd8';
    ctx.lineWidth = 3;
    ctx.beginPath();
    vals.forEach(function (v, i) {
      var x = (i / (KEEP - 1)) * w;
      var y = h - 6 - (v / max) * (h - 12);
      if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    });
    ctx.stroke();
    card.value.textContent = card.s.fmt(vals[vals.length - 1]);
  }

  var token = new URLSearchParams(location.search).get('token');
  var es = new EventSource('/api/events' + (token ? '?token=' + encodeURIComponent(token) : ''));
  es.addEventListener('sample', function (e) {
    var s = JSON.parse(e.data);
    samples.push(s);
    if (samples.length > KEEP) samples.shift();
    status.textContent = 'live · ' + new Date(s.t).toLocaleTimeString();
    cards.forEach(draw);
  });
  es.onerror = function () { status.textContent = 'reconnecting…'; };
  window.switchboardDashboard = { samples: samples };
})();
