/** A scenario this target cannot be made to produce (live server, --safe, no JWT...). */
export class NotProvokable extends Error {}
