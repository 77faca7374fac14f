import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MillraceError, type ActionDefinition } from '@millrace/engine';

/** What a host module gives the engines of `millrace serve`. */
export interface HostModule {
  readonly actions: readonly ActionDefinition[];
  readonly secrets?: Readonly<Record<string, string>>;
}

const SHAPE =
  'export `actions` (an array of action definitions, each with a string `type` and a `run` function) and optionally `secrets` (an object of strings), as named exports or on the default export';

/**
 * Loads `--actions MODULE` (a path from the working directory; TypeScript works, the CLI runs
 * under tsx): the host actions, and secrets, the server's engines get. A missing file is
 * E_CLI_FILE; a module that fails to load or exports something else is E_CLI_MODULE, which
 * says what was found and what is expected.
 *
 * @example
 * // host-actions.ts
 * export const actions = [{ type: 'slack.post', title: 'Post to Slack', run: (input) => post(input) }];
 */
export async function loadHostModule(path: string): Promise<HostModule> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new MillraceError('E_CLI_FILE', `--actions ${path}: no such file (looked at ${file}).`);
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new MillraceError(
      'E_CLI_MODULE',
      `--actions ${path} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const fallback = (loaded['default'] ?? {}) as Record<string, unknown>;
  const actions = loaded['actions'] ?? fallback['actions'];
  const secrets = loaded['secrets'] ?? fallback['secrets'];
  const list = Array.isArray(actions)
    ? (actions as unknown[])
    : actions !== null && typeof actions === 'object'
      ? Object.values(actions)
      : undefined;
  if (!list) {
    throw new MillraceError(
      'E_CLI_MODULE',
      `--actions ${path} exports no \`actions\` (found exports: ${Object.keys(loaded).join(', ') || 'none'}). It must ${SHAPE}.`,
    );
  }
  list.forEach((action, i) => {
    const a = (action ?? {}) as Partial<ActionDefinition>;
    if (typeof a.type !== 'string' || a.type === '' || typeof a.run !== 'function') {
      throw new MillraceError(
        'E_CLI_MODULE',
        `--actions ${path}: actions[${i}] is not an action definition (it needs a string \`type\` and a \`run\` function). The module must ${SHAPE}.`,
        { path: `/actions/${i}` },
      );
    }
  });
  if (
    secrets !== undefined &&
    (secrets === null ||
      typeof secrets !== 'object' ||
      Object.values(secrets).some((v) => typeof v !== 'string'))
  ) {
    throw new MillraceError(
      'E_CLI_MODULE',
      `--actions ${path}: \`secrets\` must be an object whose values are strings.`,
      { path: '/secrets' },
    );
  }
  return {
    actions: list as ActionDefinition[],
    ...(secrets === undefined ? {} : { secrets: secrets as Record<string, string> }),
  };
}
