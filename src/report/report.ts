/**
 * A run's report: one self-contained HTML file that opens offline, with the
 * configuration, model summary, loss curves, reconstructions, an interactive
 * t-SNE scatter of the test features (hover shows the class, by name when
 * the source names its classes, and the image; table rows have none)
 * and every other figure the model wrote (a VAE's samples, manifold and
 * interpolation).
 *
 * ```ts
 * import { writeReport } from "./report.ts";
 * const path = await writeReport("runs/conv-20261122-101500");
 * ```
 *
 * @module
 */
import { loadRun } from "../inference/load_run.ts";
import { encode } from "../inference/codec.ts";
import { loadData } from "../data/load.ts";
import { floatImages } from "../data/dataset.ts";
import { dataOptions } from "../train/config.ts";
import type { BackendRequest } from "../backend/backend.ts";
import { modelSummary } from "../train/summary.ts";
import type { EpochMetrics } from "../train/fit.ts";
import {
  readMetrics,
  readRunFile,
  readRunRecord,
  RUN_FILES,
  runFigures,
} from "../run/run_folder.ts";
import { tsne } from "../tsne/tsne.ts";
import { scatterSection } from "../plot/scatter_html.ts";
import { className } from "../plot/scatter.ts";
import { lineChart } from "../plot/line_chart.ts";
import { writeFileAtomic } from "../io/atomic.ts";
import { base64, escapeHtml } from "../plot/_html.ts";
import type { DetectRecord } from "../anomaly/detect.ts";

/** Options for {@linkcode writeReport}. */
export interface ReportOptions {
  /** Test images in the t-SNE scatter (default 2000; 0 leaves it out). */
  tsnePoints?: number;
  /** Backend for encoding (default `auto`). */
  backend?: BackendRequest;
  /** Where to write (default `<runDir>/report.html`). */
  out?: string;
}

const SHOWN_ELSEWHERE = new Set<string>([
  RUN_FILES.lossChart,
  RUN_FILES.reconstructions,
  RUN_FILES.tsnePlot,
  ...RUN_FILES.detectionFigures,
]);
const METRIC_KEYS_SKIPPED = new Set([
  "epoch",
  "backend",
  "epoch_s",
  "eval_s",
  "images_per_s",
  "num_tensors",
  "num_bytes",
  "gpu_bytes",
]);

/**
 * Writes `report.html` for the run in `runDir` and returns its path.
 *
 * @example
 * ```ts
 * await writeReport("runs/vae-1", { tsnePoints: 1000 });
 * ```
 */
export async function writeReport(runDir: string, options: ReportOptions = {}): Promise<string> {
  const run = await loadRun(runDir, { backend: options.backend });
  const { config } = run;
  const meta = await readRunRecord(runDir);
  const metrics = await readMetrics(runDir);

  const sections: string[] = [];
  sections.push(
    `<section><h2>Configuration</h2><table>${
      Object.entries({
        ...config,
        backend: `${meta.backend.name} (${meta.backend.reason})`,
        ...meta.versions,
      })
        .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
        .join("")
    }<tr><th>epochs completed</th><td>${metrics.length}</td></tr></table></section>`,
  );
  sections.push(
    `<section><h2>Model</h2><pre>${escapeHtml(modelSummary(run.autoencoder))}</pre></section>`,
  );

  // The loss chart is the one training drew; the other metrics are charted here.
  const lossChart = await readRunFile(runDir, RUN_FILES.lossChart);
  const charts = lossChart ? [lossChart] : [];
  const extra = [...new Set(metrics.flatMap((m) => Object.keys(m)))]
    .filter((k) =>
      !METRIC_KEYS_SKIPPED.has(k) && !k.endsWith("loss") &&
      metrics.some((m) => typeof m[k] === "number")
    );
  for (const key of extra) {
    const rows = metrics.filter((m) => typeof m[key] === "number");
    charts.push(
      lineChart(
        [{ name: key, x: rows.map((m) => m.epoch), y: rows.map((m) => m[key] as number) }],
        {
          title: key.replaceAll("_", " "),
          xLabel: "epoch",
        },
      ),
    );
  }
  sections.push(
    `<section><h2>Training</h2>${charts.map((png) => img(png, "chart")).join("")}${
      metricsTable(metrics)
    }</section>`,
  );

  const figures: string[] = [];
  for (const name of await runFigures(runDir)) {
    const png = (await readRunFile(runDir, name))!;
    if (name === RUN_FILES.reconstructions) {
      figures.unshift(figure(png, "reconstructions: test samples and their reconstructions"));
    } else if (!SHOWN_ELSEWHERE.has(name)) {
      figures.push(figure(png, name.replace(/\.png$/, "").replaceAll("_", " ")));
    }
  }
  if (figures.length) sections.push(`<section><h2>Images</h2>${figures.join("")}</section>`);

  const detection = await detectionSection(runDir);
  if (detection) sections.push(detection);

  const points = options.tsnePoints ?? 2000;
  if (points > 0) {
    const { test } = await loadData({ ...dataOptions(config), testSize: points });
    const images = floatImages(test);
    const features = encode(run.autoencoder, images);
    const dims = features.length / test.count;
    const t0 = performance.now();
    const { embedding, kl } = await tsne(features, { dims, seed: config.seed });
    const seconds = (performance.now() - t0) / 1000;
    sections.push(
      `<section><h2>Latent space: t-SNE of ${test.count} test codes (${dims}-d)</h2>${
        scatterSection(embedding, {
          labels: test.labels,
          classNames: test.classNames,
          // A table's rows are no picture: the tooltip names the point and its class only.
          thumbnails: test.kind === "table" ? undefined : {
            images,
            height: test.height,
            width: test.width,
            channels: test.channels,
            symmetric: config.scale === "symmetric",
          },
          subtitle: `perplexity 30, 1000 iterations, KL ${kl.toFixed(3)}, ${
            seconds.toFixed(1)
          } s; hover a point for its class${test.kind === "table" ? "" : " and image"}`,
        })
      }</section>`,
    );
  }

  const title = `diabolo report: ${config.model} (${runDir.split("/").filter(Boolean).at(-1)})`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px auto;max-width:1280px;color:#222}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;font-variant-numeric:tabular-nums}
pre{background:#f6f8fa;padding:8px;overflow:auto}
img.chart{margin:4px;border:1px solid #eee}figure{display:inline-block;margin:8px}figcaption{color:#555}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${sections.join("\n")}
</body></html>
`;
  const out = options.out ?? `${runDir}/${RUN_FILES.report}`;
  await writeFileAtomic(out, html);
  return out;
}

/** The "Detection" section, when `deno task detect` has left a `detect.json` in the run. */
async function detectionSection(runDir: string): Promise<string | undefined> {
  const json = await readRunFile(runDir, RUN_FILES.detect);
  if (!json) return undefined;
  const record: DetectRecord = JSON.parse(new TextDecoder().decode(json));
  const m = record.metrics;
  const rows: [string, string][] = [
    ["data", `${record.data}: ${record.samples} samples`],
    ["score", record.score],
    [
      "threshold",
      `${
        record.threshold.value.toPrecision(5)
      } (${record.threshold.rule}, fitted on ${record.threshold.fitted_on})`,
    ],
    ["flagged", String(record.flagged)],
    ...(m
      ? [
        [
          "normal classes",
          `${
            record.normal_classes?.map((c) => className(c, record.class_names ?? undefined))
              .join(", ")
          } (anomalies: every other class, the positive class; ${record.anomalies} samples)`,
        ],
        ["ROC-AUC", m.roc_auc.toFixed(4)],
        ["average precision", m.average_precision.toFixed(4)],
        [
          "precision / recall / F1 at the threshold",
          `${m.precision.toFixed(4)} / ${m.recall.toFixed(4)} / ${m.f1.toFixed(4)}`,
        ],
        [
          "confusion matrix",
          `tp ${m.confusion_matrix.tp}, fp ${m.confusion_matrix.fp}, tn ${m.confusion_matrix.tn}, fn ${m.confusion_matrix.fn}`,
        ],
      ] as [string, string][]
      : []),
  ];
  const figures: string[] = [];
  for (const name of RUN_FILES.detectionFigures) {
    const png = await readRunFile(runDir, name);
    if (png) figures.push(figure(png, name.replace(/\.png$/, "")));
  }
  return `<section><h2>Detection</h2><table>${
    rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")
  }</table>${figures.join("")}</section>`;
}

function img(png: Uint8Array, cls: string): string {
  return `<img class="${cls}" alt="${cls}" src="data:image/png;base64,${base64(png)}">`;
}

function figure(png: Uint8Array, caption: string): string {
  return `<figure>${img(png, "figure")}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function metricsTable(metrics: EpochMetrics[]): string {
  const keys = [...new Set(metrics.flatMap((m) => Object.keys(m)))];
  const cell = (v: unknown) =>
    typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(5) : String(v ?? "");
  return `<table><tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join("")}</tr>${
    metrics.map((m) => `<tr>${keys.map((k) => `<td>${escapeHtml(cell(m[k]))}</td>`).join("")}</tr>`)
      .join("")
  }</table>`;
}
