// The people picker (tandem/people/picker.py): choose names from a type-ahead list with the
// mouse or the keyboard. Arrow keys move through the list, Enter chooses, Escape closes it.
// Without this script the search box still works: type a full name and send the form.
(() => {
  function parts(element) {
    const picker = element.closest("[data-picker]");
    if (!picker) return null;
    return {
      picker,
      input: picker.querySelector("input[role=combobox]"),
      list: picker.querySelector("[role=listbox]"),
      chosen: picker.querySelector(".picker-chosen"),
      multiple: picker.dataset.multiple === "1",
      name: picker.dataset.name,
    };
  }

  function options(p) {
    return [...p.list.querySelectorAll("[role=option][data-id]")];
  }

  function close(p) {
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activate(p, option) {
    for (const o of options(p)) o.setAttribute("aria-selected", String(o === option));
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(p, option) {
    const id = option.dataset.id;
    if (!p.multiple) p.chosen.replaceChildren();
    if (!p.chosen.querySelector(`input[value="${id}"]`)) {
      const chip = document.createElement("li");
      chip.className = "chip";
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = p.name;
      hidden.value = id;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.dataset.remove = "";
      // The words come from the page, in its language: data-remove-label="Remove {name}".
      const label = p.picker.dataset.removeLabel || "Remove {name}";
      remove.setAttribute("aria-label", label.replace("{name}", option.dataset.name));
      remove.textContent = "×";
      chip.append(hidden, option.dataset.name, " ");
      if (option.dataset.about) {
        const about = document.createElement("span");
        about.className = "muted";
        about.textContent = option.dataset.about;
        chip.append(about, " ");
      }
      chip.append(remove);
      p.chosen.append(chip);
    }
    p.input.value = "";
    close(p);
    p.input.focus();
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const p = parts(event.detail.elt);
    if (!p || event.detail.elt !== p.input) return;
    event.detail.parameters.q = p.input.value;
    const taken = [...p.chosen.querySelectorAll("input[type=hidden]")].map((i) => i.value);
    if (taken.length) event.detail.parameters.exclude = taken.join(",");
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const p = parts(event.detail.target);
    if (!p || event.detail.target !== p.list) return;
    const open = p.list.children.length > 0 && p.input.value.trim() !== "";
    p.list.hidden = !open;
    p.input.setAttribute("aria-expanded", String(open));
    activate(p, null);
  });

  document.addEventListener("keydown", (event) => {
    const p = parts(event.target);
    if (!p || event.target !== p.input) return;
    const all = options(p);
    const current = all.findIndex((o) => o.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (p.list.hidden || !all.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      activate(p, all[(current + step + all.length) % all.length]);
    } else if (event.key === "Enter") {
      if (p.list.hidden || !all.length) return;  // no list open: Enter sends the form
      event.preventDefault();
      choose(p, all[current >= 0 ? current : 0]);
    } else if (event.key === "Escape" && !p.list.hidden) {
      event.preventDefault();
      close(p);
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const p = parts(target);
    if (!p) return;
    const option = target.closest("[role=option][data-id]");
    if (option) { choose(p, option); return; }
    if (target.closest("[data-remove]")) {
      target.closest(".chip").remove();
      p.input.focus();
    }
  });

  document.addEventListener("focusout", (event) => {
    const p = parts(event.target);
    if (!p) return;
    setTimeout(() => { if (!p.picker.contains(document.activeElement)) close(p); }, 150);
  });
})();
