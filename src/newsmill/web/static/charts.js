// Renders every [data-chart-spec] container from the JSON block it names. Vega-Lite specs are compiled
// to Vega; Vega runs with the expression interpreter, so the page needs no 'unsafe-eval'.
(function () {
  "use strict";
  function render(container) {
    var block = document.getElementById(container.getAttribute("data-chart-spec"));
    if (!block) { return; }
    try {
      var spec = JSON.parse(block.textContent);
      var isLite = typeof spec.$schema === "string" && spec.$schema.indexOf("vega-lite") >= 0;
      var vgSpec = isLite ? vegaLite.compile(spec).spec : spec;
      var runtime = vega.parse(vgSpec, null, { ast: true });
      var view = new vega.View(runtime, {
        expr: vega.expressionInterpreter,
        renderer: "svg",
        container: container,
        hover: true
      });
      view.runAsync().then(function () {
        container.setAttribute("data-rendered", "true");
      }).catch(function (err) {
        container.setAttribute("data-rendered", "error");
        container.textContent = "The chart could not be drawn: " + err;
      });
    } catch (err) {
      container.setAttribute("data-rendered", "error");
      container.textContent = "The chart could not be drawn: " + err;
    }
  }
  var containers = document.querySelectorAll("[data-chart-spec]");
  for (var i = 0; i < containers.length; i++) { render(containers[i]); }
})();
