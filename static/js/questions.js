// What question fields do with JavaScript; without it every question is shown with its
// condition written out, dates are typed as text and the server checks file sizes.
// - Follow-up questions appear and disappear as the answers they depend on change, and a
//   polite live region says which; focus stays where it is (a follow-up always comes after
//   the question it depends on).
// - A date field becomes the browser's own date field where there is one and it shows
//   dates as ÅÅÅÅ-MM-DD (as a Swedish browser does); elsewhere it stays a text field, so
//   that what people see matches the hint.
// - Files too large are named before the form is sent, so nothing typed is lost.
(function () {
  "use strict";

  var status = document.querySelector(".conditions-status");

  function say(text) {
    if (status && text) {
      status.textContent = text;
    }
  }

  function chosen(form, name) {
    var value = "";
    var hidden = false;
    form.querySelectorAll("input[name='" + name + "']").forEach(function (input) {
      if (input.checked) {
        value = input.value;
      }
      if (input.closest("[hidden]")) {
        hidden = true;
      }
    });
    return hidden ? null : value;
  }

  function updateFollowUps(announce) {
    var changes = [];
    document.querySelectorAll("[data-condition-field]").forEach(function (element) {
      var form = element.closest("form");
      if (!form) {
        return;
      }
      var values = JSON.parse(element.getAttribute("data-condition-values") || "[]");
      var value = chosen(form, element.getAttribute("data-condition-field"));
      var show = value !== null && values.indexOf(value) !== -1;
      if (element.hidden === show) {
        element.hidden = !show;
        var template = status && status.getAttribute(show ? "data-shown" : "data-hidden");
        if (template) {
          changes.push(template.replace("{n}", element.getAttribute("data-question-number")));
        }
      }
    });
    if (announce) {
      say(changes.join(" "));
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      updateFollowUps(true);
    }
  });
  updateFollowUps(false);

  var probe = document.createElement("input");
  probe.setAttribute("type", "date");
  var isoDates = false;
  try {
    isoDates = new Intl.DateTimeFormat(navigator.language).format(new Date(2025, 2, 1)) === "2025-03-01";
  } catch (error) {
    isoDates = false;
  }
  if (probe.type === "date" && isoDates) {
    document.querySelectorAll("input[data-date-field]").forEach(function (input) {
      var typed = input.value;
      if (input.readOnly || (typed && !/^\d{4}-\d{2}-\d{2}$/.test(typed))) {
        return;
      }
      input.type = "date";
      if (typed && input.value !== typed) {
        // Not a day that exists: keep the text as typed, for the message beside it.
        input.type = "text";
        input.value = typed;
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var problems = [];
    var total = 0;
    form.querySelectorAll("input[type=file][data-max-file-bytes]").forEach(function (input) {
      var limit = Number(input.getAttribute("data-max-file-bytes"));
      Array.prototype.forEach.call(input.files || [], function (file) {
        total += file.size;
        if (file.size > limit) {
          problems.push({ input: input, name: file.name });
        }
      });
    });
    var requestLimit = Number(form.getAttribute("data-max-request-bytes") || 0);
    var tooMuch = requestLimit && total > requestLimit;
    if (!problems.length && !tooMuch) {
      return;
    }
    event.preventDefault();
    var first = problems.length ? problems[0].input : form.querySelector("input[type=file]");
    var message = problems.length
      ? first.getAttribute("data-too-large").replace("{name}", problems[0].name)
      : first.getAttribute("data-too-much");
    var error = first.parentNode.querySelector(".field-error[data-client]");
    if (!error) {
      error = document.createElement("p");
      error.className = "field-error";
      error.setAttribute("data-client", "");
      error.id = first.id + "-client-error";
      first.parentNode.insertBefore(error, first);
      first.setAttribute(
        "aria-describedby",
        (first.getAttribute("aria-describedby") || "") + " " + error.id
      );
    }
    error.textContent = message;
    first.focus();
  });
})();
