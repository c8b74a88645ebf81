package io.bpfmapd.backend;

/**
 * An access through a mapping that was unmapped before or while the access ran. Closing a shared
 * arena waits out accesses already in flight, so this replaces what would otherwise be a SIGSEGV.
 */
public class MappingClosedException extends RuntimeException {

    public MappingClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
