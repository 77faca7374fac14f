/**
 * The name of the `<meta>` tag through which a server tells the pages it serves where its API
 * is: `millrace serve` injects `<meta name="millrace-api" content="/">` into its HTML, and a
 * page that finds it talks to that API (createHttpClient) instead of a local engine.
 */
export const API_META_NAME = 'millrace-api';
