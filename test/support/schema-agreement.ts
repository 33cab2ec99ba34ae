// Compares the Prisma schema, as parsed by Prisma's own schema parser (the WebAssembly build of
// prisma-schema, get_dmmf), with a migrated PostgreSQL schema read from the catalogue. Returns a
// list of human-readable differences; empty means they agree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { get_dmmf } from '@prisma/prisma-schema-wasm';

export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'prisma', 'schema.prisma');

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string }[];
}

export interface Dmmf {
  datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
}

export function parseSchema(file = SCHEMA_FILE): Dmmf {
  const schema = readFileSync(file, 'utf8');
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [[path.basename(file), schema]] }))) as Dmmf;
}

/** The PostgreSQL type (as format_type prints it) that Prisma creates for a field. */
export function expectedColumnType(f: DmmfField): string {
  const [native, args] = f.nativeType ?? [undefined, []];
  const arg = args.length ? `(${args.join(',')})` : '';
  let base: string;
  switch (native) {
    case 'VarChar':
      base = `character varying${arg}`;
      break;
    case 'Char':
      base = `character${arg}`;
      break;
    case 'Text':
      base = 'text';
      break;
    case 'Timestamptz':
      base = `timestamp${arg || '(6)'} with time zone`;
      break;
    case 'Timestamp':
      base = `timestamp${arg || '(6)'} without time zone`;
      break;
    case 'Date':
      base = 'date';
      break;
    case 'SmallInt':
      base = 'smallint';
      break;
    case 'Real':
      base = 'real';
      break;
    case 'JsonB':
      base = 'jsonb';
      break;
    case 'Json':
      base = 'json';
      break;
    case 'Decimal':
      base = `numeric${arg}`;
      break;
    case 'Uuid':
      base = 'uuid';
      break;
    case undefined:
      base =
        (
          {
            String: 'text',
            Int: 'integer',
            BigInt: 'bigint',
            Float: 'double precision',
            Boolean: 'boolean',
            Json: 'jsonb',
            DateTime: 'timestamp(3) without time zone',
            Decimal: 'numeric(65,30)',
            Bytes: 'bytea',
          } as Record<string, string>
        )[f.type] ?? `unknown Prisma type ${f.type}`;
      break;
    default:
      base = `unhandled native type ${native}`;
  }
  return f.isList ? `${base}[]` : base;
}

interface DbColumn {
  table: string;
  column: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}
interface DbIndex {
  table: string;
  name: string;
  columns: string[];
  primary: boolean;
  unique: boolean;
}

async function readDatabase(
  pool: Pool,
  schema: string,
): Promise<{ tables: string[]; columns: DbColumn[]; indexes: DbIndex[] }> {
  const tables = await pool.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [schema],
  );
  const columns = await pool.query<DbColumn>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS "notNull", a.atthasdef AS "hasDefault"
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  const indexes = await pool.query<DbIndex>(
    `SELECT t.relname AS table, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique,
            array_agg(a.attname::text ORDER BY k.ord) AS columns
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE n.nspname = $1
     GROUP BY t.relname, i.relname, x.indisprimary, x.indisunique`,
    [schema],
  );
  return { tables: tables.rows.map((r) => r.table), columns: columns.rows, indexes: indexes.rows };
}

const describeIndex = (kind: string, name: string, cols: string[]): string => `${kind} ${name} (${cols.join(', ')})`;

export async function compareSchemaWithDatabase(dmmf: Dmmf, pool: Pool, schema: string): Promise<string[]> {
  const db = await readDatabase(pool, schema);
  const problems: string[] = [];
  const modelTables = new Set<string>();
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    modelTables.add(table);
    if (!db.tables.includes(table)) {
      problems.push(`model ${model.name}: table "${table}" does not exist`);
      continue;
    }
    const scalars = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    const col = (fieldName: string): string => {
      const f = model.fields.find((x) => x.name === fieldName);
      return f?.dbName ?? fieldName;
    };
    const dbCols = new Map(db.columns.filter((c) => c.table === table).map((c) => [c.column, c]));
    for (const f of scalars) {
      const name = f.dbName ?? f.name;
      const c = dbCols.get(name);
      if (!c) {
        problems.push(`${model.name}.${f.name}: column "${table}"."${name}" does not exist`);
        continue;
      }
      dbCols.delete(name);
      const type = expectedColumnType(f);
      if (c.type !== type) problems.push(`${model.name}.${f.name}: column type is ${c.type}, the schema says ${type}`);
      // Prisma creates scalar lists as nullable arrays, whatever the field says.
      const notNull = f.isList ? false : f.isRequired;
      if (c.notNull !== notNull)
        problems.push(
          `${model.name}.${f.name}: column is ${c.notNull ? 'NOT NULL' : 'nullable'}, the schema says ${notNull ? 'required' : 'optional'}`,
        );
      if (c.hasDefault !== f.hasDefaultValue)
        problems.push(
          `${model.name}.${f.name}: column ${c.hasDefault ? 'has' : 'has no'} default, the schema ${f.hasDefaultValue ? 'has one' : 'has none'}`,
        );
    }
    for (const extra of dbCols.keys())
      problems.push(`${model.name}: column "${table}"."${extra}" has no field in the schema`);

    // Indexes, with Prisma's default names when the schema gives none.
    const expected = new Set<string>();
    for (const idx of dmmf.datamodel.indexes.filter((i) => i.model === model.name)) {
      const cols = idx.fields.map((f) => col(f.name));
      const suffix = idx.type === 'id' ? 'pkey' : idx.type === 'unique' ? 'key' : 'idx';
      const name = idx.dbName ?? (idx.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
      expected.add(
        describeIndex(idx.type === 'id' ? 'primary key' : idx.type === 'unique' ? 'unique index' : 'index', name, cols),
      );
    }
    const actual = new Set(
      db.indexes
        .filter((i) => i.table === table)
        .map((i) => describeIndex(i.primary ? 'primary key' : i.unique ? 'unique index' : 'index', i.name, i.columns)),
    );
    for (const e of expected) if (!actual.has(e)) problems.push(`${model.name}: ${e} is missing from the database`);
    for (const a of actual)
      if (!expected.has(a)) problems.push(`${model.name}: ${a} exists in the database but not in the schema`);
  }
  for (const t of db.tables) {
    if (t !== '_prisma_migrations' && !modelTables.has(t)) problems.push(`table "${t}" has no model in the schema`);
  }
  return problems;
}
