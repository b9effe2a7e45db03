/**
 * How answers become JSON. Each route's response schema (zod, `contract/`) is turned once into JSON
 * Schema and compiled by fast-json-stringify (Fastify's own serializer): on every answer it writes
 * the schema's properties, in the schema's order, and nothing else, so the allow-list holds as with
 * zod (a field the schema does not name never leaves the server). zod's encode followed by
 * `JSON.stringify` cost 12–100 µs per answer (a search page: ~90 µs, ~9 % of the server's time per
 * search, issue 6 §4); the compiled function about half. A missing required field still fails the
 * answer (500). A schema JSON Schema cannot express keeps zod's serializer.
 */
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Compiler = typeof zodSerializerCompiler;

function zodSchemaOf(maybe: unknown): z.ZodType | null {
  if (maybe instanceof z.ZodType) return maybe;
  const p = (maybe as { properties?: unknown } | null)?.properties;
  return p instanceof z.ZodType ? p : null;
}

/** The JSON Schema of a response (what the route writes), or null when it cannot be expressed. */
export function responseJsonSchema(schema: z.ZodType): Record<string, unknown> | null {
  try {
    const js = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw', target: 'draft-7' }) as Record<
      string,
      unknown
    >;
    delete js.$schema;
    return js;
  } catch {
    return null;
  }
}

export const serializerCompiler: Compiler = (route) => {
  const schema = zodSchemaOf(route.schema);
  const js = schema && responseJsonSchema(schema);
  if (!js) return zodSerializerCompiler(route);
  try {
    return fastJson(js as unknown as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
  } catch {
    return zodSerializerCompiler(route);
  }
};
