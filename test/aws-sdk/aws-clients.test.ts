// The project's clients must honour the SDK's standard endpoint settings, so an operator can point
// them at any compatible service. Proven over real HTTP against a local server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListDatasetGroupsCommand } from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { loadConfig } from '../../src/config/config';
import { createPersonalizeClient, createPersonalizeEventsClient } from '../../src/aws-sdk/aws-clients';

const KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_PERSONALIZE',
  'AWS_ENDPOINT_URL_PERSONALIZE_EVENTS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
];
let server: http.Server;
let base = '';
const seen: { url: string; target?: string; auth?: string }[] = [];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const k of KEYS) saved[k] = process.env[k];
  server = http.createServer((req, res) => {
    seen.push({
      url: req.url ?? '',
      target: req.headers['x-amz-target'] as string | undefined,
      auth: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        req.url?.startsWith('/events')
          ? '{}'
          : JSON.stringify({ datasetGroups: [{ name: 'shop', datasetGroupArn: 'arn:x', status: 'ACTIVE' }] }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
});
afterAll(async () => {
  for (const k of KEYS) {
    if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = saved[k];
  }
  await new Promise((r) => server.close(r));
});

const config = loadConfig({}, { AWS_REGION: 'eu-west-1' });

describe('AWS clients and the SDK endpoint settings', () => {
  it('Personalize follows AWS_ENDPOINT_URL_PERSONALIZE, signing with the default credential chain', async () => {
    process.env.AWS_ENDPOINT_URL_PERSONALIZE = `${base}/personalize`;
    const client = createPersonalizeClient(config);
    const out = await client.send(new ListDatasetGroupsCommand({}));
    client.destroy();
    delete process.env.AWS_ENDPOINT_URL_PERSONALIZE;
    expect(out.datasetGroups?.[0]?.name).toBe('shop');
    const call = seen.find((s) => s.target === 'AmazonPersonalize.ListDatasetGroups');
    expect(call?.url).toBe('/personalize/');
    expect(call?.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d+\/eu-west-1\/personalize\/aws4_request/);
  });

  it('Personalize Events follows the generic AWS_ENDPOINT_URL', async () => {
    process.env.AWS_ENDPOINT_URL = `${base}/events`;
    const client = createPersonalizeEventsClient(config);
    await client.send(
      new PutEventsCommand({ trackingId: 't', sessionId: 's', eventList: [{ eventType: 'view', sentAt: new Date() }] }),
    );
    client.destroy();
    delete process.env.AWS_ENDPOINT_URL;
    expect(seen.some((s) => s.url.startsWith('/events'))).toBe(true);
  });

  it('refuses to build a client without AWS_REGION', () => {
    expect(() => createPersonalizeClient(loadConfig({}, {}))).toThrow('AWS_REGION is required');
  });
});
