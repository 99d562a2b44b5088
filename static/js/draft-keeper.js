// Keeps what a person types in the work editor in this browser (localStorage) until the server has it,
// so that text typed while the connection drops is offered back on the next visit. Served from the app
// itself: the CSP allows no inline script.
(function () {
  "use strict";
  var storage;
  try {
    storage = window.localStorage;
  } catch (error) {
    return; // storage disabled: the editor works as before, without the safety net
  }
  if (!storage) return;

  // After a submission the editor is gone: what was kept for it is in the attempt now.
  document.querySelectorAll("[data-keep-clear]").forEach(function (element) {
    storage.removeItem(element.getAttribute("data-keep-clear"));
  });

  var box = document.querySelector("textarea[data-keep-key]");
  if (!box) return;
  var key = box.getAttribute("data-keep-key");
  var notice = document.getElementById("kept-draft");

  function kept() {
    try {
      var value = JSON.parse(storage.getItem(key) || "null");
      return value && typeof value.text === "string" ? value : null;
    } catch (error) {
      return null;
    }
  }

  function keep() {
    try {
      storage.setItem(key, JSON.stringify({ text: box.value, typedAt: new Date().toISOString() }));
    } catch (error) {
      // full or refused: nothing to do, the server copy still works
    }
  }

  var found = kept();
  if (found && found.text === box.value) {
    storage.removeItem(key); // the server has this text: nothing to offer
  } else if (found && notice) {
    notice.hidden = false;
    notice.querySelector("[data-keep-restore]").addEventListener("click", function () {
      box.value = found.text;
      notice.hidden = true;
      box.focus();
    });
    notice.querySelector("[data-keep-discard]").addEventListener("click", function () {
      storage.removeItem(key);
      notice.hidden = true;
    });
  }
  box.addEventListener("input", keep);
})();
