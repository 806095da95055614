import {
  collection,
  getCountFromServer,
  limit,
  onSnapshot,
  orderBy,
  query,
  Timestamp,
  where,
} from "firebase/firestore";
import {
  daysOfCover,
  finishedCount,
  histogramPercentile,
  lastDays,
  statsDay,
  summarize,
  summarizeByNetwork,
  type BalanceSample,
  type DailyStats,
  type StatsSummary,
} from "../../../functions/src/domain/dailyStats";
import {
  COLLECTIONS,
  type SyncRunRecord,
} from "../../../functions/src/contract";
import { chartFigure, type ChartSpec } from "../charts";
import type { Backend } from "../firebase";
import {
  deliveryMinutes,
  h,
  panel,
  showListenerError,
  table,
  when,
} from "../ui";
import type { PanelFactory } from "./panel";

const FINALS = ["delivered", "failed", "cancelled", "refunded"] as const;
const CHANNELS = ["sms", "push", "email"] as const;
const MESSAGE_STATES = ["SENT", "FAILED", "UNKNOWN"] as const;
const COUNTS_EVERY_MS = 60_000;

/** What the overview shows; live parts from listeners, counts refreshed every minute. */
interface Figures {
  days: DailyStats[];
  balances: BalanceSample[];
  lastRun?: SyncRunRecord;
  counts?: Counts;
}
interface Counts {
  openOrders: number;
  openCases: number;
  /** channel -> state -> [today, last 7 days] */
  messages: Record<string, Record<string, [number, number]>>;
}

const share = (value: number | null) =>
  value === null ? "—" : `${Math.round(value * 100)} %`;

/**
 * How the business is going at a glance: today's and the last 7 days' orders, delivery times per
 * network, money refunded, messages per channel, Datamart's balance and its days of cover, open
 * reconciliation cases and the last sync run, with charts. Read from the daily figures kept as
 * orders change (`dailyStats`), never by scanning orders.
 */
export const overviewPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "overview",
    "Overview",
    "Today (Ghana time) and the last 7 days, from figures kept as orders change.",
  );
  const week = lastDays(new Date(), 7);
  const figures: Figures = { days: [], balances: [] };
  let charts: (() => void)[] = [];
  const render = () => {
    // A reader who opened a chart's figures keeps them open while the figures change.
    const open = new Set(
      [...body.querySelectorAll("figure.chart:has(details[open])")].map(
        (f) => f.id,
      ),
    );
    charts.forEach((destroy) => destroy());
    const built = [
      ordersPerHour(figures.days),
      deliveryPerDay(figures.days, week),
      balanceOverTime(figures.balances),
    ].map(chartFigure);
    charts = built.map((c) => c.destroy);
    for (const { figure } of built)
      figure.querySelector("details")!.open = open.has(figure.id);
    body.replaceChildren(
      headline(figures),
      deliveryTable(figures.days),
      messagesTable(figures.counts),
      h("div", { class: "charts" }, ...built.map((c) => c.figure)),
    );
  };
  const failed = showListenerError(body, "the overview");
  const stops = [
    onSnapshot(
      query(
        collection(backend.db, COLLECTIONS.dailyStats),
        where("day", ">=", week[0]),
      ),
      (snapshot) => {
        figures.days = snapshot.docs.map((d) => d.data() as DailyStats);
        render();
      },
      failed,
    ),
    onSnapshot(
      query(
        collection(backend.db, COLLECTIONS.supplierBalances),
        where("day", ">=", week[0]),
      ),
      (snapshot) => {
        figures.balances = snapshot.docs
          .flatMap((d) => (d.get("samples") as BalanceSample[]) ?? [])
          .sort((a, b) => a.atMs - b.atMs);
        render();
      },
      failed,
    ),
    onSnapshot(
      query(
        collection(backend.db, COLLECTIONS.syncRuns),
        orderBy("startedAt", "desc"),
        limit(1),
      ),
      (snapshot) => {
        figures.lastRun = snapshot.docs[0]?.data() as SyncRunRecord | undefined;
        render();
      },
      failed,
    ),
  ];
  const refresh = () =>
    readCounts(backend, week[0]).then(
      (counts) => {
        figures.counts = counts;
        render();
      },
      () => undefined,
    );
  void refresh();
  const timer = setInterval(() => void refresh(), COUNTS_EVERY_MS);
  return {
    section,
    stop: () => {
      stops.forEach((stop) => stop());
      clearInterval(timer);
      charts.forEach((destroy) => destroy());
    },
  };
};

/** The counts no daily figure holds: open orders and cases now, messages by channel and state. */
async function readCounts(backend: Backend, firstDay: string): Promise<Counts> {
  const count = async (q: Parameters<typeof getCountFromServer>[0]) =>
    (await getCountFromServer(q)).data().count;
  const since = (day: string) =>
    Timestamp.fromDate(new Date(`${day}T00:00:00Z`));
  const today = since(statsDay(new Date()));
  const notifications = collection(backend.db, COLLECTIONS.orderNotifications);
  const messages: Counts["messages"] = {};
  await Promise.all(
    CHANNELS.flatMap((channel) =>
      MESSAGE_STATES.map(async (state) => {
        const of = (from: Timestamp) =>
          count(
            query(
              notifications,
              where("channel", "==", channel),
              where("state", "==", state),
              where("createdAt", ">=", from),
            ),
          );
        const [day, week] = await Promise.all([of(today), of(since(firstDay))]);
        (messages[channel] ??= {})[state] = [day, week];
      }),
    ),
  );
  const [openOrders, openCases] = await Promise.all([
    count(
      query(
        collection(backend.db, COLLECTIONS.transactions),
        where("status", "in", ["processing", "success"]),
      ),
    ),
    count(
      query(
        collection(backend.db, COLLECTIONS.reconciliationCases),
        where("state", "==", "open"),
      ),
    ),
  ]);
  return { openOrders, openCases, messages };
}

function headline(f: Figures): HTMLElement {
  const today = summarize(f.days.filter((d) => d.day === statsDay(new Date())));
  const week = summarize(f.days);
  // The latest reading and the cover at the readings' spend, as supplier health works them out.
  const latest = f.balances[f.balances.length - 1];
  const balance = latest?.balance;
  const cover = latest ? daysOfCover(f.balances, latest.balance) : null;
  const runAge = f.lastRun
    ? Math.round(
        (Date.now() - new Date(f.lastRun.startedAt).getTime()) / 60_000,
      )
    : undefined;
  const period = (label: string, s: StatsSummary) => [
    h("dt", {}, label),
    h(
      "dd",
      {},
      `${finishedCount(s)} finished: ${FINALS.map((status) => `${s.finals[status]} ${status}`).join(", ")}; `,
      `delivered ${share(s.deliveredShare)}; refunded GHS ${s.refundedGhs.toFixed(2)}`,
    ),
  ];
  return h(
    "dl",
    { class: "headline" },
    ...period("Today", today),
    ...period("Last 7 days", week),
    h("dt", {}, "Open now"),
    h("dd", {}, f.counts ? `${f.counts.openOrders} orders` : "…"),
    h("dt", {}, "Datamart balance"),
    h(
      "dd",
      {},
      typeof balance === "number" ? `GHS ${balance.toFixed(2)}` : "unknown",
      typeof cover === "number"
        ? `, about ${cover.toFixed(1)} days of cover at the last 7 days' spend`
        : "",
    ),
    h("dt", {}, "Open reconciliation cases"),
    h("dd", {}, f.counts ? String(f.counts.openCases) : "…"),
    h("dt", {}, "Last sync run"),
    h(
      "dd",
      {},
      f.lastRun
        ? `${runAge} min ago (${when(f.lastRun.startedAt)})${f.lastRun.running ? ", running" : ""}`
        : "none yet",
    ),
  );
}

function deliveryTable(days: DailyStats[]): HTMLElement {
  const today = summarizeByNetwork(
    days.filter((d) => d.day === statsDay(new Date())),
  );
  const week = summarizeByNetwork(days);
  return table(
    "Time to delivery per network",
    [
      "Network",
      "p50 today",
      "p95 today",
      "p50 7 days",
      "p95 7 days",
      "Failed 7 days",
    ],
    Object.entries(week).map(([network, s]) => [
      network,
      deliveryMinutes(today[network]?.p50Minutes ?? null),
      deliveryMinutes(today[network]?.p95Minutes ?? null),
      deliveryMinutes(s.p50Minutes),
      deliveryMinutes(s.p95Minutes),
      s.finals.failed,
    ]),
  );
}

function messagesTable(counts: Counts | undefined): HTMLElement {
  if (!counts) return h("p", {}, "Counting messages…");
  return table(
    "Messages per channel",
    [
      "Channel",
      "Sent today",
      "Failed today",
      "Unknown today",
      "Sent 7 days",
      "Failed 7 days",
      "Unknown 7 days",
    ],
    CHANNELS.map((channel) => [
      channel,
      ...[0, 1].flatMap((period) =>
        MESSAGE_STATES.map((state) => counts.messages[channel][state][period]),
      ),
    ]),
  );
}

function ordersPerHour(days: DailyStats[]): ChartSpec {
  const today = days.filter((d) => d.day === statsDay(new Date()));
  const hours = Array.from({ length: 24 }, (_, i) =>
    String(i).padStart(2, "0"),
  );
  return {
    id: "chart-orders-per-hour",
    kind: "bar",
    title: "Orders finished today per hour, by final status",
    xTitle: "Hour (Ghana time)",
    yTitle: "Orders",
    labels: hours,
    stacked: true,
    series: FINALS.map((status) => ({
      label: status,
      data: hours.map((hour) =>
        today.reduce((sum, d) => sum + (d.byHour?.[hour]?.[status] ?? 0), 0),
      ),
    })),
  };
}

function deliveryPerDay(days: DailyStats[], week: string[]): ChartSpec {
  const networks = [...new Set(days.map((d) => d.network))].sort();
  return {
    id: "chart-delivery-per-day",
    kind: "line",
    title: "Time to delivery per network per day (p50)",
    xTitle: "Day",
    yTitle: "Minutes",
    labels: week,
    series: networks.map((network) => ({
      label: network,
      data: week.map((day) => {
        const found = days.find((d) => d.day === day && d.network === network);
        return histogramPercentile(found?.deliveryMinutes ?? {}, 0.5);
      }),
    })),
  };
}

function balanceOverTime(samples: BalanceSample[]): ChartSpec {
  return {
    id: "chart-balance",
    kind: "line",
    title: "Datamart balance over the last 7 days",
    xTitle: "Reading (Ghana time)",
    yTitle: "GHS",
    labels: samples.map((s) => when(s.atMs)),
    series: [{ label: "Balance", data: samples.map((s) => s.balance) }],
  };
}
