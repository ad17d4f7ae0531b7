/**
 * A minimal Server-Sent Events reader: yields the `data` payload of each event of a byte stream.
 * Chat Completions streams use only `data:` fields, but servers also send comments (`: keep-alive`,
 * OpenRouter's `: PROCESSING`), `event:` lines and CRLF endings, which must not break the parse.
 */
export async function* sseData(
  body: ReadableStream<Uint8Array>,
  /** Called whenever bytes arrive, so the caller can treat silence, not length, as a timeout. */
  onBytes?: () => void,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onBytes?.();
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
    }
    // Some servers close without the blank line that ends the last event; keep what they sent.
    const last = (buffer + decoder.decode()).replace(/\r$/, '');
    if (last.startsWith('data:')) data.push(last.slice(last.startsWith('data: ') ? 6 : 5));
    if (data.length) yield data.join('\n');
  } finally {
    // Frees the socket when the consumer stops early (at `[DONE]` or on an error).
    reader.cancel().catch(() => {});
  }
}
