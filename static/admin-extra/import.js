// Polls the import job's status while it runs and reloads the page when it is finished.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-bar");
  var count = document.getElementById("job-count");
  var state = document.getElementById("job-state");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        if (!status.running) {
          window.location.reload();
          return;
        }
        state.textContent = status.state_label;
        if (status.total) {
          bar.max = status.total;
          bar.value = status.done;
          count.textContent = status.done + " / " + status.total;
        }
        window.setTimeout(poll, 700);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 300);
})();
