// A small multipart/form-data reader for template builds: text fields and file parts.
export interface Form {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Parses a form, or returns undefined when the body is not a well-formed multipart body. */
export function parseMultipart(body: Buffer, boundary: string): Form | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const form: Form = { fields: {}, files: {} };
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return form;
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') return undefined;
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return undefined;
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) return undefined;
    const content = body.subarray(headerEnd + 4, next);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return undefined;
    if (/\bfilename="/i.test(disposition)) form.files[name] = Buffer.from(content);
    else form.fields[name] = content.toString('utf8');
    pos = next + 2;
  }
}
