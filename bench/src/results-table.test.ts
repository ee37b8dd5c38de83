import { describe, expect, it } from 'vitest';
import type { Measurement } from './measurement.js';
import {
  formatGflops,
  formatMs,
  formatRatio,
  formatResultsTable,
  README_END,
  README_START,
  replaceBetweenMarkers,
  type WorkloadResult,
} from './results-table.js';

function measurement(medianMs: number, cpuMedianMs: number): Measurement {
  return { medianMs, minMs: medianMs - 1, cpuMedianMs, samplesMs: [medianMs], maxRssMb: 300.4, details: {} };
}

const result: WorkloadResult = {
  name: 'lstm-train-step',
  unit: 'step',
  shape: 'LSTM',
  flops: 2e9,
  formula: '',
  repeats: 3,
  ours: { ...measurement(400, 200), peakTensorMb: 126.6 },
  pytorch: measurement(50, 25),
};

describe('number formats', () => {
  it('formats milliseconds, GFLOP/s and ratios', () => {
    expect(formatMs(12.345)).toBe('12.3');
    expect(formatMs(1234.5)).toBe('1,235');
    expect(formatGflops(2e9, 400)).toBe('5.0'); // 2 GFLOP in 0.4 s
    expect(formatGflops(2e9, 50)).toBe('40.0');
    expect(formatRatio(400, 50)).toBe('8.0x');
  });
});

describe('formatResultsTable', () => {
  it('puts ours and PyTorch side by side with the ratios', () => {
    const table = formatResultsTable([result], { available: true, description: 'torch 1.13, 1 thread' });
    const lines = table.split('\n');
    expect(lines[0]?.split('|').length).toBe(16);
    expect(lines[2]).toBe(
      '| lstm-train-step | step | 400 | 399 | 200 | 5.0 | 300 | 127 | 50.0 | 25.0 | 40.0 | 300 | 8.0x | 8.0x |',
    );
    expect(table).toContain('PyTorch reference: torch 1.13, 1 thread.');
  });

  it('says when the reference did not run and shows failures in place', () => {
    const { pytorch: _, ...withoutReference } = result;
    const failed: WorkloadResult = {
      ...withoutReference,
      name: 'mlp-mnist-epoch',
      ours: { error: 'exit code 1' },
    };
    const table = formatResultsTable([withoutReference, failed], {
      available: false,
      description: '/usr/bin/python3 cannot import torch',
    });
    expect(table).toContain(
      '| lstm-train-step | step | 400 | 399 | 200 | 5.0 | 300 | 127 | — | — | — | — | — | — |',
    );
    expect(table).toContain('| mlp-mnist-epoch | step | failed: exit code 1 |');
    expect(table).toContain('PyTorch reference not run: /usr/bin/python3 cannot import torch.');
  });
});

describe('replaceBetweenMarkers', () => {
  it('replaces only the text between the markers', () => {
    const document = `# Title\n${README_START}\nold\n${README_END}\ntail\n`;
    expect(replaceBetweenMarkers(document, 'new\n')).toBe(
      `# Title\n${README_START}\nnew\n${README_END}\ntail\n`,
    );
  });

  it('refuses a document without the markers', () => {
    expect(() => replaceBetweenMarkers('# Title\n', 'x')).toThrow(/needs the markers/);
  });
});
