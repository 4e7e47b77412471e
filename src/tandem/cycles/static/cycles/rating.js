// Rating forms: answers are sent as they are given, the ones given in the same moment together
// in one request; each question says "Saved" only once the server has stored its answer, says
// clearly when it did not, and sends it again until it is stored. Answers given before the page
// had finished loading are sent too. Without this script the form keeps its "save my answers"
// button, which posts every answer at once. Every text it shows comes from the sheet's data-*
// attributes, which the template fills in the reader's language.
(() => {
  const sheet = document.querySelector("[data-sheet]");
  if (!sheet) return;
  const url = sheet.dataset.answerUrl;
  const words = sheet.dataset;
  // A text with its {placeholders} filled in.
  const fill = (text, values) => (text || "").replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  const csrf = (sheet.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  const QUIET_MS = 300; // answers chosen within this pause of each other travel together
  const TYPING_MS = 800; // a comment is sent once the typing pauses
  const MAX_PAUSE = 30;
  const pending = new Set(); // question ids whose current answer is not stored yet
  let sending = false;
  let timer = null;
  let attempts = 0;

  function say(id, text, problem) {
    const status = document.getElementById(`status-${id}`);
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("problem", problem);
  }

  function valueOf(id) {
    const fields = sheet.querySelectorAll(`[name="${CSS.escape(id)}"]`);
    for (const field of fields) {
      if (field.type === "radio") { if (field.checked) return field.value; } else return field.value;
    }
    return "";
  }

  function countAnswered() {
    const progress = document.getElementById("progress");
    if (!progress || !progress.dataset.template) return;
    const groups = new Set([...sheet.querySelectorAll("input[type=radio]")].map((r) => r.name));
    const answered = [...groups].filter((name) => sheet.querySelector(`input[name="${CSS.escape(name)}"]:checked`));
    progress.textContent = fill(progress.dataset.template, { answered: answered.length, total: groups.size });
  }

  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(send, delay);
  }

  function given(id, delay) {
    pending.add(id);
    if (attempts === 0) say(id, words.saving, false);
    schedule(attempts === 0 ? delay : Math.max(delay, 1000));
  }

  function waitAndRetry(why) {
    attempts += 1;
    const pause = Math.min(MAX_PAUSE, 2 ** (attempts - 1));
    const again = attempts > 4 ? ` ${words.keepOpen}` : "";
    for (const id of pending) say(id, fill(words.retrying, { why, seconds: pause }) + again, true);
    schedule(pause * 1000);
  }

  async function send() {
    timer = null;
    if (sending || pending.size === 0) return;
    if (!navigator.onLine) {
      for (const id of pending) say(id, words.offline, true);
      return;
    }
    const batch = new Map([...pending].map((id) => [id, valueOf(id)]));
    pending.clear();
    const body = new URLSearchParams();
    for (const [id, value] of batch) { body.append("item", id); body.append(id, value); }
    sending = true;
    let response = null;
    let data = null;
    try {
      response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      data = await response.json().catch(() => null);
    } catch (error) {
      response = null;
    }
    sending = false;
    // An answer changed while this batch travelled is already pending again: its newer value
    // goes next, and its status waits for that.
    const changed = (id) => pending.has(id) || valueOf(id) !== batch.get(id);
    if (response && data && (response.ok || response.status === 400)) {
      attempts = 0;
      for (const id of data.saved || []) if (!changed(id)) say(id, words.saved, false);
      for (const [id, why] of Object.entries(data.refused || {})) if (!changed(id)) say(id, fill(words.notSaved, { why }), true);
      if (data.error) for (const id of batch.keys()) if (!changed(id)) say(id, fill(words.notSaved, { why: data.error }), true);
      for (const id of batch.keys()) if (changed(id)) pending.add(id);
      countAnswered();
      if (pending.size) schedule(0);
      return;
    }
    if (response && response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status)) {
      // Refused as a whole (the page is too old to post, say): sending it again will not help.
      for (const id of batch.keys()) say(id, words.refused, true);
      return;
    }
    for (const id of batch.keys()) pending.add(id);
    waitAndRetry(response ? words.serverProblem : words.unreachable);
  }

  sheet.addEventListener("change", (event) => {
    const field = event.target;
    if (field.type === "radio") given(field.name, QUIET_MS);
  });
  sheet.addEventListener("input", (event) => {
    const field = event.target;
    if (field.tagName === "TEXTAREA") given(field.name, TYPING_MS);
  });
  window.addEventListener("online", () => { if (pending.size) { attempts = 0; schedule(0); } });

  // From here on answers save as they are given: the "save my answers" button is not needed.
  // An answer given while the page was still loading had nobody listening yet, so send every
  // answer the page does not already show as saved.
  for (const saveAll of sheet.querySelectorAll("[data-save-all]")) saveAll.hidden = true;
  const early = [
    ...[...sheet.querySelectorAll("input[type=radio]:checked")].map((r) => r.name),
    ...[...sheet.querySelectorAll("textarea")].filter((a) => a.value.trim() !== "").map((a) => a.name),
  ];
  for (const id of early) {
    const status = document.getElementById(`status-${id}`);
    if (status && status.textContent.trim() === "") given(id, 0);
  }
})();
