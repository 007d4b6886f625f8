// The recall dashboard: draws the charts (Chart.js, served by the app) from the figures
// the page carries, and redraws them and the numbers when the console's event stream
// sends new figures (event "dashboard"). Text from customers is set with textContent.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.Chart) return;
  var COLORS = { sms: "#1565c0", whatsapp: "#2e7d32", all: "#8d6e63", notices: "#1565c0", replies: "#6a1b9a",
                 bookings: "#ef6c00", completions: "#2e7d32" };
  var TIMELINE_LABELS = { notices: "Customers notified", replies: "First replies", bookings: "Bookings",
                         completions: "Units corrected" };
  var charts = {};
  window.recallDashboard = { charts: charts, updates: 0 };

  function funnelByKey(figures) {
    var byKey = {};
    figures.funnel.forEach(function (stage) {
      var affected = figures.status.affected;
      byKey[stage.key] = Object.assign({}, stage, { share: affected ? stage.total / affected : 0 });
    });
    return byKey;
  }

  function lookup(figures, path) {
    var value = Object.assign({}, figures, { funnel: funnelByKey(figures) });
    path.split(".").forEach(function (part) { value = value == null ? value : value[part]; });
    return value;
  }

  function show(value, format) {
    if (value === null || value === undefined) return "—";
    if (format === "percent") return (100 * value).toFixed(1) + "%";
    if (format === "average") return Number(value).toFixed(1);
    return String(value);
  }

  function chartData(figures) {
    var stages = figures.funnel;
    var split = function (stage, channel) { return stage.sms === null || stage.sms === undefined ? 0 : stage[channel]; };
    var reasons = Object.keys(figures.escalations_by_reason).sort();
    return {
      funnel: {
        labels: stages.map(function (s) { return s.label; }),
        datasets: [
          { label: "SMS", data: stages.map(function (s) { return split(s, "sms"); }), backgroundColor: COLORS.sms },
          { label: "WhatsApp", data: stages.map(function (s) { return split(s, "whatsapp"); }), backgroundColor: COLORS.whatsapp },
          { label: "All channels", backgroundColor: COLORS.all,
            data: stages.map(function (s) { return s.total - split(s, "sms") - split(s, "whatsapp"); }) }
        ]
      },
      timeline: {
        labels: figures.timeline.days,
        datasets: ["notices", "replies", "bookings", "completions"].map(function (key) {
          return { label: TIMELINE_LABELS[key], data: figures.timeline[key], borderColor: COLORS[key],
                   backgroundColor: COLORS[key], tension: 0.2 };
        })
      },
      channels: {
        labels: ["SMS", "WhatsApp"],
        datasets: [{ data: [figures.channels.sms || 0, figures.channels.whatsapp || 0],
                     backgroundColor: [COLORS.sms, COLORS.whatsapp] }]
      },
      escalations: {
        labels: reasons.map(function (r) { return r.replace(/_/g, " "); }),
        datasets: [{ label: "Escalations", data: reasons.map(function (r) { return figures.escalations_by_reason[r]; }),
                     backgroundColor: "#c62828" }]
      },
      feedback: {
        labels: ["1", "2", "3", "4", "5"],
        datasets: [{ label: "Answers", data: ["1", "2", "3", "4", "5"].map(function (k) { return figures.feedback.scores[k] || 0; }),
                     backgroundColor: ["#c62828", "#ef6c00", "#f9a825", "#7cb342", "#2e7d32"] }]
      }
    };
  }

  var OPTIONS = {
    funnel: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } },
    timeline: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    channels: {},
    escalations: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    feedback: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  };
  var TYPES = { funnel: "bar", timeline: "line", channels: "doughnut", escalations: "bar", feedback: "bar" };

  function draw(figures) {
    var data = chartData(figures);
    Object.keys(TYPES).forEach(function (name) {
      if (charts[name]) {
        charts[name].data = data[name];
        charts[name].update("none");
        return;
      }
      var canvas = document.getElementById("chart-" + name);
      if (!canvas) return;
      charts[name] = new window.Chart(canvas, {
        type: TYPES[name], data: data[name],
        options: Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, OPTIONS[name])
      });
    });
  }

  function comments(figures) {
    var list = document.getElementById("feedback-comments");
    if (!list) return;
    list.replaceChildren();
    if (!figures.feedback.comments.length) {
      var none = document.createElement("li");
      none.className = "empty";
      none.textContent = "No comments yet.";
      list.appendChild(none);
    }
    figures.feedback.comments.forEach(function (c) {
      var item = document.createElement("li");
      var score = document.createElement("span");
      score.className = "score score-" + c.score;
      score.textContent = c.score + "/5";
      var link = document.createElement("a");
      link.href = "/console/customers/" + Number(c.customer_id);
      link.textContent = "customer";
      item.append(score, " " + c.comment + " ", link);
      list.appendChild(item);
    });
  }

  function render(figures) {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      el.textContent = show(lookup(figures, el.dataset.figure), el.dataset.format);
    });
    comments(figures);
    draw(figures);
  }

  draw(JSON.parse(root.dataset.figures));
  document.addEventListener("htmx:sseMessage", function (event) {
    if (event.target.id !== "dashboard-live") return;
    render(JSON.parse(event.detail.data));
    window.recallDashboard.updates += 1;
  });
})();
