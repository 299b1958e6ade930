// Saves the answer form by itself a few seconds after typing stops, and says when it last
// saved. Without JavaScript the buttons do the same; nothing here is needed to answer.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector(".autosave-status");
  var offline = status ? status.getAttribute("data-offline") : "";
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
        // The server words every message in the page's language.
        if (result.ok && result.body.saved) {
          version.value = result.body.version;
        } else if (result.body.reason === "conflict" || result.body.reason === "closed") {
          stopped = true;
        }
        say(result.body.message || offline);
      })
      .catch(function () {
        say(offline);
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
