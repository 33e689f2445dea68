// The emulator's media server: GET /media/<attached_file> answers the bytes of
// an attachment (seeded or uploaded) with its Content-Type and length, as the
// web server in front of taiga-back would. Outside /api/v1, no authentication.
import { htmlNotFound, type Reply } from './http.js';
import type { State } from './state.js';

export function serveMedia(state: State, method: string, pathname: string): Reply {
  if (method !== 'GET' && method !== 'HEAD') return htmlNotFound();
  let path: string;
  try {
    path = decodeURIComponent(pathname.slice('/media/'.length));
  } catch {
    return htmlNotFound();
  }
  const file = state.files.get(path);
  if (!file) return htmlNotFound();
  return { status: 200, text: { contentType: file.contentType, content: file.bytes } };
}
