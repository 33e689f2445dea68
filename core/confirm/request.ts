/** What a write asks the person before it runs (apart from confirmations.ts: tool types need it, and that file needs the pipeline's). */
export interface ConfirmationRequest {
  /**
   * What will happen, as a question, from what the handler has just read; user text through
   * quoteShort(). A function is called only when the question is put (or checked): a question
   * that costs reads (counting a project's contents) costs nothing where nobody is asked.
   */
  message: string | (() => Promise<string>);
  /**
   * What the write goes against (an item's id and version, the ids it touches): when the confirmed
   * call runs again and reads another value, or would ask another question, nothing is written.
   */
  version?: unknown;
  /** A bulk write of this many items: asked only above confirmations.bulkThreshold. */
  items?: number;
}
