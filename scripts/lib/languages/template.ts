// Fills an envelope template of templates/ (beside this file). The fixed source text of each
// language's envelope model lives there as that language's own code, readable and diffable as
// such; the renderers compute only the parts that follow the catalog and put them in by name.
import fs from 'node:fs';

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * The template's text, without the file's final newline, with every `{{name}}` replaced by
 * values[name]. A placeholder without a value, or a value without a placeholder, is an error:
 * either would silently drop part of a model.
 */
export function fillTemplate(name: string, values: Record<string, string>): string {
  const text = fs.readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8').replace(/\n$/, '');
  const unused = new Set(Object.keys(values));
  const filled = text.replace(PLACEHOLDER, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name}: no value for {{${key}}}`);
    unused.delete(key);
    return value;
  });
  if (unused.size) throw new Error(`${name}: no placeholder for ${[...unused].join(', ')}`);
  return filled;
}
