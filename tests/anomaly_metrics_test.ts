/**
 * ROC-AUC, average precision and their curves equal scikit-learn's on the
 * committed fixtures (ties included), and the threshold rules equal numpy's
 * percentile and mean + std; fixtures from tasks/reference/anomaly_metrics_fixtures.py.
 */
import { assert, assertClose, assertEquals } from "./_assert.ts";
import {
  averagePrecision,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  thresholdMetrics,
} from "../src/anomaly/metrics.ts";
import { contaminationRule, fitThreshold, parseThresholdRule } from "../src/anomaly/threshold.ts";
import fixtures from "./fixtures/anomaly_sklearn.json" with { type: "json" };

interface Case {
  labels: number[];
  scores: number[];
  roc_auc: number;
  average_precision: number;
  fpr: number[];
  tpr: number[];
  roc_thresholds: (number | string)[];
  precision: number[];
  recall: number[];
  pr_thresholds: number[];
  percentile_90: number;
  mean_plus_std: number;
}
const cases = fixtures.cases as Record<string, Case>;

function assertAllClose(actual: number[], expected: number[], what: string) {
  assertEquals(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) => assertClose(v, expected[i], 1e-12, `${what}[${i}]`));
}

for (const [name, c] of Object.entries(cases)) {
  Deno.test(`${name}: ROC-AUC, AP and both curves as scikit-learn ${fixtures.sklearn}`, () => {
    // Scores as float64, as numpy held them; the float32 case was rounded before sklearn saw it.
    const scores = Float64Array.from(c.scores);
    assertClose(rocAuc(c.labels, scores), c.roc_auc, 1e-12, "roc_auc");
    assertClose(averagePrecision(c.labels, scores), c.average_precision, 1e-12, "AP");
    const roc = rocCurve(c.labels, scores);
    assertAllClose(roc.fpr, c.fpr, "fpr");
    assertAllClose(roc.tpr, c.tpr, "tpr");
    assertEquals(roc.thresholds.map((t) => (t === Infinity ? "inf" : t)), c.roc_thresholds);
    const pr = precisionRecallCurve(c.labels, scores);
    assertAllClose(pr.precision, c.precision, "precision");
    assertAllClose(pr.recall, c.recall, "recall");
    assertAllClose(pr.thresholds, c.pr_thresholds, "pr thresholds");
  });

  Deno.test(`${name}: contamination 0.1 is numpy's 90th percentile, mean+1*std numpy's`, () => {
    assertClose(
      fitThreshold(c.scores, { kind: "contamination", p: 0.1 }).value,
      c.percentile_90,
      1e-9,
    );
    assertClose(fitThreshold(c.scores, { kind: "std", k: 1 }).value, c.mean_plus_std, 1e-9);
  });
}

Deno.test("metrics need both classes, and say so", () => {
  let message = "";
  try {
    rocAuc([1, 1], [0.1, 0.2]);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("2 anomalies and 0 normal"), message);
});

Deno.test("at the threshold: strictly above is flagged, the confusion matrix and F1", () => {
  const m = thresholdMetrics([0, 0, 1, 1, 1], [0.1, 0.5, 0.5, 0.9, 0.2], 0.5);
  assertEquals([m.tp, m.fp, m.tn, m.fn], [1, 0, 2, 2]);
  assertEquals([m.precision, m.recall], [1, 1 / 3]);
  assertClose(m.f1, 0.5, 1e-12);
  assertEquals(thresholdMetrics([0, 1], [0, 0], 1).precision, 0, "nothing flagged: 0, as sklearn");
});

Deno.test("threshold rules parse, and a bad one names the flag and the forms", () => {
  assertEquals(parseThresholdRule("mean+2*std"), { kind: "std", k: 2 });
  assertEquals(parseThresholdRule("mean + 1.5std"), { kind: "std", k: 1.5 });
  assertEquals(parseThresholdRule("mean+std"), { kind: "std", k: 1 });
  assertEquals(parseThresholdRule("0.25"), { kind: "value", value: 0.25 });
  assertEquals(contaminationRule("0.05"), { kind: "contamination", p: 0.05 });
  for (const bad of ["median+1*std", "mean+-1*std", "mean", "", "1e"]) {
    let message = "";
    try {
      parseThresholdRule(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    assert(message.startsWith(`--threshold ${bad}: expected mean+K*std`), message);
  }
  for (const bad of ["0", "0.6", "x", ""]) {
    let message = "";
    try {
      contaminationRule(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    assert(message.startsWith(`--contamination ${bad}:`), message);
  }
  assertEquals(fitThreshold([], { kind: "value", value: 3 }), { value: 3, rule: "value 3" });
});
