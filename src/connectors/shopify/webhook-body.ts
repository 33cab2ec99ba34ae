// Shopify's webhook bodies carry 64-bit numeric ids (order 820982911946154508 in its own samples),
// past the 2^53 that a JavaScript number holds exactly. JSON.parse would round them to another
// id, so bodies are parsed losslessly: an integer too large for a number stays its exact digits
// as a string (every id schema takes strings); other numbers are ordinary numbers.
import { isInteger, isSafeNumber, parse } from 'lossless-json';

function parseNumber(text: string): number | string {
  if (isInteger(text) && !isSafeNumber(text)) return text;
  return Number(text);
}

/** Parses a webhook body; throws SyntaxError when it is not JSON. */
export function parseWebhookBody(text: string): unknown {
  return parse(text, null, parseNumber);
}
