// A host page for tests and screenshots, built with the official host side of MCP Apps (AppBridge
// over a PostMessageTransport on a sandboxed iframe). Runs in the browser (bundled by
// test/helpers/view-host.ts); tool calls from the view go to `window.hostCallTool`, which the test
// forwards to the server under test.
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { McpUiHostContext } from '@modelcontextprotocol/ext-apps';

interface Mount {
  html: string;
  hostContext: McpUiHostContext;
  toolInput: Record<string, unknown>;
  toolResult: Record<string, unknown>;
}

declare global {
  interface Window {
    hostCallTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<Record<string, unknown>>;
    mountView(mount: Mount): Promise<void>;
    viewBridge?: AppBridge;
  }
}

window.mountView = async ({ html, hostContext, toolInput, toolResult }) => {
  const iframe = document.getElementById('view') as HTMLIFrameElement;
  const bridge = new AppBridge(null, { name: 'taiga-mcp test host', version: '1.0.0' }, { serverTools: {}, logging: {} }, { hostContext });
  bridge.oncalltool = async (params) => (await window.hostCallTool({ name: params.name, ...(params.arguments && { arguments: params.arguments }) })) as never;
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${Math.ceil(height)}px`;
  };
  // A view that fails before its handshake would otherwise leave the test waiting for the protocol timeout.
  const initialized = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the view did not initialize within 30 s')), 30_000);
    bridge.oninitialized = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  // The order MCP Apps asks of a host: connect, then load the page, then wait for it to say it is ready.
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  iframe.srcdoc = html;
  await initialized;
  await bridge.sendToolInput({ arguments: toolInput });
  await bridge.sendToolResult(toolResult as never);
  window.viewBridge = bridge;
};
