// Rating forms: say clearly when an answer did not save, send it again until it is stored, and
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

  // An answer that did not reach the database is sent again, after 1, 2, 4 ... up to 30
  // seconds, until it is stored: a dropped request or a server error must not lose it, whether
  // or not the browser thinks it is online. A refusal (the answer itself is wrong) is not retried.
  const retries = new Map();
  const MAX_PAUSE = 30;

  function forget(element) {
    const pending = retries.get(element);
    if (pending) clearTimeout(pending.timer);
    retries.delete(element);
    unsaved.delete(element);
  }

  function sameQuestion(element) {
    if (element.type !== "radio") return [element];
    return [...unsaved].filter((other) => other.name === element.name);
  }

  function retryLater(element, why) {
    unsaved.add(element);
    const pending = retries.get(element) || { attempts: 0, timer: null };
    if (pending.timer) clearTimeout(pending.timer);
    pending.attempts += 1;
    const pause = Math.min(MAX_PAUSE, 2 ** (pending.attempts - 1));
    if (!navigator.onLine) {
      say(element, "Not saved yet: no connection. It will be sent when you are back online.", true);
      pending.timer = null;
    } else {
      const again = pending.attempts > 4 ? " Keep this page open; we keep trying." : "";
      say(element, `Not saved yet: ${why} Trying again in ${pause} s.${again}`, true);
      pending.timer = setTimeout(() => {
        pending.timer = null;
        if (element.type === "radio" && !element.checked) { forget(element); return; }
        window.htmx.trigger(element, "retry");
      }, pause * 1000);
    }
    retries.set(element, pending);
  }

  function plainText(xhr) {
    const type = xhr.getResponseHeader("Content-Type") || "";
    const text = (xhr.responseText || "").trim();
    return type.startsWith("text/plain") && text.length < 300 ? text : "";
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!retries.has(event.detail.elt)) say(event.detail.elt, "Saving…", false);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) {
      for (const element of sameQuestion(event.detail.elt)) forget(element);
      forget(event.detail.elt);
      countAnswered();
    }
  });
  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && xhr.status !== 408 && xhr.status !== 429) {
      forget(event.detail.elt);
      const message = plainText(xhr) || "this answer was refused.";
      say(event.detail.elt, `Not saved: ${message}`, true);
      return;
    }
    retryLater(event.detail.elt, "the server had a problem.");
  });
  document.addEventListener("htmx:sendError", (event) => {
    retryLater(event.detail.elt, "the answer did not reach the server.");
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
      if (element.type === "radio" && !element.checked) { forget(element); continue; }
      const pending = retries.get(element);
      if (pending && pending.timer) clearTimeout(pending.timer);
      window.htmx.trigger(element, "retry");
    }
  });
})();
