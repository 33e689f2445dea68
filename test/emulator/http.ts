// HTTP-level helpers shared by the router and the resources: the error families
// of taiga-back (§3 of the reference) and the reply value handlers return.

export interface Reply {
  status: number;
  /** undefined → empty body and no Content-Type (Taiga's `Response(None)`). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw body (HTML pages, the 500 JSON-in-text/html quirk, attachment files). */
  text?: { contentType: string; content: string | Buffer };
}

/** Thrown anywhere in a handler; the server turns it into the reply. */
export class ApiError extends Error {
  constructor(readonly reply: Reply) {
    super(`Taiga error ${reply.status}`);
  }
}

const EXC = 'taiga.base.exceptions.';
export const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="api"' };

export function ok(body: unknown, status = 200, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}
export const noContent = (): Reply => ({ status: 204 });
export const emptyOk = (): Reply => ({ status: 200 });

/** An APIException with a string detail: `{_error_message, _error_type}`. */
export function taigaError(status: number, message: string, type: string, headers?: Record<string, string>): ApiError {
  return new ApiError({ status, body: { _error_message: message, _error_type: EXC + type }, headers });
}
/** A verbatim body (field errors, OCC, JWT errors, bare strings). */
export function rawError(status: number, body: unknown, headers?: Record<string, string>): ApiError {
  return new ApiError({ status, body, headers });
}

export const badRequest = (message = 'Wrong arguments.', type = 'BadRequest') => taigaError(400, message, type);
export const wrongArguments = (message: string) => taigaError(400, message, 'WrongArguments');
export const fieldErrors = (errors: Record<string, unknown>) => rawError(400, errors);
export const permissionDenied = (message = 'You do not have permission to perform this action.') =>
  taigaError(403, message, 'PermissionDenied');
export const notAuthenticated = () =>
  taigaError(401, 'Authentication credentials were not provided.', 'NotAuthenticated', WWW_AUTHENTICATE);
/** Django Http404: no `_error_type`. An empty message for `get_object_or_error` lookups. */
export const notFound = (message = '') => rawError(404, { _error_message: message });
export const notFoundModel = (model: string) => notFound(`No ${model} matches the given query.`);
export const blocked = () => taigaError(451, 'Blocked element', 'Blocked');
export const methodNotAllowed = (method: string) => taigaError(405, `Method '${method}' not allowed.`, 'MethodNotAllowed');
export const notSupported = (message = 'Method not supported for this endpoint.') => taigaError(405, message, 'NotSupported');

/**
 * Methods that real Taiga routes (so they belong in `Allow`) but the emulator
 * does not implement: an explicit 501 instead of a wrong answer.
 */
export const notEmulated = (): never => {
  throw new ApiError({ status: 501, body: { _error_message: 'Not emulated by the Taiga emulator', _error_type: 'emulator.NotEmulated' } });
};
export const NOT_EMULATED_WRITES = { PUT: notEmulated, PATCH: notEmulated, DELETE: notEmulated };

export const DJANGO_404_HTML = `
<!doctype html>
<html lang="en">
<head>
  <title>Not Found</title>
</head>
<body>
  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>
</body>
</html>
`;

export const DJANGO_500_HTML = `<!doctype html>
<html lang="en">
<head>
  <title>Server Error (500)</title>
</head>
<body>
  <h1>Server Error (500)</h1><p></p>
</body>
</html>
`;

export function htmlNotFound(): Reply {
  return { status: 404, text: { contentType: 'text/html', content: DJANGO_404_HTML } };
}
