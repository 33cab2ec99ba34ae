import { readOnlineRetail } from '../../src/importers/online-retail/online-retail-reader';
import { describeWithDataset, HEAVY_TEST_TIMEOUT_MS } from '../support/datasets';

describeWithDataset('online-retail', 'readOnlineRetail on the real Online Retail file', (DATASET) => {
  it(
    'classifies all 541,909 rows the way the dataset README counts them',
    async () => {
      const kinds: Record<string, number> = {};
      let cancellations = 0;
      let lastLine = 0;
      let progressCalls = 0;
      for await (const r of readOnlineRetail(DATASET, { onProgress: () => progressCalls++ })) {
        kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
        if (r.kind === 'return' && r.cancellation) cancellations++;
        lastLine = r.line;
      }
      // README: 135,080 rows without CustomerID; two of them (bad-debt adjustments with a negative
      // price) are malformed, so they land in the quarantine instead of the skipped count.
      expect(kinds).toEqual({
        purchase: 396_370,
        return: 8_539,
        'skipped-no-customer': 135_078,
        'skipped-non-product': 1_920,
        rejected: 2,
      });
      expect(cancellations).toBeGreaterThan(8_400);
      expect(lastLine).toBe(541_910);
      expect(progressCalls).toBeGreaterThan(10);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
