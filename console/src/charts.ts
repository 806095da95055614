import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { h, table } from "./ui";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export interface Series {
  label: string;
  data: (number | null)[];
}

export interface ChartSpec {
  id: string;
  kind: "bar" | "line";
  title: string;
  xTitle: string;
  yTitle: string;
  labels: string[];
  series: Series[];
  /** Bars of the series stacked, one bar per label. */
  stacked?: boolean;
}

const COLOURS = ["#0b5394", "#a40000", "#e69138", "#38761d", "#674ea7"];

/**
 * A chart people look at, and the same figures for those who read: a titled figure whose canvas has
 * an accessible name, with a table of exactly what it draws under "Figures". Returns the figure and
 * how to free the chart.
 */
export function chartFigure(spec: ChartSpec): {
  figure: HTMLElement;
  destroy: () => void;
} {
  const canvas = h("canvas", {
    id: `${spec.id}-canvas`,
    role: "img",
    "aria-label": `${spec.title}: ${spec.yTitle} by ${spec.xTitle}; the figures follow in a table.`,
  });
  const figure = h(
    "figure",
    { id: spec.id, class: "chart" },
    h("figcaption", {}, spec.title),
    h("div", { class: "chart-box" }, canvas),
    h(
      "details",
      {},
      h("summary", {}, "Figures"),
      table(
        spec.title,
        [spec.xTitle, ...spec.series.map((s) => s.label)],
        spec.labels.map((label, i) => [
          label,
          ...spec.series.map((s) => (s.data[i] === null ? "—" : s.data[i])),
        ]),
      ),
    ),
  );
  const chart = new Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.data,
        backgroundColor: COLOURS[i % COLOURS.length],
        borderColor: COLOURS[i % COLOURS.length],
        spanGaps: true,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: {
          stacked: spec.stacked,
          title: { display: true, text: spec.xTitle },
        },
        y: {
          stacked: spec.stacked,
          beginAtZero: true,
          title: { display: true, text: spec.yTitle },
        },
      },
    },
  });
  return { figure, destroy: () => chart.destroy() };
}
