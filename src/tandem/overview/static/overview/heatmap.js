// The organisation view's heatmaps, drawn with ECharts over the server's SVG (which stays for
// the PDF and for browsers without JavaScript). A cell that joins several levels covers each
// of their columns with the same figure; the tooltip says which levels it joins.
// The words come from the page, in its language: the container's data-measure-name and
// data-joined, and the numbers and counts already worded in the data (*_text).
(function () {
  "use strict";

  var COLOURS = { leadership: "#7a3fc4", management: "#0f7b6c" };

  function points(data, measure) {
    var out = [];
    data.cells.forEach(function (cell) {
      for (var column = cell.first; column <= cell.last; column += 1) {
        out.push({ value: [column, cell.row, cell[measure]], cell: cell });
      }
    });
    return out;
  }

  function score(cell, measure) {
    return cell[measure + "_text"] || cell[measure].toFixed(2);
  }

  function tooltip(container, measure) {
    var name = container.getAttribute("data-measure-name") ||
      measure.charAt(0).toUpperCase() + measure.slice(1);
    var joined = container.getAttribute("data-joined") ||
      "These levels are shown together: each alone has too few people.";
    return function (params) {
      var cell = params.data.cell;
      var lines = [
        cell.department + " · " + cell.label,
        name + ": " + score(cell, measure),
        cell.n_text || cell.n + " participants"
      ];
      if (cell.first !== cell.last) {
        lines.push(joined);
      }
      return lines.map(function (line) {
        var span = document.createElement("span");
        span.textContent = line;
        return span.innerHTML;
      }).join("<br>");
    };
  }

  function draw(container, data) {
    var measure = container.getAttribute("data-measure");
    container.textContent = "";
    container.style.height = Math.max(180, 70 + 44 * data.departments.length) + "px";
    var chart = window.echarts.init(container, null, { renderer: "canvas" });
    var rtl = document.documentElement.dir === "rtl";
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "item", confine: true, formatter: tooltip(container, measure) },
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      // Right to left, the levels run from the right and the departments stand on the right.
      xAxis: { type: "category", data: data.columns, inverse: rtl, splitArea: { show: true } },
      yAxis: {
        type: "category", data: data.departments, inverse: true, position: rtl ? "right" : "left",
        splitArea: { show: true }
      },
      visualMap: {
        min: data.low,
        max: data.high,
        calculable: false,
        precision: 1,
        text: [data.high_text || data.high.toFixed(1), data.low_text || data.low.toFixed(1)],
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: 120,
        inRange: { color: ["#f5f7fa", COLOURS[measure]] }
      },
      series: [{
        type: "heatmap",
        data: points(data, measure),
        label: {
          show: true,
          formatter: function (params) { return score(params.data.cell, measure); }
        },
        emphasis: { itemStyle: { borderColor: "#1d2433", borderWidth: 1 } }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    container.setAttribute("data-ready", "true");
  }

  function start() {
    var source = document.getElementById("heatmap-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll(".heatmap[data-measure]").forEach(function (container) {
      draw(container, data);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
