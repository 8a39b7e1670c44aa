/**
 * npm run recs:eval [-- --data <Beauty.txt>] [--every N] [--tune] [--no-ablation]
 *
 * Offline evaluation of the recommendation model on the Amazon Beauty data (see docs/recommendations.md): validation
 * with the ablation, then the test split once; prints a table and one JSON line. `--tune` runs the parameter search on
 * the validation split instead and prints the parameters it chose. `--every N` scores every N-th shopper (quick runs).
 */
import { parseArgs } from 'node:util';
import { evaluateBeauty, tuneOnValidation, type Metrics } from './lib/recs-eval';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    every: { type: 'string', default: '1' },
    tune: { type: 'boolean', default: false },
    'no-ablation': { type: 'boolean', default: false },
  },
});
const every = Number(values.every);

if (values.tune) {
  const best = tuneOnValidation({ dataFile: values.data, every, log: (line) => console.log(line) });
  console.log(JSON.stringify({ tuned: best }));
} else {
  const report = evaluateBeauty({ dataFile: values.data, every, ablation: !values['no-ablation'] });
  const keys = ['HR@5', 'HR@10', 'HR@20', 'NDCG@5', 'NDCG@10', 'NDCG@20'] as const;
  const published: Record<string, number[]> = {
    'SASRec (published)': [0.0387, 0.0605, 0.0902, 0.0249, 0.0318, 0.0394],
    'S3-Rec (published)': [0.0387, 0.0647, 0.0994, 0.0244, 0.0327, 0.0414],
  };
  const row = (name: string, cells: (number | string)[]) =>
    console.log(`${name.padEnd(28)}${cells.map((c) => String(c).padStart(9)).join('')}`);
  const metricsRow = (name: string, m: Metrics) => row(name, keys.map((k) => m[k].toFixed(4)));
  row('', [...keys]);
  for (const [name, cells] of Object.entries(published)) row(name, cells.map((c) => c.toFixed(4)));
  metricsRow('this model, validation', report.validation);
  metricsRow('this model, test', report.test);
  console.log(
    `\ntest: coverage@10 ${report.test.coverage}, diversity@10 ${report.test.diversity}, novelty@10 ${report.test.novelty} bits, ` +
      `${report.test.users} shoppers; training ${report.trainSeconds} s`,
  );
  if (report.ablation.length > 0) {
    console.log('\nablation (validation)              HR@10  NDCG@10');
    row('full model', [report.validation['HR@10'].toFixed(4), report.validation['NDCG@10'].toFixed(4)]);
    for (const a of report.ablation) row(a.variant, [a['HR@10'].toFixed(4), a['NDCG@10'].toFixed(4)]);
  }
  const pick = (m: Metrics) => ({ ...Object.fromEntries(keys.map((k) => [k, m[k]])), coverage: m.coverage, diversity: m.diversity, novelty: m.novelty });
  console.log(
    JSON.stringify({
      validation: pick(report.validation),
      test: pick(report.test),
      trainSeconds: report.trainSeconds,
      ablation: report.ablation,
      users: report.test.users,
      params: report.params,
    }),
  );
}
