import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * What axe-core finds on the page as it is now, or only inside `scope` (a modal dialog leaves the
 * rest inert; a feature's spec audits its own part): one line per rule, with the nodes it failed on.
 */
export async function axeViolations(page: Page, scope?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page });
  if (scope) axe.include(scope);
  const { violations } = await axe.analyze();
  return violations.map(
    (violation) =>
      `${violation.id}: ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary}`).join('\n'),
  );
}

/** Fails the test now if axe finds anything in `scope`, saying `where` it looked. */
export async function expectNoAxeViolations(page: Page, scope: string, where: string): Promise<void> {
  expect(await axeViolations(page, scope), `axe on ${where}`).toEqual([]);
}
