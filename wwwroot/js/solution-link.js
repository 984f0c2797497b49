// Links the run page's Pareto chart to its solutions table: hovering a final solution's marker (or any point with its
// genes) marks its row (data-linked), hovering a row shows its marker's hover label. Rows carry the marker's label (the genes, "k = 19")
// in data-solution-label on their first cell; the solution traces carry meta "solution".
window.weightShareSolutionLink = (() => {
    const rows = label => document.querySelectorAll(`[data-testid=solutions-table] td[data-solution-label="${CSS.escape(label)}"]`);

    function mark(label) {
        document.querySelectorAll("[data-testid=solutions-table] tr[data-linked]").forEach(row => row.removeAttribute("data-linked"));
        if (label !== null) {
            rows(label).forEach(cell => cell.closest("tr").setAttribute("data-linked", ""));
        }
    }

    // Any point with a solution's genes marks its row: an unmerged solution's star sits on its evaluated point, and the
    // chart's closest-point hover may name either.
    function pointLabel(point) {
        return point && point.customdata !== undefined ? String(point.customdata) : null;
    }

    function hoverMarker(chartId, label) {
        const chart = document.getElementById(chartId);
        if (!chart || !chart.data || !window.Plotly) {
            return;
        }
        const points = [];
        chart.data.forEach((trace, curveNumber) => {
            if (trace.meta === "solution" && trace.visible !== "legendonly") {
                (trace.customdata || []).forEach((value, pointNumber) => {
                    if (String(value) === label) {
                        points.push({ curveNumber, pointNumber });
                    }
                });
            }
        });
        if (points.length > 0) {
            window.Plotly.Fx.hover(chart, points);
            mark(label);
        }
    }

    // Chart to table: Plotly's own events, on the chart element once it is drawn.
    function attach(chartId, attempts) {
        const chart = document.getElementById(chartId);
        if (!chart || typeof chart.on !== "function") {
            if (attempts > 0) {
                setTimeout(() => attach(chartId, attempts - 1), 250);
            }
            return;
        }
        if (chart.dataset.solutionLink === "on") {
            return;
        }
        chart.dataset.solutionLink = "on";
        chart.on("plotly_hover", event => mark(pointLabel(event.points[0])));
        chart.on("plotly_unhover", () => mark(null));
    }

    // Table to chart: one listener for the document, so rows the circuit re-renders need nothing of their own.
    let current = null;
    let currentChart = null;
    document.addEventListener("mouseover", event => {
        const cell = event.target instanceof Element ? event.target.closest("tr")?.querySelector("td[data-solution-label]") : null;
        const label = cell ? cell.dataset.solutionLabel : null;
        if (label === current) {
            return;
        }
        current = label;
        if (label === null) {
            if (currentChart) {
                const chart = document.getElementById(currentChart);
                if (chart && window.Plotly) {
                    window.Plotly.Fx.unhover(chart);
                }
            }
            mark(null);
            return;
        }
        if (currentChart) {
            hoverMarker(currentChart, label);
        }
    });

    return {
        /** Links the chart with this element id to the page's solutions table. */
        link(chartId) {
            currentChart = chartId;
            attach(chartId, 40);
        },
    };
})();
