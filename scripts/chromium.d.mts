export declare const chromiumPath: string;
export declare const chromiumArgs: readonly string[];
export declare const installCommand: string;
export declare function ensureChromium(): { ok: true } | { ok: false; message: string };
