// Reproduction curls never carry a credential: they read $PANDASTACK_TOKEN and $PANDASTACK_JWT.
// The report says once, above the first curl that uses one, how to set them for this run.
import { DEFAULT_TOKEN } from '../../src/mock/server.js';

/** Where the run's credentials came from: a flag, the environment, or the embedded mock. */
export type CredentialSource = 'flag' | 'env' | 'embedded';

export interface CredentialSources {
  token: CredentialSource;
  jwt?: CredentialSource;
}

function how(variable: 'PANDASTACK_TOKEN' | 'PANDASTACK_JWT', source: CredentialSource): string {
  const flag = variable === 'PANDASTACK_TOKEN' ? '--token' : '--jwt';
  if (source === 'flag') return `export ${variable}=<the value given with ${flag}>`;
  return `${variable} is read from the environment, as this run read it`;
}

/** The note for the variables the text uses, or undefined when it uses none. */
export function credentialNote(text: string, sources: CredentialSources): string | undefined {
  const token = text.includes('$PANDASTACK_TOKEN');
  const jwt = text.includes('$PANDASTACK_JWT');
  if (!token && !jwt) return undefined;
  if (sources.token === 'embedded') {
    const withJwt = jwt ? ' (and PANDASTACK_JWT to a JWT it issues)' : '';
    return `The curls below went to the embedded mock, which stopped with the run: to replay one, start the mock (npm start; port 4010), put its address in the URL, and export PANDASTACK_TOKEN=${DEFAULT_TOKEN}${withJwt}.`;
  }
  const parts = [token ? how('PANDASTACK_TOKEN', sources.token) : '', jwt ? how('PANDASTACK_JWT', sources.jwt ?? 'env') : ''].filter(Boolean);
  return `The curls below read the credentials from the environment: ${parts.join('; ')}.`;
}

/** The text with the note on a line of its own above the first line that uses a variable. */
export function withCredentialNote(text: string, sources: CredentialSources): string {
  const note = credentialNote(text, sources);
  if (!note) return text;
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.includes('$PANDASTACK_TOKEN') || l.includes('$PANDASTACK_JWT'));
  lines.splice(first, 0, `${/^\s*/.exec(lines[first]!)![0]}${note}`);
  return lines.join('\n');
}
