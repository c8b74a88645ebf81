package io.bpfmapd.session;

/** How a session maps the value area: PROT_READ, or PROT_READ|PROT_WRITE (counts in the map's writecnt). */
public enum SessionAccess {
    READ_ONLY,
    READ_WRITE
}
