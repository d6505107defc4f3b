import { expect, type Page } from '@playwright/test';

/** Steps several specs take the same way through the UI, so each spec reads as what it tests. */

/**
 * How long a step that checks a password (setup, sign-in, unlock, a password change) may take to
 * show its next screen. The station hashes each password with scrypt (N = 2^15, slow on purpose),
 * and CI runs two hosts, two browsers and their media tools on two cores: measured there, the
 * engine's check took 0.4–1.5 s and the click to the top bar 3–6 s, once more than the default 10 s.
 */
export const PASSWORD_STEP_TIMEOUT_MS = 30_000;

export interface TestAdmin {
  name: string;
  displayName: string;
  password: string;
}

/** First run: fills the setup screen with `admin` and waits for the signed-in station. */
export async function setUpFirstAdmin(page: Page, admin: TestAdmin): Promise<void> {
  const setup = page.getByTestId('setup-screen');
  await setup.getByTestId('setup-name').fill(admin.name);
  await setup.getByTestId('setup-display-name').fill(admin.displayName);
  await setup.getByTestId('setup-password').fill(admin.password);
  await setup.getByTestId('setup-confirm').fill(admin.password);
  await setup.getByTestId('setup-submit').click();
  await expect(page.getByTestId('top-bar')).toBeVisible({ timeout: PASSWORD_STEP_TIMEOUT_MS });
}

/** Fills the sign-in screen with an account's name and password and waits for the signed-in station. */
export async function signIn(page: Page, account: { name: string; password: string }): Promise<void> {
  const form = page.getByTestId('sign-in-screen');
  await form.getByTestId('sign-in-name').fill(account.name);
  await form.getByTestId('sign-in-password').fill(account.password);
  await form.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('top-bar')).toBeVisible({ timeout: PASSWORD_STEP_TIMEOUT_MS });
}

/**
 * Imports the folder at `path` through the import dialog's path field, waits for the record to
 * list `imported` files as imported, and closes the dialog.
 */
export async function importThroughDialog(page: Page, path: string, imported: number): Promise<void> {
  await page.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByTestId('import-path-input').fill(path);
  await dialog.getByTestId('import-path-add').click();
  await dialog.getByTestId('import-start').click();
  await expect(dialog.getByTestId('import-record')).toBeVisible({ timeout: 120_000 });
  await expect(dialog.locator('[data-testid="record-file"][data-outcome="imported"]')).toHaveCount(imported);
  await page.keyboard.press('Escape');
}

/**
 * A contract call from inside the page with the page's own session: for set-up a spec needs but
 * does not test (the UI has its own specs for that), and for what the UI has no button for.
 */
export async function callStation<T>(page: Page, method: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, input }) => {
      const session = sessionStorage.getItem('station.sessionId') ?? '';
      const response = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Station-Session': session },
        body: JSON.stringify(input),
      });
      const body = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
      if (!body.ok) throw new Error(`${method} failed: ${JSON.stringify(body.error)}`);
      return body.value as T;
    },
    { method, input },
  );
}
