/* The interactive cascade map. Loaded as a file (the CSP allows no inline script); it reads
   the JSON endpoint named in the container's data-src and draws it with the vendored ECharts.
   Its words come from the page, in the reader's language: the container's data-word-*
   attributes ("{team}" and the like stand for values). The English below is only a fallback.
   On a right-to-left page the tree grows from right to left. */
(function () {
  "use strict";

  var COLOURS = {
    ok: "#1d7a3a",
    stale: "#9a6200",
    unlinked: "#b42318",
    untranslated: "#b42318",
    vision: "#7a3fc4"
  };
  var WORDS = {
    ok: "Aligned",
    stale: "Stale: check and confirm",
    unlinked: "No link upward",
    untranslated: "No translation yet",
    vision: "The vision",
    again: "(again)",
    teamOf: "Team of {team}",
    owner: "owner {owner}",
    understanding: "Understanding {score} / 5",
    understandingNote: "Understanding: {note}",
    repeated: "Also shown under another goal",
    failed: "The map could not be drawn. The list version of the cascade has the same content."
  };

  // The page's words (data-word-ok="…" on the container) over the English fallback.
  function readWords(container) {
    Object.keys(WORDS).forEach(function (key) {
      var attribute = "word" + key.charAt(0).toUpperCase() + key.slice(1);
      if (container.dataset[attribute]) {
        WORDS[key] = container.dataset[attribute];
      }
    });
  }

  // A sentence from the page with its "{name}" slots filled; values are escaped by the caller.
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (slot, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : slot;
    });
  }

  function rtl() {
    return document.documentElement.dir === "rtl";
  }

  // Goal titles and names are user text: escape them before they reach tooltip HTML.
  function escapeHtml(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function shorten(text, length) {
    return text.length > length ? text.slice(0, length - 1) + "…" : text;
  }

  function decorate(node) {
    var colour = COLOURS[node.health] || "#5b6478";
    var label = shorten(node.name, 36);
    if (node.score != null) {
      label += "  ·  " + node.score.toFixed(1) + "/5";
    }
    if (node.hazards) {
      label += "  ⚠ " + node.hazards;
    }
    if (node.repeated) {
      label += " " + WORDS.again;
    }
    var out = {
      name: label,
      value: node.score,
      raw: node,
      itemStyle: { color: colour, borderColor: colour },
      symbolSize: node.kind === "vision" ? 18 : node.kind === "group" ? 12 : 10,
      children: (node.children || []).map(decorate)
    };
    if (node.kind === "group") {
      out.label = { fontStyle: "italic", color: colour };
    }
    if (node.repeated) {
      // A goal under several parents is drawn in full once; its other places are faint.
      out.itemStyle.opacity = 0.45;
      out.label = { color: "#5b6478" };
    }
    return out;
  }

  function tooltip(params) {
    var node = params.data && params.data.raw;
    if (!node) {
      return "";
    }
    var lines = ["<strong>" + escapeHtml(node.name) + "</strong>"];
    if (node.kind === "vision" && node.destination) {
      lines.push(escapeHtml(shorten(node.destination, 140)));
    }
    if (node.team) {
      lines.push(
        fill(escapeHtml(WORDS.teamOf), { team: escapeHtml(node.team) }) +
          (node.owner ? " · " + fill(escapeHtml(WORDS.owner), { owner: escapeHtml(node.owner) }) : "")
      );
    }
    if (node.kind !== "group") {
      lines.push(escapeHtml(WORDS[node.health] || node.health));
    }
    if (node.score != null) {
      lines.push(fill(escapeHtml(WORDS.understanding), { score: node.score.toFixed(1) }));
    } else if (node.score_note) {
      lines.push(fill(escapeHtml(WORDS.understandingNote), { note: escapeHtml(node.score_note) }));
    }
    if (node.hazards) {
      // The count in words comes with the data, in the reader's language and plural.
      lines.push(escapeHtml(node.hazards_note || node.hazards + (node.hazards === 1 ? " open hazard" : " open hazards")));
    }
    if (node.repeated) {
      lines.push("<em>" + escapeHtml(WORDS.repeated) + "</em>");
    }
    return lines.join("<br>");
  }

  function draw(container, data) {
    container.textContent = "";
    var chart = window.echarts.init(container, null, { renderer: "canvas" });
    // Right to left: the vision on the right, labels on the other side of their dots.
    var back = rtl();
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "item", triggerOn: "mousemove", formatter: tooltip, confine: true },
      series: [
        {
          type: "tree",
          data: [decorate(data.tree)],
          orient: back ? "RL" : "LR",
          top: "4%",
          bottom: "4%",
          left: back ? "22%" : "12%",
          right: back ? "12%" : "22%",
          roam: true,
          initialTreeDepth: -1,
          expandAndCollapse: true,
          symbol: "circle",
          lineStyle: { color: "#c5ccd8", width: 1.5, curveness: 0.5 },
          label: {
            position: back ? "right" : "left",
            verticalAlign: "middle",
            align: back ? "left" : "right",
            fontSize: 12,
            backgroundColor: "rgba(255, 255, 255, 0.9)",
            padding: [2, 4]
          },
          leaves: {
            label: {
              position: back ? "left" : "right",
              verticalAlign: "middle",
              align: back ? "right" : "left"
            }
          },
          emphasis: { focus: "descendant" },
          animationDuration: 300
        }
      ]
    });
    chart.on("dblclick", function (params) {
      var node = params.data && params.data.raw;
      if (node && node.url) {
        window.location.assign(node.url);
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
    container.setAttribute("data-ready", "true");
  }

  function start() {
    var container = document.getElementById("cascade-map");
    if (!container || !window.echarts) {
      return;
    }
    readWords(container);
    fetch(container.getAttribute("data-src"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        draw(container, data);
      })
      .catch(function () {
        container.textContent = WORDS.failed;
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
