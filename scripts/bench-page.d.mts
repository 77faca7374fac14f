export interface ServedPage {
  /** The folder the bundle was written to (copy extra files into it). */
  readonly dir: string;
  /** `http://127.0.0.1:<port>/`: the page. */
  readonly url: string;
  close(): void;
}

export function servePage(
  entryPoints: Record<string, string>,
  options?: {
    readonly splitting?: boolean;
    readonly conditions?: string[];
    /** The Content-Security-Policy header of the HTML page. */
    readonly pageCsp?: string;
    /** Extra response headers of a file, by path (e.g. a worker's own CSP). */
    readonly headersFor?: (path: string) => Record<string, string>;
    readonly prefix?: string;
  },
): Promise<ServedPage>;
