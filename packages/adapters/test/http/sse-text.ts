/** Reads a server-sent event stream to its end: the messages with their id, event and data. */
export async function readSse(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; messages: { id?: string; event?: string; data: string }[] }> {
  const res = await fetch(url, { headers });
  const text = await res.text(); // the server closes the stream when the run has finished
  const messages: { id?: string; event?: string; data: string }[] = [];
  for (const block of text.split('\n\n')) {
    const m: { id?: string; event?: string; data: string } = { data: '' };
    let any = false;
    for (const line of block.split('\n')) {
      const [field, ...rest] = line.split(': ');
      const value = rest.join(': ');
      if (field === 'id') m.id = value;
      else if (field === 'event') m.event = value;
      else if (field === 'data') m.data += value;
      else continue;
      any = true;
    }
    if (any) messages.push(m);
  }
  return { status: res.status, messages };
}
