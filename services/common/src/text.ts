/** Text fields never carry control characters (NUL, escapes, newlines): names, addresses, ids. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
