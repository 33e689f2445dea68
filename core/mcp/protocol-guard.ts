/**
 * What is wrong with an incoming JSON value as an MCP message, before the SDK sees it, so that the
 * answer is a short JSON-RPC error rather than silence or a dump of the SDK's schema issues.
 * Shared by the stdio and HTTP transports.
 */
export interface ProtocolProblem {
  /** The request's id; null when it cannot be told; undefined for a notification (no answer). */
  id: string | number | null | undefined;
  code: number;
  message: string;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
// The SDK drops a request whose id is a fraction or beyond 2^53 without an answer: refused here instead.
const isId = (v: unknown): v is string | number => typeof v === 'string' || Number.isSafeInteger(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optionalObject = (v: unknown) => v === undefined || isObject(v);

/** The params each method needs before a handler can make sense of it. */
const PARAM_RULES: Record<string, (p: Obj) => string | undefined> = {
  initialize: (p) =>
    typeof p['protocolVersion'] !== 'string'
      ? 'params.protocolVersion must be a string'
      : !isObject(p['capabilities'])
        ? 'params.capabilities must be an object'
        : !isObject(p['clientInfo']) || typeof p['clientInfo']['name'] !== 'string' || typeof p['clientInfo']['version'] !== 'string'
          ? 'params.clientInfo must be an object with name and version strings'
          : undefined,
  'tools/call': (p) => (typeof p['name'] !== 'string' ? 'params.name must be a string' : !optionalObject(p['arguments']) ? 'params.arguments must be an object' : undefined),
  'prompts/get': (p) => (typeof p['name'] !== 'string' ? 'params.name must be a string' : !optionalObject(p['arguments']) ? 'params.arguments must be an object' : undefined),
  'resources/read': (p) => (typeof p['uri'] !== 'string' ? 'params.uri must be a string' : undefined),
  'completion/complete': (p) => (!isObject(p['ref']) || !isObject(p['argument']) ? 'params.ref and params.argument must be objects' : undefined),
};

export function protocolProblem(value: unknown): ProtocolProblem | undefined {
  if (Array.isArray(value)) return { id: null, code: -32600, message: 'Invalid Request: batches are not supported.' };
  if (!isObject(value) || value['jsonrpc'] !== '2.0') return { id: isObject(value) && isId(value['id']) ? value['id'] : null, code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message.' };
  const hasId = 'id' in value;
  if (typeof value['method'] !== 'string') {
    // A response (to a request of ours) passes through; anything else is no message at all.
    if (hasId && ('result' in value || 'error' in value)) return undefined;
    return { id: isId(value['id']) ? value['id'] : null, code: -32600, message: 'Invalid Request: no method.' };
  }
  if (hasId && !isId(value['id'])) return { id: isNumber(value['id']) ? value['id'] : null, code: -32600, message: 'Invalid Request: the id must be a string or an integer.' };
  if ('result' in value || 'error' in value) return { id: hasId ? (value['id'] as string | number) : null, code: -32600, message: 'Invalid Request: a message is a request or a response, not both.' };
  const id = hasId ? (value['id'] as string | number) : undefined;
  const params = value['params'];
  if (params !== undefined && !isObject(params)) return { id, code: -32602, message: 'Invalid params: params must be an object.' };
  const rule = PARAM_RULES[value['method']];
  const problem = rule && id !== undefined ? rule(params ?? {}) : undefined;
  return problem ? { id, code: -32602, message: `Invalid params: ${problem}.` } : undefined;
}
