// Bar charts for the reports and the home view, drawn with chart.js in the
// theme's colours (read from the CSS variables, redrawn when the system
// switches between light and dark) and destroyed with their canvas.
// Bar lengths are numbers; every figure shown as text comes from the books'
// decimal strings through format.ts.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** A CSS colour variable of the current theme ("--accent"). */
export function cssVar(name: string, fallback = "#888888"): string {
  if (typeof document === "undefined") return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export interface BarSeries {
  label: string;
  /** A theme colour variable, e.g. "--accent". */
  color: string;
  data: number[];
}

export interface BarSpec {
  labels: string[];
  series: BarSeries[];
  /** Bars grow to the right (long names read better that way). */
  horizontal?: boolean;
  stacked?: boolean;
  /** The tooltip line for one bar. */
  tooltip: (series: number, index: number) => string;
  /** The value axis' tick labels. */
  tick: (value: number) => string;
}

/** A decimal string as a bar length (never used for arithmetic on amounts). */
export function length(amount: string | null | undefined): number {
  const n = Number(amount);
  return Number.isFinite(n) ? n : 0;
}

function config(spec: BarSpec): ChartConfiguration<"bar"> {
  const text = cssVar("--text");
  const muted = cssVar("--muted");
  const line = cssVar("--line");
  const value = { stacked: spec.stacked ?? false, ticks: { color: muted, callback: (v: number | string) => spec.tick(Number(v)) }, grid: { color: line } };
  const category = { stacked: spec.stacked ?? false, ticks: { color: text }, grid: { display: false } };
  return {
    type: "bar",
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: cssVar(s.color), borderRadius: 3 })),
    },
    options: {
      indexAxis: spec.horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: spec.horizontal ? { x: value, y: category } : { x: category, y: value },
      plugins: {
        legend: { labels: { color: text } },
        tooltip: { callbacks: { label: (item) => spec.tooltip(item.datasetIndex, item.dataIndex) } },
      },
    },
  };
}

/**
 * An attachment for a <canvas>: `{@attach bars(spec)}`. A new spec redraws;
 * the chart is destroyed when the canvas goes.
 */
export function bars(spec: BarSpec): (canvas: HTMLCanvasElement) => () => void {
  return (canvas) => {
    let chart: Chart<"bar"> | null = null;
    const draw = () => {
      chart?.destroy();
      chart = null;
      // Without a 2D context (a test's DOM) there is nothing to draw on;
      // the table next to every chart has the same figures.
      if (!canvas.getContext("2d")) return;
      chart = new Chart(canvas, config(spec));
    };
    draw();
    const scheme = typeof window !== "undefined" && window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    scheme?.addEventListener("change", draw);
    return () => {
      scheme?.removeEventListener("change", draw);
      chart?.destroy();
      chart = null;
    };
  };
}
