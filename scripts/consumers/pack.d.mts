/** The workspace root (absolute, no trailing slash). */
export const root: string;

/** The packages that ship a dist, by folder name under packages/. */
export const PACKAGES: readonly string[];

/** `packages/<name>/package.json`, parsed. */
export function manifestOf(name: string): Record<string, unknown>;

/** Builds every package whose dist is missing or older than its sources (one build at a time). */
export function ensureBuilt(): Promise<void>;

/** What `npm pack` would put in each package's tarball, by package folder name. */
export function packContents(
  names?: readonly string[],
): Record<string, { readonly filename: string; readonly files: string[] }>;

/** What is wrong with a package's tarball contents, one sentence each; empty when right. */
export function packProblems(
  name: string,
  files: readonly string[],
  pkg?: Record<string, unknown>,
): string[];

/** Builds what is stale and packs every package once per process into a temp folder. */
export function packPackages(): Promise<{
  readonly dir: string;
  readonly tarballs: Readonly<Record<string, string>>;
}>;

export interface Consumer {
  /** The project's folder (a new temp folder). */
  readonly dir: string;
  /** The tarballs installed from, by package folder name. */
  readonly tarballs: Readonly<Record<string, string>>;
  /** Runs a command in the project (NODE_OPTIONS cleared: no tsx, no source condition). */
  exec(
    cmd: string,
    args?: readonly string[],
    options?: { readonly env?: Record<string, string | undefined>; readonly timeout?: number },
  ): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

/** Makes a consumer project in a temp folder with the packed tarballs installed offline. */
export function createConsumer(options?: {
  /** Millrace packages by folder name (their Millrace dependencies come along). */
  readonly packages?: readonly string[];
  /** Third-party packages at the workspace's installed versions (e.g. react, vite). */
  readonly dependencies?: readonly string[];
  /** Merged into the project's package.json (`type: 'module'` by default). */
  readonly packageJson?: Record<string, unknown>;
  /** Files to write first, by path relative to the project. */
  readonly files?: Readonly<Record<string, string>>;
  /** The temp folder's name prefix. */
  readonly prefix?: string;
  /** `npm ci --ignore-scripts` (default true). */
  readonly ignoreScripts?: boolean;
}): Promise<Consumer>;
