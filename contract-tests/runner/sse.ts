// Reads a Server-Sent Events body as the HTML standard defines the format: events separated by
// a blank line, `data:` lines joined with newlines, comments and unknown fields ignored. A body
// cut off mid-event (the runner stops reading a stream after a while) drops the unfinished event.
export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

export function parseEventStream(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  // The last piece has no line ending yet: it is not a complete line.
  lines.pop();
  for (const line of lines) {
    if (line === '') {
      if (data.length) events.push({ event: event || 'message', data: data.join('\n'), id });
      data = [];
      event = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  return events;
}
