import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { startIssuer, type Issuer } from '../helpers/oauth-issuer.js';
import { messageOf, rawRequest, rpc, startHttpMcp, type HttpMcp, type RawAnswer } from '../helpers/http-server.js';
import { runCli, serverEnv } from '../helpers/stdio-harness.js';

// Who may do what: an API key's own readOnly and toolsets, and OAuth scopes per annotation and per
// toolset, at list and at call time, resources and prompts following the tools they stand for.
let emulator: Emulator;
let server: HttpMcp;
let issuer: Issuer;
const full = newApiKey();
const reader = newApiKey();
const wikiOnly = newApiKey();
const wikiReader = newApiKey();
const defaultsAndWiki = newApiKey();
const AUDIENCE = 'https://taiga-mcp.test/mcp';
const METADATA = 'https://mcp.taiga-mcp.test/.well-known/oauth-protected-resource/mcp';
const TOOL_SCOPES = { write: 'taiga:write', destructive: 'taiga:delete', toolsets: { wiki: 'taiga:wiki' } };

before(async () => {
  emulator = await startEmulator();
  issuer = await startIssuer();
  server = await startHttpMcp({
    emulator,
    http: {
      publicUrl: 'https://mcp.taiga-mcp.test',
      auth: {
        apiKeys: [
          { sha256: full.sha256, principal: 'full' },
          { sha256: reader.sha256, principal: 'reader', readOnly: true },
          { sha256: wikiOnly.sha256, principal: 'wiki', toolsets: ['projects', 'wiki'] },
          { sha256: wikiReader.sha256, principal: 'wiki-reader', toolsets: ['wiki', 'projects'], readOnly: true },
          { sha256: defaultsAndWiki.sha256, principal: 'defaults', toolsets: ['default', 'wiki'] },
        ],
        oauth: { issuer: issuer.url, audience: AUDIENCE, requiredScopes: ['mcp'], toolScopes: TOOL_SCOPES },
      },
    },
  });
});
after(async () => {
  await server?.stop();
  await issuer?.close();
  await emulator?.close();
});

const token = (scope: string) => issuer.sign({ sub: 'carol', aud: AUDIENCE, iss: issuer.url, scope, exp: Math.floor(Date.now() / 1000) + 300 });
const ask = (bearer: string, method: string, params: Record<string, unknown> = {}) => rawRequest(server.mcpUrl, { headers: { authorization: `Bearer ${bearer}` }, body: rpc(method, params) });
const resultOf = async (bearer: string, method: string, params: Record<string, unknown> = {}) => {
  const answer = await ask(bearer, method, params);
  const message = messageOf(answer);
  assert.ok(message.result, `${method}: ${answer.body.slice(0, 300)}`);
  return message.result;
};
const toolNames = async (bearer: string) => ((await resultOf(bearer, 'tools/list')).tools as Array<{ name: string; annotations: { readOnlyHint?: boolean; destructiveHint?: boolean } }>);
const promptNames = async (bearer: string) => ((await resultOf(bearer, 'prompts/list')).prompts as Array<{ name: string }>).map((p) => p.name).sort();
const templateUris = async (bearer: string) => ((await resultOf(bearer, 'resources/templates/list')).resourceTemplates as Array<{ uriTemplate: string }>).map((t) => t.uriTemplate).sort();
const toolError = async (bearer: string, name: string, args: Record<string, unknown>) => {
  const result = await resultOf(bearer, 'tools/call', { name, arguments: args });
  assert.equal(result.isError, true, JSON.stringify(result).slice(0, 300));
  return (JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
};
const viewTools = async (bearer: string) => {
  const page = ((await resultOf(bearer, 'resources/read', { uri: 'ui://taiga-mcp/sprint' })).contents as Array<{ text: string }>)[0]!.text;
  return /data-taiga-tools="([^"]*)"/.exec(page)![1]!.split(' ');
};
/** A 403 as RFC 6750 §3.1 and MCP step-up authorization want it: the scope to ask for, in the challenge. */
function assertInsufficientScope(answer: RawAnswer, missing: string, scope: string): void {
  assert.equal(answer.status, 403, answer.body);
  assert.equal(answer.headers['www-authenticate'], `Bearer realm="taiga-mcp", resource_metadata="${METADATA}", error="insufficient_scope", error_description="missing scope ${missing}", scope="${scope}"`);
  const error = (JSON.parse(answer.body) as { error: { message: string; data: { code: string; message: string; hint: string; details: Record<string, unknown> } } }).error;
  assert.equal(error.data.code, 'NOT_GRANTED');
  assert.match(error.message, new RegExp(`^The token lacks the scope ${missing} that \\w+ needs\\.$`));
  assert.equal(error.data.message, error.message);
  assert.match(error.data.hint, /details\.scope/);
  assert.deepEqual(error.data.details, { missing_scope: missing, scope });
}

test('a read-only API key lists and calls only read-only tools; a prompt that writes and the views lose what writes', async () => {
  const all = await toolNames(full.key);
  const reads = all.filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
  assert.ok(reads.length > 20 && reads.length < all.length);
  assert.deepEqual((await toolNames(reader.key)).map((t) => t.name), reads);

  const refused = await toolError(reader.key, 'create_user_story', { project: 'project-0', subject: 'x' });
  assert.equal(refused.code, 'NOT_GRANTED');
  assert.equal(refused.message, 'This API key is read-only; create_user_story writes.');
  assert.deepEqual(refused.details, { reason: 'read-only' });
  // A read answers as for any key.
  assert.equal((await resultOf(reader.key, 'tools/call', { name: 'list_projects', arguments: {} })).isError, undefined);

  // triage_issues and plan_sprint stand for tools that write: gone for the reader, served to the full key.
  assert.ok((await promptNames(full.key)).includes('triage_issues'));
  const prompts = (await resultOf(full.key, 'prompts/list')).prompts as Array<{ name: string; arguments: unknown }>;
  assert.deepEqual(prompts.find((p) => p.name === 'triage_issues')!.arguments, [{ name: 'project', description: 'Project slug or id', required: true }]);
  assert.ok(!(await promptNames(reader.key)).includes('triage_issues'));
  const hidden = messageOf(await ask(reader.key, 'prompts/get', { name: 'triage_issues', arguments: { project: 'project-0' } }));
  const unknown = messageOf(await ask(reader.key, 'prompts/get', { name: 'no_such_prompt', arguments: {} }));
  assert.equal((hidden.error as { data?: { code: string } }).data?.code, 'NOT_FOUND');
  assert.equal(hidden.error!.code, unknown.error!.code);
  // The sprint board offers the reader no card moves.
  assert.ok((await viewTools(full.key)).includes('update_user_story'));
  assert.ok(!(await viewTools(reader.key)).includes('update_user_story'));
});

test("an API key's toolsets bound its tools, resource templates and reads", async () => {
  const tools = (await toolNames(wikiOnly.key)).map((t) => t.name);
  assert.ok(tools.includes('list_wiki_pages') && tools.includes('create_wiki_page') && tools.includes('list_projects') && !tools.includes('list_user_stories') && !tools.includes('login'));
  // The same toolsets read-only: the same tools less those that write (each key its own view, however alike).
  const reads = (await toolNames(wikiOnly.key)).filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
  assert.deepEqual((await toolNames(wikiReader.key)).map((t) => t.name), reads);
  // `default` names the default toolsets.
  const defaults = (await toolNames(defaultsAndWiki.key)).map((t) => t.name);
  assert.ok(['login', 'list_user_stories', 'list_issues', 'create_wiki_page'].every((n) => defaults.includes(n)) && !defaults.includes('list_epics') && !defaults.includes('get_me'), defaults.join(' '));
  const template = ((await resultOf(wikiOnly.key, 'resources/templates/list')).resourceTemplates as Array<Record<string, unknown>>)[0];
  assert.deepEqual(Object.keys(template!).sort(), ['description', 'mimeType', 'name', 'title', 'uriTemplate']);
  assert.equal(template!['mimeType'], 'application/json');
  assert.deepEqual(await templateUris(wikiOnly.key), ['taiga://projects/{project}', 'taiga://projects/{project}/wiki/{slug}']);
  assert.ok((await templateUris(full.key)).includes('taiga://projects/{project}/user-stories/{ref}'));

  const refused = await toolError(wikiOnly.key, 'list_user_stories', { project: 'project-0' });
  assert.equal(refused.code, 'NOT_GRANTED');
  assert.deepEqual(refused.details, { reason: 'toolset', toolset: 'user_stories' });
  assert.equal(refused.message, 'This API key does not grant the toolset user_stories of list_user_stories.');
  const read = messageOf(await ask(wikiOnly.key, 'resources/read', { uri: 'taiga://projects/project-0/user-stories/1' }));
  assert.equal((read.error as { data?: { code: string } }).data?.code, 'NOT_FOUND');
  const completion = await resultOf(wikiOnly.key, 'completion/complete', { ref: { type: 'ref/resource', uri: 'taiga://projects/{project}/user-stories/{ref}' }, argument: { name: 'project', value: 'p' } });
  assert.deepEqual((completion.completion as { values: string[] }).values, []);
  const allowed = await resultOf(wikiOnly.key, 'completion/complete', { ref: { type: 'ref/resource', uri: 'taiga://projects/{project}/wiki/{slug}' }, argument: { name: 'project', value: 'p' } });
  assert.ok((allowed.completion as { values: string[] }).values.length > 0);
});

test('OAuth: a tool needing a scope the token lacks is not listed, and its call is a 403 insufficient_scope naming the scope', async () => {
  const base = await token('mcp');
  const names = (await toolNames(base)).map((t) => t.name);
  const everything = (await toolNames(full.key)).map((t) => t.name);
  const reads = (await toolNames(full.key)).filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
  assert.deepEqual(names, reads.filter((n) => !['list_wiki_pages', 'get_wiki_page'].includes(n) && !n.includes('wiki')));
  assert.ok(!(await templateUris(base)).some((t) => t.includes('/wiki/')));

  assertInsufficientScope(await ask(base, 'tools/call', { name: 'create_user_story', arguments: { project: 'project-0', subject: 'x' } }), 'taiga:write', 'mcp taiga:write');
  assertInsufficientScope(await ask(base, 'tools/call', { name: 'list_wiki_pages', arguments: { project: 'project-0' } }), 'taiga:wiki', 'mcp taiga:wiki');

  // Two scopes missing: both named, and the scope to ask for holds every one the tool needs.
  assertInsufficientScope(await ask(base, 'tools/call', { name: 'delete_user_story', arguments: { project: 'project-0', ref: 1 } }), 'taiga:write taiga:delete', 'mcp taiga:write taiga:delete');
  const writer = await token('mcp taiga:write');
  const writable = await toolNames(writer);
  assert.ok(writable.some((t) => t.name === 'create_user_story') && !writable.some((t) => t.annotations.destructiveHint));
  assertInsufficientScope(await ask(writer, 'tools/call', { name: 'delete_user_story', arguments: { project: 'project-0', ref: 1 } }), 'taiga:delete', 'mcp taiga:write taiga:delete');

  const all = await token('mcp taiga:write taiga:delete taiga:wiki');
  assert.deepEqual((await toolNames(all)).map((t) => t.name), everything);
  // Nothing of a scope rule touches a token that holds it: the call goes through to Taiga.
  assert.equal((await resultOf(all, 'tools/call', { name: 'list_wiki_pages', arguments: { project_id: 'project-1' } })).isError, undefined);

  const metadata = JSON.parse((await rawRequest(`${server.origin}/.well-known/oauth-protected-resource/mcp`, { method: 'GET', headers: { host: 'mcp.taiga-mcp.test' } })).body) as { scopes_supported: string[] };
  assert.deepEqual(metadata.scopes_supported, ['mcp', 'taiga:write', 'taiga:delete', 'taiga:wiki']);
});

test('a toolset that a key or a scope rule names must exist: the server does not start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-access-'));
  const run = async (http: Record<string, unknown>) => {
    const file = join(dir, `${Object.keys(http.auth as object).join('-')}.json`);
    writeFileSync(file, JSON.stringify({ http: { port: 0, ...http } }));
    return runCli(['--config', file, '--http'], serverEnv(emulator));
  };
  const [key, scope] = await Promise.all([
    run({ auth: { apiKeys: [{ sha256: full.sha256, principal: 'x', toolsets: ['wikki'] }] } }),
    run({ auth: { oauth: { issuer: issuer.url, toolScopes: { toolsets: { wikki: 'w' } } } } }),
  ]);
  assert.equal(key.code, 2);
  assert.match(key.stderr, /TOOLSET_UNKNOWN: http\.auth\.apiKeys\[0\]: unknown toolset "wikki"/);
  assert.equal(scope.code, 2);
  assert.match(scope.stderr, /TOOLSET_UNKNOWN: http\.auth\.oauth\.toolScopes\.toolsets: unknown toolset "wikki"/);
});
