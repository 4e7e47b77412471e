/* The interactive cascade map. Loaded as a file (the CSP allows no inline script); it reads
   the JSON endpoint named in the container's data-src and draws it with the vendored ECharts. */
(function () {
  "use strict";

  var COLOURS = {
    ok: "#1d7a3a",
    stale: "#9a6200",
    unlinked: "#b42318",
    untranslated: "#b42318",
    vision: "#7a3fc4"
  };
  var HEALTH_WORDS = {
    ok: "Aligned",
    stale: "Stale: check and confirm",
    unlinked: "No link upward",
    untranslated: "No translation yet",
    vision: "The vision"
  };

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
      label += " (again)";
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
      lines.push("Team of " + escapeHtml(node.team) + (node.owner ? " · owner " + escapeHtml(node.owner) : ""));
    }
    if (node.kind !== "group") {
      lines.push(escapeHtml(HEALTH_WORDS[node.health] || node.health));
    }
    if (node.score != null) {
      lines.push("Understanding " + node.score.toFixed(1) + " / 5");
    } else if (node.score_note) {
      lines.push("Understanding: " + escapeHtml(node.score_note));
    }
    if (node.hazards) {
      lines.push(node.hazards + (node.hazards === 1 ? " open hazard" : " open hazards"));
    }
    if (node.repeated) {
      lines.push("<em>Also shown under another goal</em>");
    }
    return lines.join("<br>");
  }

  function draw(container, data) {
    container.textContent = "";
    var chart = window.echarts.init(container, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "item", triggerOn: "mousemove", formatter: tooltip, confine: true },
      series: [
        {
          type: "tree",
          data: [decorate(data.tree)],
          orient: "LR",
          top: "4%",
          bottom: "4%",
          left: "12%",
          right: "22%",
          roam: true,
          initialTreeDepth: -1,
          expandAndCollapse: true,
          symbol: "circle",
          lineStyle: { color: "#c5ccd8", width: 1.5, curveness: 0.5 },
          label: {
            position: "left",
            verticalAlign: "middle",
            align: "right",
            fontSize: 12,
            backgroundColor: "rgba(255, 255, 255, 0.9)",
            padding: [2, 4]
          },
          leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
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
        container.textContent = "The map could not be drawn. The list version of the cascade has the same content.";
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
