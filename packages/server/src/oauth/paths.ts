/** One redirect URI for every connector: register `<public base URL>` + this path. */
export const OAUTH_CALLBACK_PATH = '/api/connectors/_oauth_callback';
export const OAUTH_CALLBACK_SCRIPT_PATH = '/api/connectors/_oauth_callback_script';
/** Where a flow started by a cross-site fetch is bound to the browser, first-party. */
export const OAUTH_BEGIN_PATH = '/api/connectors/_oauth_begin';
