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
  var changesNotice = document.querySelector("[data-changes-notice]");
  var timer = null;
  var saving = false;
  var dirty = false;
  var stopped = false;
  var DELAY = 3000;
  // The questions changed since the last save (by id): only they are sent, and the
  // server keeps the others as saved. Question fields are named q<id>_<part>.
  // The board answer's form (without data-autosave-changed-only) still sends everything:
  // its server compares each answer with what its writer last saw.
  var changedOnly = form.hasAttribute("data-autosave-changed-only");
  var changed = {};
  var FIELD = /^q(\d+)_/;

  function questionOf(name) {
    var match = FIELD.exec(name || "");
    return match ? match[1] : null;
  }

  function markChanged(event) {
    var id = questionOf(event.target && event.target.name);
    if (id) {
      changed[id] = true;
    }
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // An answer the server did not store gets the reason at its field, as after a full save.
  function describedBy(field, id, add) {
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    });
    if (add) {
      ids.push(id);
    }
    if (ids.length) {
      field.setAttribute("aria-describedby", ids.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
  }

  function showFieldErrors(errors) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-autosave-error]"), function (old) {
      var field = document.getElementById(old.getAttribute("data-autosave-error"));
      if (field && !(errors && errors[field.name])) {
        field.removeAttribute("aria-invalid");
        describedBy(field, old.id, false);
        if (field.closest("fieldset")) {
          field.closest("fieldset").classList.remove("form-group-error");
        }
      }
      old.parentNode.removeChild(old);
    });
    Object.keys(errors || {}).forEach(function (name) {
      var field = form.querySelector("[name='" + name + "']");
      if (!field) {
        return;
      }
      var existing = document.getElementById(name + "-error");
      if (existing) {
        existing.parentNode.removeChild(existing);
      }
      var message = document.createElement("p");
      message.className = "field-error";
      message.id = name + "-error";
      message.setAttribute("data-autosave-error", field.id);
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = (form.getAttribute("data-error-prefix") || "Fel") + ": ";
      message.appendChild(prefix);
      message.appendChild(document.createTextNode(errors[name]));
      field.parentNode.insertBefore(message, field);
      field.setAttribute("aria-invalid", "true");
      describedBy(field, message.id, true);
      if (field.closest("fieldset")) {
        field.closest("fieldset").classList.add("form-group-error");
      }
    });
  }

  function save() {
    if (saving || stopped) {
      dirty = true;
      return;
    }
    saving = true;
    dirty = false;
    var sending = changed;
    changed = {};
    var data = new FormData(form);
    // Files are uploaded and removed with the buttons, never in the background.
    form.querySelectorAll("input[type=file], [data-autosave-skip]").forEach(function (input) {
      data.delete(input.name);
    });
    if (changedOnly) {
      var names = [];
      data.forEach(function (value, name) {
        var id = questionOf(name);
        if (id && !sending[id] && names.indexOf(name) < 0) {
          names.push(name);
        }
      });
      names.forEach(function (name) {
        data.delete(name);
      });
      data.set("autosave_questions", Object.keys(sending).join(" "));
    }
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
        var body = result.body;
        // A board answer: each answer this save wrote is now the one the page shows.
        Object.keys(body.seen || {}).forEach(function (name) {
          var seen = form.querySelector("input[name='" + name + "']");
          if (seen) {
            seen.value = body.seen[name];
          }
        });
        if (result.ok && body.version) {
          // Also when an answer was refused: the others were saved as a new version. A
          // refused answer is sent again with the next save.
          if (version) {
            version.value = body.version;
          }
          Object.keys(body.errors || {}).forEach(function (name) {
            if (questionOf(name)) {
              changed[questionOf(name)] = true;
            }
          });
          showFieldErrors(body.errors);
          if (changesNotice && body.changes) {
            changesNotice.hidden = false;
          }
        } else if (body.reason === "conflict" || body.reason === "closed") {
          stopped = true;
        }
        if (!result.ok) {
          restore(sending);
        }
        // The server words every message in the page's language.
        say(body.message || offline);
      })
      .catch(function () {
        restore(sending);
        say(offline);
      })
      .then(function () {
        saving = false;
        if (dirty) {
          schedule();
        }
      });
  }

  // What was not saved is sent again with the next save.
  function restore(sent) {
    Object.keys(sent).forEach(function (id) {
      changed[id] = true;
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  // Under each long text field: how many characters there are of the limit. The count
  // itself is not announced on every key; a polite message is, when the text comes near
  // the limit or goes over it.
  var numberFormat = window.Intl ? new Intl.NumberFormat(document.documentElement.lang || "sv") : null;

  function formatted(n) {
    return numberFormat ? numberFormat.format(n) : String(n);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key];
    });
  }

  function counter(hint) {
    var field = document.getElementById(hint.id.replace(/-count$/, ""));
    var limit = parseInt(hint.getAttribute("data-limit"), 10);
    if (!field || !limit) {
      return;
    }
    var visible = document.createElement("span");
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    hint.textContent = "";
    hint.appendChild(visible);
    hint.appendChild(live);
    var state = "";

    function update(silent) {
      var count = field.value.length;
      var values = { count: formatted(count), limit: formatted(limit), left: formatted(limit - count) };
      var now = count > limit ? "over" : count >= limit * 0.9 ? "near" : "ok";
      visible.textContent = fill(hint.getAttribute(now === "over" ? "data-over-text" : "data-count-text"), values);
      hint.classList.toggle("char-count-over", now === "over");
      if (now !== state && !silent) {
        live.textContent = now === "over" ? visible.textContent
          : now === "near" ? fill(hint.getAttribute("data-near-text"), values) : "";
      }
      state = now;
    }

    field.addEventListener("input", function () {
      update(false);
    });
    update(true);
  }

  Array.prototype.forEach.call(form.querySelectorAll(".char-count[data-limit]"), counter);

  // The first sign of a person in the form (a focus or a key) tells the server that the
  // link was opened by someone, not by a mail scanner fetching it. Sent once.
  var opened = form.getAttribute("data-opened");
  function sendOpened() {
    form.removeEventListener("focusin", sendOpened);
    form.removeEventListener("keydown", sendOpened);
    var data = new FormData();
    data.set("csrf_token", form.querySelector("input[name=csrf_token]").value);
    if (navigator.sendBeacon) {
      navigator.sendBeacon(opened, data);
    } else {
      fetch(opened, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
    }
  }
  if (opened) {
    form.addEventListener("focusin", sendOpened);
    form.addEventListener("keydown", sendOpened);
  }

  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    stopped = true;
  });
})();
