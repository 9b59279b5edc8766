// A mistake the person running the command can fix: one paragraph, exit 2.
export class UsageError extends Error {}
