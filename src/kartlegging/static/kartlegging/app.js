// Kartlegging: small progressive enhancements on top of htmx.
// Everything works without this file; it only shows and hides conditional
// questions after an autosave and reports saves that could not reach the server.
(function () {
  "use strict";

  // The role="status" region itself stays in the page; only its text changes, so
  // screen readers announce it (autosave responses swap the same way, see _save_status.html).
  function status(text, failed) {
    var el = document.getElementById("lagrestatus");
    if (!el) return;
    var message = document.createElement("span");
    message.className = failed ? "lagretekst feilet" : "lagretekst";
    message.textContent = text;
    el.replaceChildren(message);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-bare").forEach(function (el) { el.hidden = false; });
    var focus = document.querySelector("[data-fokus]");
    if (focus) focus.focus();
  });

  document.addEventListener("kartlegging:lagret", function (event) {
    var detail = event.detail || {};
    if (!detail.synlige && detail.value) detail = detail.value;
    var visible = detail.synlige || [];
    document.querySelectorAll("[data-sporsmal]").forEach(function (el) {
      el.hidden = visible.indexOf(el.getAttribute("data-sporsmal")) === -1;
    });
    var question = document.querySelector('[data-sporsmal="' + detail.sporsmal + '"]');
    if (question) {
      question.querySelectorAll("input:not([type=hidden]), textarea").forEach(function (input) {
        if (detail.gyldig) input.removeAttribute("aria-invalid");
        else input.setAttribute("aria-invalid", "true");
      });
    }
  });

  var pending = 0;
  document.addEventListener("htmx:beforeRequest", function () { pending += 1; });
  document.addEventListener("htmx:afterRequest", function () { pending = Math.max(0, pending - 1); });
  document.addEventListener("htmx:sendError", function () {
    status("Ikke lagret – fikk ikke kontakt med serveren. Sjekk nettforbindelsen og trykk «Lagre».", true);
  });
  document.addEventListener("htmx:responseError", function () {
    status("Ikke lagret – noe gikk galt hos oss. Prøv igjen, eller trykk «Lagre».", true);
  });
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0) { event.preventDefault(); event.returnValue = ""; }
  });
})();
