// The console's live behaviour on top of htmx's SSE extension: a new escalation beeps,
// shows in the alert bar and in the tab's title; the transcript stays scrolled to the end.
(function () {
  "use strict";
  var baseTitle = document.title;
  window.recallAlerts = 0; // how many alerts this tab has shown (read by the browser tests)

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      var audio = beep.context || (beep.context = new Context());
      if (audio.state === "suspended") audio.resume();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
      window.recallAlertSounds = (window.recallAlertSounds || 0) + 1;
    } catch (err) { /* no sound device: the badge and the bar still show it */ }
  }

  function scrollTranscript() {
    var list = document.getElementById("transcript");
    if (list) list.scrollTop = list.scrollHeight;
  }

  document.addEventListener("htmx:sseMessage", function (event) {
    var target = event.target;
    if (target.id === "alert") {
      window.recallAlerts += 1;
      target.classList.add("shown");
      beep();
    } else if (target.id === "nav-badge") {
      var count = parseInt(target.textContent, 10) || 0;
      target.classList.toggle("quiet", count === 0);
      document.title = count ? "(" + count + ") " + baseTitle : baseTitle;
    } else if (target.id === "transcript") {
      scrollTranscript();
    }
  });
  document.addEventListener("DOMContentLoaded", scrollTranscript);
})();
