// Tandem's only script of its own: small progressive enhancements; every page works without it.
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.open) return;
  const branch = details.querySelector(":scope > [data-branch-url]");
  if (branch && !branch.dataset.loaded && window.htmx) {
    branch.dataset.loaded = "1";
    window.htmx.ajax("GET", branch.dataset.branchUrl, { target: branch, swap: "innerHTML" });
  }
}, true);
