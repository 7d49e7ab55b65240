import { DiagnosticSeverity, Parser } from '@asyncapi/parser';

/** Errors and warnings of @asyncapi/parser (its Spectral ruleset included), one readable line each. */
export async function asyncApiProblems(document: unknown): Promise<string[]> {
  const diagnostics = await new Parser().validate(JSON.stringify(document));
  return diagnostics
    .filter(({ severity }) => severity <= DiagnosticSeverity.Warning)
    .map(({ code, message, path }) => `${code} at ${path.join('.')}: ${message}`);
}
