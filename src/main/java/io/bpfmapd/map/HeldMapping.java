package io.bpfmapd.map;

import io.bpfmapd.backend.Mapping;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/** A mapping that tells its map, once, when it is closed: the map counts what holds its memory. */
final class HeldMapping implements Mapping {

    private final Mapping mapping;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    HeldMapping(Mapping mapping, Runnable onClose) {
        this.mapping = mapping;
        this.onClose = onClose;
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
        try {
            mapping.close();
        } finally {
            if (closed.compareAndSet(false, true)) {
                onClose.run();
            }
        }
    }

    @Override
    public boolean isClosed() {
        return mapping.isClosed();
    }
}
