/** Version of the core (the plugin API). Plugins declare the range of it they support. */
export const CORE_VERSION = '1.2.0';
/** Version of the server package, shown to MCP clients. */
export const SERVER_VERSION = '0.1.0';
