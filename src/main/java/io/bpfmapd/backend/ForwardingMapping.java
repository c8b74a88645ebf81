package io.bpfmapd.backend;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link Mapping} that hands every call to another one, for wrappers that add to a few of them (as
 * Guava's {@code Forwarding*} classes do): a subclass overrides only what it changes.
 */
public abstract class ForwardingMapping implements Mapping {

    private final Mapping mapping;

    protected ForwardingMapping(Mapping mapping) {
        this.mapping = mapping;
    }

    /** The mapping every call goes to. */
    protected final Mapping delegate() {
        return mapping;
    }

    @Override
    public long offset() {
        return mapping.offset();
    }

    @Override
    public long length() {
        return mapping.length();
    }

    @Override
    public boolean writable() {
        return mapping.writable();
    }

    @Override
    public boolean currentlyWritable() {
        return mapping.currentlyWritable();
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        mapping.read(offset, dst, dstOffset, length);
    }

    @Override
    public long readLong(long offset) {
        return mapping.readLong(offset);
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) {
        mapping.write(offset, src, srcOffset, length);
    }

    @Override
    public void writeLong(long offset, long value) {
        mapping.writeLong(offset, value);
    }

    @Override
    public void transferTo(long offset, long length, OutputStream out) throws IOException {
        mapping.transferTo(offset, length, out);
    }

    @Override
    public void protect(boolean writable) {
        mapping.protect(writable);
    }

    @Override
    public void close() {
        mapping.close();
    }

    @Override
    public boolean isClosed() {
        return mapping.isClosed();
    }
}
