/**
 * The public API for plugin authors (`import … from 'taiga-mcp'`).
 * Plugin API version: see CORE_VERSION; plugins declare the range they support.
 */
export { definePlugin, defineTool } from './plugin/define.js';
export type { PluginDefinition, ToolDefinition, ToolContext, ToolAnnotations, ToolsetDefinition, PluginMiddleware, MiddlewarePlace, AnyTool, AuditTarget, ResourceDefinition, PromptDefinition, ServedOnlyWith } from './plugin/types.js';
export type { Middleware, ToolCall, Next } from './pipeline/types.js';
export { TaigaMcpError, ERROR_CATALOG, type ErrorCode, type ErrorPayload } from './errors.js';
export { Id, IdOrName, NullableIdOrName, ProjectRef, UserRef, NullableUserRef, Subject, Description, Comment, Text, Tag, Tags, Version, DateString, Email, Flag, Page, PageSize, PagingOutput, pick } from './schemas.js';
export { quote, block, word, json, BLOCK_OPEN, BLOCK_CLOSE } from './render/untrusted.js';
export { quoteShort } from './confirm/question.js';
export type { ConfirmationRequest } from './confirm/confirmations.js';
export * from './work-items/index.js';
export { runBatch, BatchOutput, renderBatch } from './batch.js';
export { CORE_VERSION, SERVER_VERSION } from './version.js';
export { createApp, type App, type AppOptions } from './app.js';
export { createServerFactory, type Caller } from './mcp/server.js';
export { INSTRUCTIONS } from './mcp/instructions.js';
export { loadConfig, validateConfig } from './config/load.js';
export type { Config, ConfigInput } from './config/schema.js';
export type { StateStore, SessionRecord, SessionView } from './sessions/types.js';
export type { TaigaSession } from './sessions/taiga-session.js';
export type { NameResolver } from './resolve/name-resolver.js';
