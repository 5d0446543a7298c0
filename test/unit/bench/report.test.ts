import { describe, expect, it } from 'vitest';
import type { BenchRun } from '../../../bench/harness';
import { median } from '../../../bench/harness';
import { renderJson, renderReport, summaryRows } from '../../../bench/report';

const run: BenchRun = {
  date: '2026-05-11T10:00:00.000Z',
  quick: false,
  machine: {
    cpuModel: 'Intel(R) Xeon(R) Processor',
    cores: 2,
    memoryGiB: 23.6,
    freeMemoryGiB: 21.3,
    os: 'Linux 6.1 x64',
    node: 'v20.20.2',
    loadAverageStart: 1.5,
    loadAverageEnd: 0.4,
  },
  durationMs: 95_000,
  results: [
    {
      id: 'cost',
      title: 'Translation cost',
      method: 'Counts what the engine is sent.',
      goals: [{ text: 'billed == limit', met: true, measured: '1,000 == 1,000' }],
      figures: [
        { name: 'Billed characters', value: 1000, unit: 'chars' },
        { name: 'Saving vs naive', value: 0.8, unit: '', display: '80.0 % (1 : 5.0)' },
      ],
      table: [
        ['Language', 'Billed'],
        ['de', '71 | 2'],
      ],
      notes: ['Source language excluded.'],
      durationMs: 1234,
    },
    {
      id: 'memory',
      title: 'Memory',
      method: 'Peak RSS.',
      goals: [{ text: '≤ 200 MB', met: null, measured: 'not measured' }],
      figures: [],
      notes: [],
      skipped: 'handlers not available yet',
      durationMs: 5,
    },
  ],
};

describe('renderReport', () => {
  const markdown = renderReport(run);

  it('states the date, the machine, the duration and the load', () => {
    expect(markdown).toContain('on 2026-05-11T10:00:00.000Z in 95 s');
    expect(markdown).toContain('2 × Intel(R) Xeon(R) Processor, 23.6 GiB memory');
    expect(markdown).toContain('Node.js v20.20.2');
    expect(markdown).toContain('1-minute load average: 1.5 at start, 0.4 at end — other processes were competing');
  });

  it('lists every goal in the summary with its verdict', () => {
    expect(markdown).toContain('| Translation cost | billed == limit | 1,000 == 1,000 | ✅ met |');
    expect(markdown).toContain('| Memory | ≤ 200 MB | not measured | ⚪ not measured |');
  });

  it('renders figures, tables with escaped pipes, notes and why a benchmark did not run', () => {
    expect(markdown).toContain('| Billed characters | 1,000 chars |');
    expect(markdown).toContain('| Saving vs naive | 80.0 % (1 : 5.0) |');
    expect(markdown).toContain('| de | 71 \\| 2 |');
    expect(markdown).toContain('- Source language excluded.');
    expect(markdown).toContain('**Not run:** handlers not available yet');
  });

  it('marks quick runs', () => {
    expect(renderReport({ ...run, quick: true })).toContain('`npm run bench -- --quick`');
  });
});

describe('renderJson and summaryRows', () => {
  it('round-trips the run', () => {
    expect(JSON.parse(renderJson(run))).toEqual(run);
  });

  it('has one summary row per goal', () => {
    expect(summaryRows(run)).toHaveLength(2);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('refuses a goal marked met or missed without a measured value', () => {
    for (const met of [true, false]) {
      const unmeasured: BenchRun = { ...run, results: [{ ...run.results[0]!, goals: [{ text: 'import ≤ 1.5 × reference', met, measured: 'fast' }] }] };
      expect(() => renderReport(unmeasured)).toThrow(/marked (met|missed) without a measured value/);
      expect(() => renderJson(unmeasured)).toThrow(/without a measured value/);
    }
    const undecided: BenchRun = { ...run, results: [{ ...run.results[0]!, goals: [{ text: 'import ≤ 1.5 × reference', met: null, measured: 'not measured' }] }] };
    expect(renderReport(undecided)).toContain('not measured');
    const noisy: BenchRun = { ...run, results: [{ ...run.results[0]!, goals: [{ text: 'k ≤ 1.35', met: null, measured: 'k = 1.48 (runs allow 1.1–1.9)' }] }] };
    expect(renderReport(noisy)).toContain('| k = 1.48 (runs allow 1.1–1.9) | ⚪ not decided |');
  });
});
