import { describe, expect, it } from 'vitest';
import { displayWidth, renderGrid, renderSummary, truncateToWidth, type PipelineSnapshot } from '../../../infra/local/progress';

const LANGUAGES = ['en', 'ko', 'ja', 'ar', 'zh-Hans', 'zh-Hant', 'vi', 'th', 'id', 'ms', 'de', 'ru', 'fr', 'es', 'pt'];
const HEADLINES = [
  '星空モビリティ、神戸港で国内初の電動高速旅客船を就航、関西の観光と物流に新たな選択肢',
  'สยามไบโอแก๊สเปิดโรงไฟฟ้าชีวมวลจากเปลือกทุเรียนที่ใหญ่ที่สุดในภาคตะวันออก',
  'Aguamar inaugura en Almería la mayor desaladora solar de Europa y abastecerá a 300.000 personas',
];

function snapshot(releases: number): PipelineSnapshot {
  return {
    releases: Array.from({ length: releases }, (_, i) => ({
      releaseId: `r${i}`,
      headline: HEADLINES[i % HEADLINES.length]!,
      version: 1,
      languages: LANGUAGES.map((language, j) => ({ language, status: j % 3 === 0 ? 'published' : j % 3 === 1 ? 'translated' : 'pending' })),
      billedCharacters: 64_764 * (i + 1),
      memoryCharacters: 1_234,
      estimatedCostUsd: 1.2345,
      createdAt: '2026-12-03T10:00:00.000Z',
      finishedAt: '2026-12-03T10:00:13.900Z',
    })),
    rejected: [{ sourceKey: 'incoming/empty.txt', message: 'the file is empty' }],
    waiting: [],
  };
}

describe('live grid and summary sized to the terminal', () => {
  it('measures wide and combining characters as a terminal shows them', () => {
    expect(displayWidth('星空')).toBe(4);
    expect(displayWidth('แก๊ส')).toBe(3);
    expect(displayWidth(truncateToWidth(HEADLINES[0]!, 21))).toBeLessThanOrEqual(21);
  });

  it('keeps every grid line within the width and the grid within the height', () => {
    for (const [width, height, releases] of [
      [74, 20, 3],
      [74, 20, 12],
      [40, 10, 30],
    ] as const) {
      const lines = renderGrid(snapshot(releases), width, height).split('\n');
      expect(lines.length).toBeLessThanOrEqual(height);
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    }
  });

  it('counts rejected uploads in the grid instead of listing them in every frame', () => {
    const grid = renderGrid(snapshot(1), 74, 20);
    expect(grid).not.toContain('incoming/empty.txt');
    expect(grid).toContain('1 upload(s) rejected');
  });

  it('shows every language cell when there is room, and one line per release when there is not', () => {
    expect(renderGrid(snapshot(2), 74, 20)).toContain('pt ·');
    const tight = renderGrid(snapshot(12), 74, 20).split('\n');
    expect(tight.some((line) => line.includes('pt ·'))).toBe(false);
    expect(tight).toHaveLength(13);
    const crowded = renderGrid(snapshot(30), 74, 20).split('\n');
    expect(crowded).toHaveLength(20);
    expect(crowded.at(-2)).toBe('… and 12 more');
  });

  it('fits the summary table in 80 columns', () => {
    const table = renderSummary(snapshot(3), { width: 80 });
    for (const line of table.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    expect(table).toContain('incoming/empty.txt');
  });
});
