type Raw = Record<string, unknown>;

/** What every Taiga history entry says of itself: its id, who wrote it, when. */
export const entryHead = (e: Raw): { id: string; user?: string; date: string } => ({
  id: String(e['id']),
  ...(typeof (e['user'] as Raw | null)?.['username'] === 'string' && { user: String((e['user'] as Raw)['username']) }),
  date: String(e['created_at']),
});
