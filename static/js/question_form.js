// The question form shows only the settings of the chosen kind of answer. Without
// JavaScript every setting is shown, each saying which kinds it is for.
(function () {
  "use strict";
  var kind = document.querySelector("select[name=kind]");
  if (!kind) {
    return;
  }
  function update() {
    document.querySelectorAll(".kind-setting[data-kinds]").forEach(function (setting) {
      var kinds = setting.getAttribute("data-kinds").split(" ");
      setting.hidden = kinds.indexOf(kind.value) === -1;
    });
  }
  kind.addEventListener("change", update);
  update();
})();
