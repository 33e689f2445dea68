// The MCP Bundle's manifest.json, generated from package.json and the built-in plugins (the tools
// `taiga-mcp tools --all` lists), so that it cannot drift from the code.
import type { McpbManifestAny } from '@anthropic-ai/mcpb';
import { toolListing } from '../../core/cli-commands.js';
import { validateConfig } from '../../core/config/load.js';

/** The CLI bundle, relative to dist/; in the .mcpb, to server/, so that the demo Taiga and tool-descriptors.json are where it looks. */
export const BUNDLED_CLI = 'core/taiga-mcp.mjs';
export const SERVER_DIR = 'server';
export const ENTRY_POINT = `${SERVER_DIR}/${BUNDLED_CLI}`;

export interface PackageJson {
  name: string;
  version: string;
  description: string;
  author: string;
  license: string;
  keywords: string[];
  engines: { node: string };
}

type UserConfigField = NonNullable<McpbManifestAny['user_config']>[string];

/**
 * The form the client shows, in order, and the server variable each field sets. Every field is
 * optional (the demo needs no URL, a token needs no password), so each has a default of its type:
 * a blank field then resolves to "" rather than to its placeholder (which the server ignores too).
 */
function formFields(toolsets: { default: string[]; all: string[] }): Array<{ key: string; env: string; field: UserConfigField }> {
  const text = (title: string, description: string, sensitive = false): UserConfigField => ({ type: 'string', title, description, required: false, default: '', ...(sensitive && { sensitive: true }) });
  const flag = (title: string, description: string): UserConfigField => ({ type: 'boolean', title, description, required: false, default: false });
  return [
    { key: 'taiga_url', env: 'TAIGA_API_URL', field: text('Taiga URL', 'Your Taiga, e.g. https://taiga.example.com (taiga.io: https://api.taiga.io). Leave it blank only to try the demo.') },
    { key: 'application_token', env: 'TAIGA_APPLICATION_TOKEN', field: text('Application token', 'A Taiga application token (it lasts until revoked in Taiga); or leave it blank and give a username and password.', true) },
    { key: 'username', env: 'TAIGA_USERNAME', field: text('Username', 'Your Taiga username or e-mail, with the password below (not needed with an application token).', true) },
    { key: 'password', env: 'TAIGA_PASSWORD', field: text('Password', 'Your Taiga password. The agent never sees it.', true) },
    {
      key: 'toolsets',
      env: 'TAIGA_TOOLSETS',
      field: { type: 'string', title: 'Toolsets', description: `Which tools the agent sees: default (${toolsets.default.join(', ')}), all, or a comma-separated list such as default,sprints,wiki, of: ${toolsets.all.join(', ')}.`, required: false, default: 'default' },
    },
    { key: 'read_only', env: 'TAIGA_READ_ONLY', field: flag('Read-only', 'Only the tools that read: nothing in Taiga can be changed.') },
    { key: 'demo', env: 'TAIGA_MCP_DEMO', field: flag('Demo Taiga', 'Try it on the built-in demo Taiga (sample data, not a real Taiga) instead: the URL and credentials are ignored.') },
    { key: 'allow_http', env: 'ALLOW_HTTP_TAIGA', field: flag('Allow http://', 'Accept a plain http:// Taiga URL (a Taiga on this computer or on a network you trust): the credential then travels unencrypted.') },
  ];
}

export async function mcpbManifest(pkg: PackageJson): Promise<McpbManifestAny> {
  const { rows, inventory } = await toolListing(validateConfig({}), true);
  const fields = formFields({ default: inventory.toolsets.filter((t) => t.default).map((t) => t.id), all: inventory.toolsets.map((t) => t.id) });
  const toolsets = inventory.toolsets.map((t) => `- **${t.id}**${t.default ? ' (default)' : ''}: ${t.description}`);
  return {
    manifest_version: '0.4',
    name: pkg.name,
    display_name: 'Taiga',
    version: pkg.version,
    description: pkg.description,
    long_description: [
      'Lets the agent work on your Taiga: projects, epics, user stories, tasks, issues, sprints, the wiki, comments, attachments and more.',
      'Your password or token stays with the server and never reaches the model. Names work wherever ids are asked, lists page completely, and every failure says what to do next.',
      `Tools come in toolsets; the default ones are on, the others one setting away:\n\n${toolsets.join('\n')}`,
    ].join('\n\n'),
    author: { name: pkg.author },
    license: pkg.license,
    keywords: pkg.keywords,
    icon: 'icon.png',
    server: {
      type: 'node',
      entry_point: ENTRY_POINT,
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/${ENTRY_POINT}`],
        env: Object.fromEntries(fields.map((f) => [f.env, `\${user_config.${f.key}}`])),
      },
    },
    tools: rows.map((r) => ({ name: r.name, description: r.description })),
    compatibility: { platforms: ['darwin', 'win32', 'linux'], runtimes: { node: pkg.engines.node } },
    user_config: Object.fromEntries(fields.map((f) => [f.key, f.field])),
  };
}
