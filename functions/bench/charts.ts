// vega-lite declares its types only under package.json "exports", which this project's "node"
// module resolution does not read; its build path has them.
import type { TopLevelSpec } from "vega-lite/build/index";
import type { FreshnessResult } from "./freshness";

export type { TopLevelSpec };

/** The bench's pictures, drawn by Vega-Lite into standalone SVG files. */

const VEGA_LITE = "vega-lite";

export async function svgOf(spec: TopLevelSpec): Promise<string> {
  // Vega is ES modules with top-level await: imported, not required.
  const [{ parse, View }, { compile }] = await Promise.all([
    import("vega"),
    import(VEGA_LITE) as Promise<typeof import("vega-lite/build/index")>,
  ]);
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const FONT = { config: { font: "Helvetica, Arial, sans-serif", background: "white" } } as const;

/** The share of orders applied within x minutes of Datamart's final status, one line per design. */
export function freshnessChart(results: FreshnessResult[]): TopLevelSpec {
  // The sorted delays, at every half percent.
  const values = results.flatMap((r) =>
    Array.from({ length: 201 }, (_, i) => ({
      design: r.design,
      minutes:
        r.delaysSeconds[
          Math.min(r.delaysSeconds.length - 1, Math.floor((i / 200) * r.delaysSeconds.length))
        ] / 60,
      share: i / 200,
    })),
  );
  return {
    ...FONT,
    title: "Poll-path freshness, webhooks off, 5-minute schedule (deliveries of minutes to a day)",
    width: 560,
    height: 300,
    data: { values },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: {
        field: "minutes",
        type: "quantitative",
        title: "minutes from Datamart's final status to the order updated",
        scale: { domain: [0, 30] },
      },
      y: { field: "share", type: "quantitative", title: "share of orders", axis: { format: "%" } },
      color: {
        field: "design",
        type: "nominal",
        title: null,
        legend: { orient: "bottom-right", labelLimit: 300 },
      },
    },
    transform: [{ filter: "datum.minutes <= 30" }],
  };
}

export interface GrowthPoint {
  orders: number;
  due: number;
  seconds: number;
  reads: number;
  writes: number;
  peakHeapMiB: number;
}

/** Seconds, reads and writes of one run against the due orders, at a fixed collection size. */
export function growthChart(
  points: GrowthPoint[],
  title: string,
  x: "due" | "orders",
): TopLevelSpec {
  const panel = (field: keyof GrowthPoint, label: string) => ({
    width: 200,
    height: 180,
    mark: { type: "line" as const, point: true },
    encoding: {
      x: {
        field: x,
        type: "quantitative" as const,
        title: x === "due" ? "due orders" : "orders in the collection",
      },
      y: { field, type: "quantitative" as const, title: label },
    },
  });
  return {
    ...FONT,
    title,
    data: { values: points },
    hconcat: [
      panel("seconds", "seconds"),
      panel("reads", "Firestore reads"),
      panel("writes", "Firestore writes"),
      panel("peakHeapMiB", "peak heap MiB"),
    ],
  };
}
