import { DEFAULT_COST_RATES, estimateCost, formatCost, ratesFrom } from '../../src/aws/cost-estimate';

describe('estimateCost', () => {
  it("prices the reference store's run: training hours, batch inputs, ingestion and storage", () => {
    const e = estimateCost({
      trainingHours: 10,
      batchInputs: 180_484 + 4_182,
      ingestedBytes: 99 * 1024 ** 2,
      storedBytes: 300 * 1024 ** 2,
    });
    expect(e.trainingUsd).toBeCloseTo(2.4, 4);
    expect(e.batchUsd).toBeCloseTo(184.666 * 0.067, 3);
    expect(e.ingestionUsd).toBeCloseTo((99 / 1024) * 0.05, 4);
    expect(e.storageUsd).toBeCloseTo((300 / 1024) * 0.023, 4);
    expect(e.totalUsd).toBeCloseTo(e.trainingUsd + e.batchUsd + e.ingestionUsd + e.storageUsd, 3);
    expect(formatCost(e)).toMatch(/^estimated cost \$\d+\.\d\d: training 10\.00 h \$2\.40, batch 184666 inputs/);
  });

  it('takes rate overrides from AWS_COST_RATES and rejects unknown names', () => {
    expect(ratesFrom({ trainingHour: 0.3 })).toEqual({ ...DEFAULT_COST_RATES, trainingHour: 0.3 });
    expect(() => ratesFrom({ gpuHour: 1 })).toThrow('AWS_COST_RATES: unknown rate "gpuHour"');
  });
});
