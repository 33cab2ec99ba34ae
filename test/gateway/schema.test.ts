import { buildSchema, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { loadTypeDefs } from '../../src/gateway/schema-loader';

describe('schema (src/schema/*.graphql)', () => {
  const schema = buildSchema(loadTypeDefs());

  it('describes every type, field, input field and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values<{ name: string; description?: string | null }>(type.getFields()))
          if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type))
        for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('has the queries and mutations of the API contract', () => {
    const q = schema.getQueryType()!.getFields();
    for (const name of [
      'recommendations',
      'similarItems',
      'itemAffinity',
      'usersForItem',
      'popularItems',
      'rankItems',
      'product',
      'customer',
      'batchJobs',
      'pipelineRuns',
      'pipelineRun',
      'systemStatus',
    ]) {
      expect(q[name]).toBeDefined();
    }
    // userId became optional beside sessionId (anonymous visitors, issue 15): queries that pass
    // an ID! variable, as every existing client does, stay valid.
    expect(
      q.recommendations!.args.map(
        (a) => `${a.name}:${a.type.toString()}=${a.defaultValue === undefined ? '' : JSON.stringify(a.defaultValue)}`,
      ),
    ).toEqual(['userId:ID=', 'sessionId:ID=', 'limit:Int=10', 'filter:RecommendationFilter=']);
    const m = schema.getMutationType()!.getFields();
    for (const name of ['triggerRetrain', 'cancelPipelineRun', 'setSchedule', 'invalidateCache', 'recordEvents'])
      expect(m[name]).toBeDefined();
  });
});
