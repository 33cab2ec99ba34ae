import { createProgress } from '../../src/terminal/progress';

describe('createProgress without a terminal', () => {
  it('writes a start line, periodic percentages and a done line', () => {
    const lines: string[] = [];
    const p = createProgress({ tty: false, write: (l) => lines.push(l), intervalMs: 0 });
    p.start('import f.csv', 4 << 20, 'bytes');
    p.update(1 << 20);
    p.update(3 << 20);
    p.stop();
    expect(lines).toEqual([
      'import f.csv: started (4.0 MiB)',
      'import f.csv: 25% (1.0 MiB of 4.0 MiB)',
      'import f.csv: 75% (3.0 MiB of 4.0 MiB)',
      'import f.csv: done',
    ]);
  });

  it('stays quiet between intervals', () => {
    const lines: string[] = [];
    const p = createProgress({ tty: false, write: (l) => lines.push(l), intervalMs: 60_000 });
    p.start('write order lines', 1000, 'lines');
    for (let i = 0; i < 1000; i++) p.update(i);
    p.stop();
    expect(lines).toEqual(['write order lines: started (1,000 lines)', 'write order lines: done']);
  });

  it('follows a total learnt as the work goes, with its detail', () => {
    const lines: string[] = [];
    const p = createProgress({ tty: false, write: (l) => lines.push(l), intervalMs: 0 });
    p.start('shopify sync', 10, 'orders');
    p.update(10, { total: 40, detail: '2 pages' });
    p.stop();
    expect(lines).toEqual([
      'shopify sync: started (10 orders)',
      'shopify sync: 25% (10 orders of 40 orders, 2 pages)',
      'shopify sync: done',
    ]);
  });
});
