// Saves the answer form by itself a few seconds after typing stops, and says when it last
// saved. Without JavaScript the buttons do the same; nothing here is needed to answer.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector(".autosave-status");
  var version = form.querySelector("input[name=version]");
  var timer = null;
  var saving = false;
  var dirty = false;
  var stopped = false;
  var DELAY = 3000;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function save() {
    if (saving || stopped) {
      dirty = true;
      return;
    }
    saving = true;
    dirty = false;
    var data = new FormData(form);
    // Files are uploaded and removed with the buttons, never in the background.
    form.querySelectorAll("input[type=file], [data-autosave-skip]").forEach(function (input) {
      data.delete(input.name);
    });
    data.set("action", "autosave");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (result.ok && result.body.saved) {
          version.value = result.body.version;
          say("Sparat " + result.body.saved_at);
        } else if (result.body.reason === "conflict") {
          stopped = true;
          say("Svaren har ändrats i ett annat fönster. Tryck på Spara utkast för att välja vilken version som ska gälla.");
        } else if (result.body.reason === "closed") {
          stopped = true;
          say("Enkäten är stängd; svaren kan inte längre sparas.");
        } else {
          say("Kunde inte spara automatiskt. Tryck på Spara utkast.");
        }
      })
      .catch(function () {
        say("Kunde inte spara automatiskt just nu. Dina svar finns kvar på sidan.");
      })
      .then(function () {
        saving = false;
        if (dirty) {
          schedule();
        }
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    stopped = true;
  });
})();
