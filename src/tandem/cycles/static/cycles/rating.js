// Rating forms: say clearly when an answer did not save, retry once the connection is back, and
// send answers given before the page had finished loading. Without this script (or htmx) the
// form keeps its "save my answers" button, which posts every answer at once.
(() => {
  const unsaved = new Set();

  function statusOf(element) {
    const question = element.closest(".question");
    return question ? question.querySelector(".save-status") : null;
  }

  function say(element, text, problem) {
    const status = statusOf(element);
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("problem", problem);
  }

  function countAnswered() {
    const progress = document.getElementById("progress");
    const sheet = document.querySelector("[data-sheet]");
    if (!progress || !sheet) return;
    const groups = new Set([...sheet.querySelectorAll("input[type=radio]")].map((r) => r.name));
    const answered = [...groups].filter((name) => sheet.querySelector(`input[name="${name}"]:checked`));
    progress.textContent = `${answered.length} of ${groups.size} answered.`;
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    say(event.detail.elt, "Saving…", false);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) {
      unsaved.delete(event.detail.elt);
      countAnswered();
    }
  });
  document.addEventListener("htmx:responseError", (event) => {
    const message = event.detail.xhr.responseText || "This answer could not be saved.";
    say(event.detail.elt, `Not saved: ${message}`, true);
  });
  document.addEventListener("htmx:sendError", (event) => {
    unsaved.add(event.detail.elt);
    say(event.detail.elt, "Not saved yet: no connection. It will be sent when you are back online.", true);
  });
  // Once htmx is ready, answers save one by one: the "save my answers" button is no longer
  // needed. An answer given while the page was still loading had nobody listening yet, so send
  // every chosen answer the page does not already show as saved.
  window.htmx.onLoad((loaded) => {
    if (loaded !== document.body) return;
    const sheet = document.querySelector("[data-sheet]");
    if (!sheet) return;
    for (const saveAll of sheet.querySelectorAll("[data-save-all]")) saveAll.hidden = true;
    const given = [
      ...sheet.querySelectorAll("input[type=radio]:checked"),
      ...[...sheet.querySelectorAll("textarea")].filter((area) => area.value.trim() !== ""),
    ];
    for (const field of given) {
      const status = statusOf(field);
      if (status && status.textContent.trim() === "") window.htmx.trigger(field, "retry");
    }
  });
  // Every answer field also listens for "retry" (see its hx-trigger): send it again as it is.
  window.addEventListener("online", () => {
    for (const element of [...unsaved]) {
      if (element.type === "radio" && !element.checked) { unsaved.delete(element); continue; }
      window.htmx.trigger(element, "retry");
    }
  });
})();
