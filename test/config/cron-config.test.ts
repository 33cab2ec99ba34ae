import { loadConfig } from '../../src/config/config';
import { ConfigError } from '../../src/config/config-error';
import { cronProblem } from '../../src/config/cron-expression';

describe('cron expressions', () => {
  it('accepts what BullMQ job schedulers run: 5 fields, or 6 with seconds first', () => {
    for (const ok of ['0 2 1,15 * *', '0 * * * *', '*/15 9-17 * * mon-fri', '30 0 3 * * 1'])
      expect(cronProblem(ok)).toBeNull();
  });

  it('rejects values out of range, words, and too few or too many fields', () => {
    expect(cronProblem('61 * * * *')).toMatch(/61/);
    expect(cronProblem('0 0 * * 8')).toMatch(/8/);
    expect(cronProblem('every tuesday')).not.toBeNull();
    // cron-parser alone would read a 4-field expression as valid.
    expect(cronProblem('0 2 * *')).toMatch(/5 or 6 fields/);
    expect(cronProblem('0 0 2 * * * 2026')).toMatch(/5 or 6 fields/);
  });

  it('stops start-up on a bad *_CRON variable, naming it', () => {
    expect(() => loadConfig({}, { PIPELINE_CRON: '0 25 * * *' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { ALERTS_CRON: '0 25 * * *' })).toThrow(/ALERTS_CRON: not a cron expression/);
    expect(loadConfig({}, { SYNC_CRON: ' 0 4 * * * ' }).schedules.sync).toBe('0 4 * * *');
  });
});
