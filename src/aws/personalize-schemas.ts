// The three Personalize schemas, field for field as REFERENCE.md defines the exported CSV files.
import type { DatasetKind } from './personalize-names';

interface AvroField {
  name: string;
  type: string;
  categorical?: boolean;
}

function avro(name: string, fields: AvroField[]): string {
  return JSON.stringify({
    type: 'record',
    name,
    namespace: 'com.amazonaws.personalize.schema',
    fields,
    version: '1.0',
  });
}

export const SCHEMAS: Record<DatasetKind, string> = {
  interactions: avro('Interactions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: 'float' },
  ]),
  items: avro('Items', [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'ITEM_NAME', type: 'string' },
    { name: 'CATEGORY', type: 'string', categorical: true },
    { name: 'PRICE', type: 'float' },
    { name: 'PURCHASE_COUNT', type: 'int' },
  ]),
  users: avro('Users', [
    { name: 'USER_ID', type: 'string' },
    { name: 'CITY', type: 'string', categorical: true },
    { name: 'PROVINCE', type: 'string', categorical: true },
    { name: 'ORDER_COUNT', type: 'int' },
    { name: 'TOTAL_SPEND', type: 'float' },
  ]),
};

/** The filter REFERENCE.md lists for not recommending what a customer already bought. */
export const EXCLUDE_PURCHASED_EXPRESSION = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")';
