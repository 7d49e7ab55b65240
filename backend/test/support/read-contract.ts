import ts from 'typescript';
import {
  createFormatter,
  createParser,
  DEFAULT_CONFIG,
  SchemaGenerator,
  type CompletedConfig,
} from 'ts-json-schema-generator';
import { fileURLToPath } from 'node:url';
import type { ContractSnapshot, EventSignature, JsonSchema } from '../../src/docs/asyncapi.document.js';

const CONTRACT_SRC = fileURLToPath(new URL('../../../contract/src/', import.meta.url));
/** The files that declare the wire format; the rest of contract/src is rules both sides apply. */
const WIRE_FILES = ['models.ts', 'events.ts', 'errors.ts'].map((file) => CONTRACT_SRC + file);
/** Function maps, described as operations rather than as schemas. */
const EVENT_MAPS = ['ClientToServerEvents', 'ServerToClientEvents'] as const;

const CONFIG: CompletedConfig = {
  ...DEFAULT_CONFIG,
  expose: 'export',
  topRef: true,
  jsDoc: 'extended',
  // The event maps are interfaces of functions; their parameters are read below instead.
  functions: 'hide',
  // The server refuses unknown payload fields (forbidNonWhitelisted) and sends none.
  additionalProperties: false,
  sortProps: true,
};

/**
 * Reads `contract/src` with the TypeScript compiler and describes the wire format: every exported
 * type as a JSON Schema (ts-json-schema-generator), and every event of both maps with its JSDoc,
 * payload and ack. `backend/src/docs/contract-snapshot.ts` is this function's output; the
 * AsyncAPI spec fails when the two differ.
 */
export function readContract(): ContractSnapshot {
  const program = ts.createProgram(WIRE_FILES, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    // Only the language's own library: the wire types need no DOM or Node types, and loading them triples the time.
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  const problems = WIRE_FILES.flatMap((file) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)),
  );
  if (problems.length > 0)
    throw new Error(
      ts.formatDiagnostics(problems, {
        ...ts.sys,
        getCanonicalFileName: (name) => name,
        getNewLine: () => '\n',
      }),
    );
  const parser = createParser(program, CONFIG);
  const formatter = createFormatter(CONFIG);
  const generator = new SchemaGenerator(program, parser, formatter, CONFIG);
  const { definitions: named = {} } = generator.createSchema('*');
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(named).sort(([a], [b]) => a.localeCompare(b)))
    if (!(EVENT_MAPS as readonly string[]).includes(name))
      schemas[name] = toComponentRefs(schema as JsonSchema);
  /** An argument's schema: a named contract type stays a reference; anything written inline is inlined. */
  const schemaOf = (node: ts.TypeNode): JsonSchema => {
    const { $schema: _, definitions = {}, ...root } = generator.createSchemaFromNodes([node]);
    const inline = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(inline);
      if (typeof value !== 'object' || value === null) return value;
      const { $ref, ...rest } = value as JsonSchema;
      const name =
        typeof $ref === 'string' ? decodeURIComponent($ref.replace('#/definitions/', '')) : undefined;
      if (name !== undefined && !(name in schemas))
        return inline({ ...(definitions[name] as object), ...rest });
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inline(item)]));
    };
    return toComponentRefs(inline(root) as JsonSchema);
  };

  const events = program.getSourceFile(CONTRACT_SRC + 'events.ts');
  if (!events) throw new Error('contract/src/events.ts is missing');
  const checker = program.getTypeChecker();
  const [clientMap, serverMap] = EVENT_MAPS.map((name) => eventMap(events, name));
  const errors = program.getSourceFile(CONTRACT_SRC + 'errors.ts');
  if (!errors) throw new Error('contract/src/errors.ts is missing');
  return {
    schemas,
    errorCodes: codeList(errors, 'ERROR_CODES'),
    handshakeErrorCodes: codeList(errors, 'HANDSHAKE_ERROR_CODES'),
    clientEvents: Object.fromEntries(
      clientMap.map(({ name, description, parameters }) => {
        // Client events are `(ack)` or `(payload, ack)`, the ack always `Ack<T>`.
        const ack = parameters.at(-1);
        const acked =
          ack && ts.isTypeReferenceNode(ack) && ack.typeName.getText() === 'Ack'
            ? ack.typeArguments?.[0]
            : undefined;
        if (!acked || parameters.length > 2) throw new Error(`${name}: expected (payload?, ack: Ack<T>)`);
        const signature: EventSignature = { ...describe(description), ack: schemaOf(acked) };
        if (parameters.length === 2) signature.payload = schemaOf(parameters[0]);
        return [name, signature];
      }),
    ),
    serverEvents: Object.fromEntries(
      serverMap.map(({ name, description, parameters }) => {
        if (parameters.length > 1) throw new Error(`${name}: a server event carries one argument at most`);
        const signature: EventSignature = describe(description);
        if (parameters.length === 1) signature.payload = schemaOf(parameters[0]);
        return [name, signature];
      }),
    ),
  };

  /** `[ /** meaning *\/ 'CODE', ... ] as const` → `{ CODE: 'meaning' }` ('' where no comment says). */
  function codeList(source: ts.SourceFile, name: string): Record<string, string> {
    let list: ts.ArrayLiteralExpression | undefined;
    source.forEachChild(function find(node) {
      if (ts.isVariableDeclaration(node) && node.name.getText() === name && node.initializer) {
        const value = ts.isAsExpression(node.initializer) ? node.initializer.expression : node.initializer;
        if (ts.isArrayLiteralExpression(value)) list = value;
      } else node.forEachChild(find);
    });
    if (!list) throw new Error(`${name} is missing from contract/src/errors.ts`);
    return Object.fromEntries(
      list.elements.map((element) => {
        if (!ts.isStringLiteral(element)) throw new Error(`${name}: every code is a string literal`);
        const comments = ts.getLeadingCommentRanges(source.text, element.getFullStart()) ?? [];
        const doc = comments
          .map(({ pos, end }) => source.text.slice(pos, end))
          .filter((text) => text.startsWith('/**'))
          .map((text) =>
            text
              .replace(/^\/\*\*|\*\/$/g, '')
              .replace(/^\s*\* ?/gm, '')
              .trim(),
          )
          .join(' ');
        return [element.text, doc];
      }),
    );
  }

  function eventMap(
    source: ts.SourceFile,
    name: string,
  ): { name: string; description: string; parameters: ts.TypeNode[] }[] {
    const map = source.statements.find(
      (node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === name,
    );
    if (!map) throw new Error(`${name} is missing from contract/src/events.ts`);
    return map.members.map((member) => {
      const symbol = member.name && checker.getSymbolAtLocation(member.name);
      const type = ts.isPropertySignature(member) ? member.type : undefined;
      if (!symbol || !type || !ts.isFunctionTypeNode(type))
        throw new Error(`${name}: every member is an event, written 'event': (...args) => void`);
      const parameters = type.parameters.map((parameter) => {
        if (!parameter.type || parameter.questionToken || parameter.dotDotDotToken)
          throw new Error(`${name}['${symbol.name}']: every argument has a type and is required`);
        return parameter.type;
      });
      // One paragraph: the comment's line breaks are only where its source wraps.
      const description = ts
        .displayPartsToString(symbol.getDocumentationComment(checker))
        .replace(/\s*\n\s*/g, ' ');
      return { name: symbol.name, description, parameters };
    });
  }
}

function describe(description: string): EventSignature {
  return description ? { description } : {};
}

/** ts-json-schema-generator points at `#/definitions/X`; the AsyncAPI document keeps them in components. */
function toComponentRefs(schema: JsonSchema): JsonSchema {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/definitions/', '"#/components/schemas/'),
  ) as JsonSchema;
}

/** The source of `backend/src/docs/contract-snapshot.ts`, formatted by the caller. */
export function renderContractSnapshot(snapshot: ContractSnapshot): string {
  return [
    '// Generated from contract/src by backend/test/support/read-contract.ts: do not edit by hand.',
    '// After changing the contract, regenerate it (the AsyncAPI spec fails until you do):',
    '//   FLACK_WRITE_CONTRACT_SNAPSHOT=1 node --experimental-vm-modules node_modules/jest/bin/jest.js \\',
    '//     --selectProjects backend --testPathPatterns asyncapi.document',
    "import type { ContractSnapshot } from './asyncapi.document.js';",
    '',
    `export const CONTRACT_SNAPSHOT: ContractSnapshot = ${JSON.stringify(snapshot)};`,
    '',
  ].join('\n');
}
