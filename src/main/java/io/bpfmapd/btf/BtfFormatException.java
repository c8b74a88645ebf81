package io.bpfmapd.btf;

/**
 * The one error of a malformed BTF blob: what is wrong and the byte offset in the blob where it was
 * found. {@link Btf#parse} throws nothing else for any input, however broken.
 */
public final class BtfFormatException extends RuntimeException {

    private final long offset;

    BtfFormatException(long offset, String problem) {
        super("malformed BTF at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    /** The byte offset in the blob (header included) of the field found wrong. */
    public long offset() {
        return offset;
    }
}
