/** The principal of a stdio caller, the one local user of the process (and of the key a loopback HTTP server makes at start for that user). */
export const LOCAL_PRINCIPAL = 'local';
