import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

/**
 * Checks a response against the OpenAPI document the server itself serves, so every route test
 * also proves that the document tells the truth: the status is one the operation declares, and
 * a JSON body matches the schema declared for that status. The test kit's `request` calls it on
 * every answer (a test that sends something deliberately off-contract can opt out).
 */
interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  components?: object;
}
interface DocumentEntry {
  document: OpenApiDocument;
  routes: { pattern: RegExp; operations: Record<string, Operation> }[];
  validators: Map<string, ValidateFunction>;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;
addFormats(ajv);

// The document a server publishes does not change while a test runs against it: fetch it once.
const documents = new Map<string, Promise<DocumentEntry | undefined>>();

/** Prefers the internal document (every route, internal ones too) and falls back to the public one. */
async function loadDocument(baseUrl: string): Promise<DocumentEntry | undefined> {
  for (const path of ['/openapi.internal.json', '/openapi.json']) {
    const response = await fetch(baseUrl + path).catch(() => undefined);
    if (!response?.ok) continue;
    const document = (await response.json()) as OpenApiDocument;
    const routes = Object.entries(document.paths ?? {}).map(([template, operations]) => ({
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      operations,
    }));
    return { document, routes, validators: new Map() };
  }
  return undefined;
}

export interface ContractViolation {
  message: string;
}

/**
 * Returns why a response breaks the document, or undefined when it conforms (or when the
 * server publishes no document, or the path is not an API route: /docs, /metrics, health).
 */
export async function checkResponseAgainstDocument(
  baseUrl: string,
  method: string,
  pathWithQuery: string,
  status: number,
  contentType: string | null,
  body: unknown,
): Promise<ContractViolation | undefined> {
  let entry = documents.get(baseUrl);
  if (!entry) documents.set(baseUrl, (entry = loadDocument(baseUrl)));
  const loaded = await entry;
  if (!loaded) return undefined;
  const path = pathWithQuery.split('?')[0]!;
  const route = loaded.routes.find((r) => r.pattern.test(path));
  const operation = route?.operations[method.toLowerCase()];
  // Unknown routes and methods answer the contract's 404/405, which no operation documents.
  if (!operation) return undefined;
  const where = `${method.toUpperCase()} ${path} answered ${status}`;
  const declared = operation.responses?.[String(status)];
  if (!declared) return { message: `${where}, a status its OpenAPI operation does not declare` };
  const schema = declared.content?.['application/json']?.schema;
  const isJson = contentType?.startsWith('application/json') ?? false;
  if (!schema) {
    return isJson && body !== undefined ? { message: `${where} with a JSON body, but the document declares none` } : undefined;
  }
  if (!isJson) return { message: `${where} with ${contentType ?? 'no content type'}, but the document declares a JSON body` };
  const key = `${method} ${route!.pattern.source} ${status}`;
  let validate = loaded.validators.get(key);
  if (!validate) {
    validate = ajv.compile({ ...schema, components: loaded.document.components });
    loaded.validators.set(key, validate);
  }
  if (validate(body)) return undefined;
  return { message: `${where} with a body that does not match its documented schema: ${ajv.errorsText(validate.errors)}` };
}
