import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../core/config/load.js';
import type { TaigaMcpError } from '../../core/errors.js';

// Where traces go: the standard OTEL_EXPORTER_OTLP_* variables over `telemetry.otlp` of the config.

const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-telemetry-config-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const otlp = (env: NodeJS.ProcessEnv, configFile?: string) => loadConfig({ env, cwd: dir, ...(configFile && { file: configFile }) }).config.telemetry.otlp;
const refused = (pattern: RegExp, never: string[] = []) => (e: TaigaMcpError) => {
  assert.equal(e.code, 'CONFIG_INVALID');
  assert.match(e.message, pattern);
  for (const text of never) assert.ok(!e.message.includes(text), `${text} echoed: ${e.message}`);
  return true;
};

test('off unless an endpoint is set: headers or a protocol alone turn nothing on', () => {
  assert.equal(otlp({}), undefined);
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_HEADERS: 'a=b', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'x' }), undefined);
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }), undefined, 'an empty variable is unset');
});

test('OTEL_EXPORTER_OTLP_ENDPOINT is the base (+ /v1/traces); the _TRACES_ one is the URL itself and wins', () => {
  assert.deepEqual(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }), { endpoint: 'http://collector:4318/v1/traces', headers: {}, protocol: 'http/protobuf' });
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318//' })?.endpoint, 'http://collector:4318/v1/traces', 'every trailing slash');
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://vendor.example/otlp' })?.endpoint, 'https://vendor.example/otlp/v1/traces');
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom' })?.endpoint, 'http://b:4318/custom');
});

test('the protocol: http/protobuf by default, http/json when asked, the _TRACES_ variable first; anything else fails naming the variable', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
  assert.equal(otlp({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })?.protocol, 'http/json');
  assert.equal(otlp({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' })?.protocol, 'http/protobuf');
  assert.equal(otlp({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: ' http/json ' })?.protocol, 'http/json', 'spaces around it');
  assert.throws(() => otlp({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), refused(/OTEL_EXPORTER_OTLP_PROTOCOL \(telemetry\.otlp\.protocol\): expected/));
});

test('headers: key=value pairs, percent-decoded, the _TRACES_ ones over the general ones key by key', () => {
  const found = otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=general, x-team = a%20b ,', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'api-key=traces%3D1' });
  assert.deepEqual(found?.headers, { 'api-key': 'traces=1', 'x-team': 'a b' });
  // Read again, in the same process: the order of the variables is not worn by the first reading.
  assert.deepEqual(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=general', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'api-key=traces' })?.headers, { 'api-key': 'traces' });
  assert.deepEqual(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: ' , a=1, \t ,b=2' })?.headers, { a: '1', b: '2' }, 'blank items are skipped');
});

test('a malformed header list fails naming the variable, never echoing a value', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
  assert.throws(() => otlp({ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'api-key' }), refused(/OTEL_EXPORTER_OTLP_HEADERS: expected name=value pairs/, ['api-key']));
  assert.throws(() => otlp({ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: '=s3cret-value' }), refused(/OTEL_EXPORTER_OTLP_HEADERS: expected/, ['s3cret-value']));
  assert.throws(() => otlp({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'key=s3cret%zz' }), refused(/OTEL_EXPORTER_OTLP_TRACES_HEADERS: expected/, ['s3cret']));
});

test('a header that would end early (CR, LF) or a bad header name is refused, the value never echoed', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
  assert.throws(() => otlp({ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cret%0D%0Ax-injected%3A%201' }), refused(/OTEL_EXPORTER_OTLP_HEADERS \(telemetry\.otlp\.headers\.api-key\): expected .*, got \[REDACTED\]/, ['s3cret', 'injected']));
  assert.throws(() => otlp({}, file('bad-header.json', { telemetry: { otlp: { endpoint: 'http://c:4318', headers: { 'api key': 's3cret' } } } })), refused(/^invalid configuration: telemetry\.otlp\.headers\.api key: expected an HTTP header name, got \[REDACTED\]$/, ['s3cret']));
  assert.throws(
    () => otlp({ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'a=1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=s3cret%0A' }),
    refused(/^invalid configuration: OTEL_EXPORTER_OTLP_HEADERS \+ OTEL_EXPORTER_OTLP_TRACES_HEADERS \(telemetry\.otlp\.headers\.b\): expected a header value without control characters, got \[REDACTED\]$/, ['s3cret']),
  );
});

test('the endpoint is an http(s) URL; a bad one is not echoed (it may carry a password)', () => {
  assert.throws(() => otlp({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://user:s3cret@c:4318' }), refused(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT \(telemetry\.otlp\.endpoint\): expected/, ['s3cret']));
  assert.throws(
    () => otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c:4318/?next=http://s3cret' }),
    refused(/^invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT \(telemetry\.otlp\.endpoint\): expected an http:\/\/ or https:\/\/ URL, got \[REDACTED\]$/, ['s3cret']),
  );
  assert.throws(() => otlp({}, file('bad-endpoint.json', { telemetry: { otlp: { endpoint: 'not a url s3cret' } } })), refused(/telemetry\.otlp\.endpoint: expected/, ['s3cret']));
});

test('telemetry.otlp in the config file; each variable overrides only its own key', () => {
  const path = file('otlp.json', { telemetry: { otlp: { endpoint: 'http://from-file:4318/v1/traces', headers: { 'x-key': 'file' } } } });
  assert.deepEqual(otlp({}, path), { endpoint: 'http://from-file:4318/v1/traces', headers: { 'x-key': 'file' }, protocol: 'http/protobuf' });
  assert.deepEqual(otlp({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, path), { endpoint: 'http://from-file:4318/v1/traces', headers: { 'x-key': 'file' }, protocol: 'http/json' });
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://from-env:4318' }, path)?.endpoint, 'http://from-env:4318/v1/traces');
});

test('a telemetry or telemetry.otlp in the file that is not an object is refused, not replaced by the variables', () => {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
  assert.throws(() => otlp(env, file('telemetry-number.json', { telemetry: 5 })), refused(/^invalid configuration: telemetry: expected Object, got 5$/));
  assert.throws(() => otlp(env, file('otlp-number.json', { telemetry: { otlp: 5 } })), refused(/^invalid configuration: telemetry\.otlp: expected Object, got 5$/));
  assert.equal(otlp(env, file('telemetry-null.json', { telemetry: { otlp: null } }))?.endpoint, 'http://c:4318/v1/traces', 'null is as absent');
});

test('OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn tracing off, whatever else is set', () => {
  const path = file('otlp-off.json', { telemetry: { otlp: { endpoint: 'http://from-file:4318/v1/traces' } } });
  assert.equal(otlp({ OTEL_SDK_DISABLED: 'true' }, path), undefined);
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'TRUE' }), undefined);
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: ' None ' }), undefined);
  assert.equal(otlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' })?.endpoint, 'http://c:4318/v1/traces');
});

test('a config file found in the working directory cannot turn tracing on (it would send data elsewhere)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'taiga-mcp-found-'));
  writeFileSync(join(cwd, 'taiga-mcp.config.json'), JSON.stringify({ telemetry: { otlp: { endpoint: 'http://elsewhere:4318' } } }));
  const loaded = loadConfig({ env: {}, cwd });
  assert.equal(loaded.config.telemetry.otlp, undefined);
  assert.deepEqual(loaded.ignored, ['telemetry']);
});
